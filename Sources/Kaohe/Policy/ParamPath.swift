/// A path to one value inside a params table, in the notation `kaohe diff` prints after `params.`:
/// `tiers[2].below` is the field `below` of the second item of `tiers`; `site.district` a nested key.
public struct ParamPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        /// 1-based, as Lua and `kaohe diff` count.
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component]) { self.components = components }

    /// Parses `a.b[2].c`; nil when the text is not such a path (empty, `a..b`, `[0]`, `a[x]`, …).
    public init?(_ text: String) {
        var out: [Component] = []
        var rest = Substring(text)
        var first = true
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let n = Int(rest[rest.index(after: rest.startIndex)..<close]), n >= 1 else { return nil }
                out.append(.index(n))
                rest = rest[rest.index(after: close)...]
            } else {
                if !first {
                    guard rest.first == "." else { return nil }
                    rest = rest.dropFirst()
                }
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard let c = name.first, c.isLetter || c == "_", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    return nil
                }
                out.append(.key(String(name)))
                rest = rest[name.endIndex...]
            }
            first = false
        }
        guard !out.isEmpty else { return nil }
        components = out
    }

    public var description: String {
        var s = ""
        for c in components {
            switch c {
            case .key(let k): s += s.isEmpty ? k : "." + k
            case .index(let n): s += "[\(n)]"
            }
        }
        return s
    }

    /// The value at this path in a params tree (as the loaded policy holds it), or nil.
    public func value(in params: JSONValue) -> JSONValue? {
        var v = params
        for c in components {
            switch (c, v) {
            case (.key(let k), .object(let o)): guard let next = o[k] else { return nil }; v = next
            case (.index(let n), .array(let a)): guard n <= a.count else { return nil }; v = a[n - 1]
            default: return nil
            }
        }
        return v
    }
}
