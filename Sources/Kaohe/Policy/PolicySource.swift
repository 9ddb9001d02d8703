/// A policy's Lua text, read far enough to find and replace its literal values: the table the chunk
/// returns (`return { … }` at the end, after any `local` definitions), its `rules` (found by their
/// `id = "…"`), each rule's `params`, the policy's `params` and its `bands` (by id), nested tables by key or
/// position (`tiers[2]` is the second positional item). Replacing a value rewrites only the literal's bytes:
/// comments, layout, line endings and every other byte stay as they were. What is not a literal in the text
/// (a local variable, `LEVEL[x]`, a call, an expression) is refused, never evaluated.
public struct PolicySource: Sendable {
    public let bytes: [UInt8]
    /// The policy's path as messages name it.
    public let path: String
    private let tokens: [LuaToken]
    private let root: LuaTable

    /// A literal found for an edit: where its bytes are, and its current value.
    public struct Located: Sendable {
        public var range: Range<Int>
        public var line: Int
        public var value: JSONValue
        /// Whether a number is written as a Lua integer.
        public var integer: Bool
    }

    public init(bytes: [UInt8], path: String) throws(PolicyEditError) {
        self.bytes = bytes
        self.path = path
        do {
            tokens = try LuaTokenizer.tokens(bytes)
        } catch {
            throw PolicyEditError(.unparsable, edit: nil, file: path, line: error.line, "cannot read the policy's text: \(error.message)")
        }
        do {
            root = try LuaTableParser(tokens: tokens, bytes: bytes).returnedTable()
        } catch {
            throw PolicyEditError(.unparsable, edit: nil, file: path, line: error.token.line, error.message)
        }
    }

    private func text(_ t: LuaToken) -> String { String(decoding: bytes[t.start..<t.end], as: UTF8.self) }

    /// The one field keyed `name` in `table`, as a table; nil when absent.
    private func table(_ name: String, in table: LuaTable, edit: PolicyEdit, what: String) throws(PolicyEditError) -> LuaTable? {
        let found = table.fields(matching: .key(name))
        guard let field = found.first else { return nil }
        guard found.count == 1 else {
            throw PolicyEditError(.unparsable, edit: edit, file: path, line: field.first.line, "\(what) has two fields '\(name)'")
        }
        guard case .table(let t) = field.value else {
            throw PolicyEditError(.notLiteral, edit: edit, file: path, line: field.first.line,
                                  "\(what): '\(name)' is not written as a table here (\(describe(field.value))); kaohe edits only values written in place")
        }
        return t
    }

    /// The item of `list` (a table of tables) whose `id` is the string literal `id`.
    private func item(withID id: String, in list: LuaTable) -> LuaTable? {
        for f in list.fields {
            guard case .table(let t) = f.value, let idField = t.fields(matching: .key("id")).first,
                  case .literal(let l) = idField.value, l.kind == .string,
                  LuaLiteralText.string(bytes[l.start..<l.end]) == id else { continue }
            return t
        }
        return nil
    }

    private func describe(_ v: LuaTable.Value) -> String {
        switch v {
        case .table: return "a table"
        case .literal(let l): return "the \(l.kind.rawValue) \(String(decoding: bytes[l.start..<l.end], as: UTF8.self))"
        case .other(let first, let last):
            let s = String(decoding: bytes[first.start..<last.end], as: UTF8.self)
            return "`\(s.count > 40 ? String(s.prefix(40)) + "…" : s)`"
        }
    }

    /// The literal `edit` replaces, or why there is none.
    public func locate(_ edit: PolicyEdit) throws(PolicyEditError) -> Located {
        var current: LuaTable
        var trail: String
        switch edit.target {
        case .policy:
            guard let params = try table("params", in: root, edit: edit, what: "the policy") else {
                throw PolicyEditError(.unknownParam, edit: edit, file: path, line: root.open.line, "the policy has no top-level params")
            }
            (current, trail) = (params, "policy params")
        case .rule(let id):
            let rules = try table("rules", in: root, edit: edit, what: "the policy")
            guard let rules, let rule = item(withID: id, in: rules) else {
                if let built = rules?.fields.first(where: { if case .other = $0.value { true } else { false } }) {
                    throw PolicyEditError(.notLiteral, edit: edit, file: path, line: built.first.line,
                                          "rule '\(id)' is not written in place: the policy's rules are built by code "
                                          + "(\(describe(built.value))); kaohe edits only rules written as tables",
                                          hint: "edit the policy file to change this rule's params")
                }
                throw PolicyEditError(.unknownRule, edit: edit, file: path, line: (rules?.open ?? root.open).line,
                                      "the policy has no rule '\(id)'", hint: "`kaohe rules` lists the rule ids")
            }
            guard let params = try table("params", in: rule, edit: edit, what: "rule '\(id)'") else {
                throw PolicyEditError(.unknownParam, edit: edit, file: path, line: rule.open.line, "rule '\(id)' has no params")
            }
            (current, trail) = (params, "rule '\(id)' params")
        case .band(let id):
            let bands = try table("bands", in: root, edit: edit, what: "the policy")
            guard let bands, let band = item(withID: id, in: bands) else {
                throw PolicyEditError(.unknownBand, edit: edit, file: path, line: (bands?.open ?? root.open).line,
                                      "the policy has no band '\(id)'")
            }
            guard edit.path.components.count == 1, case .key(let k) = edit.path.components[0], PolicyEdit.bandFields.contains(k) else {
                throw PolicyEditError(.bandField, edit: edit, file: path, line: band.open.line,
                                      "band '\(id)': '\(edit.path)' cannot be edited; a band's \(PolicyEdit.bandFields.sorted().joined(separator: ", ")) can")
            }
            (current, trail) = (band, "band '\(id)'")
        }
        for (n, component) in edit.path.components.enumerated() {
            let found = current.fields(matching: component)
            let here = ParamPath(Array(edit.path.components[...n])).description
            guard let field = found.first else {
                throw PolicyEditError(.unknownParam, edit: edit, file: path, line: current.open.line,
                                      "\(trail): no \(here) in the source (\(keys(of: current)))",
                                      hint: "kaohe replaces values written in the policy; it does not add fields")
            }
            guard found.count == 1 else {
                throw PolicyEditError(.unparsable, edit: edit, file: path, line: field.first.line, "\(trail): \(here) is written twice")
            }
            let last = n == edit.path.components.count - 1
            switch field.value {
            case .table(let t) where !last:
                current = t
            case .literal(let l) where last:
                return try located(l, edit: edit, trail: trail)
            default:
                throw PolicyEditError(.notLiteral, edit: edit, file: path, line: field.first.line,
                                      "\(trail): \(here) is \(describe(field.value)), not \(last ? "a number, string or true/false" : "a table") written in place",
                                      hint: last ? "kaohe edits only literal values; edit the policy file to change this one" : nil)
            }
        }
        preconditionFailure("a ParamPath has at least one component")
    }

