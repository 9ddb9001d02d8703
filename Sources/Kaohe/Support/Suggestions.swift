import Foundation

import LuaRuntime

/// "Did you mean …?" for the misspellings a policy's author makes: a helper or library function, or a
/// column. Only an error message is read; a suggestion is offered when exactly one known name is close.
public enum Suggestions {
    /// The globals a rule sees (the prelude's globals part lists them; the sandbox reports them).
    static var globals: [String] { LuaSandbox.globalNames.globals }

    /// The functions of the standard library tables a rule sees.
    static var libraryFunctions: [String] { LuaSandbox.globalNames.library }

    /// The suggestion for an error message, as "; did you mean 'x'?", or "".
    public static func hint(for message: String) -> String {
        let candidates: [String]
        let name: String
        if let n = quoted(after: "(global '", in: message), message.contains("nil value") {
            (name, candidates) = (n, globals)
        } else if let n = quoted(after: "(field '", in: message) ?? quoted(after: "(method '", in: message),
                  message.contains("attempt to call a nil value") {
            (name, candidates) = (n, libraryFunctions)
        } else if let n = quoted(after: "has no field '", in: message) ?? quoted(after: "has no column '", in: message),
                  let list = between("(it has: ", ")", in: message) {
            (name, candidates) = (n, list.components(separatedBy: ", "))
        } else {
            return ""
        }
        guard let best = closest(to: name, in: candidates) else { return "" }
        return "; did you mean '\(best)'?"
    }

    /// The one candidate nearest `name` (at most 2 edits, fewer than half its letters); nil when none or a tie.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let limit = Swift.min(2, Swift.max(1, name.count / 2))
        var best: [String] = []
        var bestDistance = limit + 1
        for c in Set(candidates) where c != name {
            let d = distance(name, c)
            if d > limit { continue }
            if d < bestDistance { best = [c]; bestDistance = d } else if d == bestDistance { best.append(c) }
        }
        return best.count == 1 ? best[0] : nil
    }

    /// Edits between two names: insertions, deletions, substitutions and swaps of neighbours.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty || y.isEmpty { return Swift.max(x.count, y.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = Swift.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = Swift.min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }

    /// Full-width ASCII (what a Chinese input method types: "Ｕ１") as ordinary ASCII ("U1").
    static func halfWidth(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            (0xFF01...0xFF5E).contains(u.value) ? Unicode.Scalar(u.value - 0xFEE0)! : u
        }))
    }

    /// A key under which spellings of one name meet: half-width, lower case, without spaces (ASCII,
    /// no-break, ideographic) or invisible characters (zero-width space, BOM).
    static func looseKey(_ s: String) -> String {
        String(String.UnicodeScalarView(halfWidth(s).unicodeScalars.filter { u in
            ![0x20, 0x09, 0xA0, 0x3000, 0x200B, 0xFEFF].contains(u.value)
        })).lowercased()
    }

    private static func quoted(after marker: String, in s: String) -> String? {
        between(marker, "'", in: s)
    }

    private static func between(_ open: String, _ close: String, in s: String) -> String? {
        guard let a = s.range(of: open), let b = s.range(of: close, range: a.upperBound..<s.endIndex) else { return nil }
        return String(s[a.upperBound..<b.lowerBound])
    }
}