    /// "it has below, points, label" / "tiers has 3 items".
    private func keys(of t: LuaTable) -> String {
        let names = t.fields.compactMap { f -> String? in if case .name(let k)? = f.key { return k } else { return nil } }
        let items = t.fields.filter { $0.position != nil }.count
        var parts: [String] = []
        if !names.isEmpty { parts.append("keys: " + names.joined(separator: ", ")) }
        if items > 0 { parts.append("\(items) item\(items == 1 ? "" : "s")") }
        return parts.isEmpty ? "the table is empty" : "it has " + parts.joined(separator: "; ")
    }

    private func located(_ l: LuaLiteral, edit: PolicyEdit, trail: String) throws(PolicyEditError) -> Located {
        let s = String(decoding: bytes[l.start..<l.end], as: UTF8.self)
        let value: JSONValue?
        switch l.kind {
        case .boolean: value = .bool(s == "true")
        case .string: value = LuaLiteralText.string(bytes[l.start..<l.end]).map(JSONValue.string)
        case .number:
            let negative = s.hasPrefix("-")
            let digits = negative ? String(s.dropFirst().drop { $0 == " " || $0 == "\t" }) : s
            value = LuaLiteralText.number(digits).map { .number(negative ? -$0 : $0) }
        }
        guard let value else {
            throw PolicyEditError(.notLiteral, edit: edit, file: path, line: l.line, "\(trail): cannot read the literal \(s) at \(edit.path)")
        }
        return Located(range: l.start..<l.end, line: l.line, value: value, integer: l.integer)
    }

    /// The source with every edit's literal replaced. An edit that gives the value the literal already has
    /// keeps the literal's bytes (so an edit to the same value returns the source unchanged).
    public func applying(_ edits: [PolicyEdit]) throws(PolicyEditError) -> [UInt8] {
        var replacements: [(range: Range<Int>, text: String)] = []
        for edit in edits {
            let at = try locate(edit)
            if replacements.contains(where: { $0.range == at.range }) {
                throw PolicyEditError(.duplicate, edit: edit, file: path, line: at.line, "\(edit) is edited twice")
            }
            guard let text = try replacement(for: edit, at: at) else { continue }
            replacements.append((at.range, text))
        }
        var out = bytes
        for r in replacements.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            out.replaceSubrange(r.range, with: Array(r.text.utf8))
        }
        return out
    }

    /// The new literal's text, nil when the value is unchanged.
    private func replacement(for edit: PolicyEdit, at: Located) throws(PolicyEditError) -> String? {
        func kind(_ v: JSONValue) -> String {
            switch v {
            case .null: return "null"
            case .bool: return "true/false"
            case .number: return "a number"
            case .string: return "a string"
            case .array: return "an array"
            case .object: return "an object"
            }
        }
        switch (at.value, edit.value) {
        case (.number(let a), .number(let b)):
            if a == b { return nil }
            guard let text = LuaLiteralText.write(number: b, integer: at.integer) else {
                throw PolicyEditError(.unsupportedValue, edit: edit, file: path, line: at.line, "\(edit): \(b) is not a finite number")
            }
            return text
        case (.string(let a), .string(let b)):
            return a == b ? nil : LuaLiteralText.write(string: b, quote: bytes[at.range.lowerBound] == 0x27 ? 0x27 : 0x22)
        case (.bool(let a), .bool(let b)):
            return a == b ? nil : (b ? "true" : "false")
        case (_, .null), (_, .array), (_, .object):
            throw PolicyEditError(.unsupportedValue, edit: edit, file: path, line: at.line,
                                  "\(edit): the new value is \(kind(edit.value)); give a number, a string or true/false")
        default:
            throw PolicyEditError(.wrongType, edit: edit, file: path, line: at.line,
                                  "\(edit) is \(kind(at.value)) (\(at.value.text(bare: false))); the new value is \(kind(edit.value)) (\(edit.value.text(bare: false)))",
                                  hint: "give \(kind(at.value)), as the policy writes it")
        }
    }
}
