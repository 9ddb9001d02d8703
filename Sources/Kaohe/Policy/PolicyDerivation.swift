import Foundation

/// Writes next year's policy from this year's (`kaohe new`): the same rules and params, the id and year
/// moved on, the parent recorded, and a header listing what the author must review.
public enum PolicyDerivation {
    /// The new id: the parent's year replaced in its id ("ganzhou-2023" → "ganzhou-2024"), or "-<year>" added.
    public static func newID(from id: String, oldYear: Int, newYear: Int) -> String {
        let old = String(oldYear)
        if id.contains(old) { return id.replacingOccurrences(of: old, with: String(newYear)) }
        return "\(id)-\(newYear)"
    }

    /// The new policy's source text. Throws when the id or year cannot be found to rewrite. `text`: the
    /// source to rewrite when it is not the parent's own (the workbench's edited copy of it); the parent
    /// recorded is still `parent` (its id, its file's sha256).
    public static func derive(from parent: Policy, text source: [UInt8]? = nil, year: Int, parentPath: String, target: String) throws -> String {
        var text = String(decoding: source ?? parent.sourceBytes, as: UTF8.self)
        let id = newID(from: parent.id, oldYear: parent.year, newYear: year)
        guard let idRange = firstMatch(in: text, pattern: #"(?m)^(\s*)id\s*=\s*["']"# + NSRegularExpression.escapedPattern(for: parent.id) + #"["']\s*,"#) else {
            throw PolicyError(file: parentPath, code: "new.cannot-rewrite", "cannot find `id = \"\(parent.id)\",` at the start of a line; write the new policy by copying the file and editing id, year and parent by hand")
        }
        let indent = String(text[idRange].prefix { $0 == " " || $0 == "\t" })
        text.replaceSubrange(idRange, with: "\(indent)id = \"\(id)\",")
        guard let yearRange = firstMatch(in: text, pattern: #"(?m)^\s*year\s*=\s*"# + String(parent.year) + #"\s*,"#) else {
            throw PolicyError(file: parentPath, code: "new.cannot-rewrite", "cannot find `year = \(parent.year),` at the start of a line; edit the year by hand")
        }
        let parentLine = "\(indent)year = \(year),\n\(indent)parent = { id = \"\(parent.id)\", sha256 = \"\(parent.sha256)\", file = \"\((parentPath as NSString).lastPathComponent)\" },"
        text.replaceSubrange(yearRange, with: parentLine)
        // an older parent line (a policy that was itself derived) gives way to the new one
        if let old = firstMatch(in: text, pattern: #"(?m)^[ \t]*parent\s*=\s*\{[^}\n]*\}[ \t]*,[^\n]*\n"#, after: text.range(of: parentLine)?.upperBound) {
            text.removeSubrange(old)
        }
        return header(parent: parent, year: year, id: id, parentPath: parentPath, target: target) + text
    }

    /// `derive`, then the new text loaded (named `target`) to make sure it has the new year and the parent:
    /// the text and the policy `kaohe new` and the workbench's save write.
    public static func derived(from parent: Policy, text source: [UInt8]? = nil, year: Int, parentPath: String, target: String,
                               limits: SandboxLimits) throws -> (text: String, policy: Policy) {
        let text = try derive(from: parent, text: source, year: year, parentPath: parentPath, target: target)
        let policy = try PolicyLoader.load(bytes: Array(text.utf8), path: target, limits: limits)
        guard policy.year == year, policy.parent?.id == parent.id else {
            throw PolicyError(file: target, code: "internal", "internal error: the derived policy did not load with year \(year) and parent \(parent.id)")
        }
        return (text, policy)
    }

    /// The parent's tests as the new policy's (`<year>_test.lua`): they pin last year's rules, so after an
    /// edit the ones that fail show what the edit changed (and the ones that pass, what it kept).
    public static func tests(_ body: [UInt8], parent: Policy, parentTests: String, target: String) -> [UInt8] {
        let header = "-- kaohe new: copied from \(parentTests) with \((target as NSString).lastPathComponent). These tests pin "
            + "\(parent.id)'s rules:\n-- after editing the policy, a failing test shows what the edit changed; update it to the new document.\n"
        return Array(header.utf8) + body
    }

    static func firstMatch(in text: String, pattern: String, after: String.Index? = nil) -> Range<String.Index>? {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return nil }
        let start = after ?? text.startIndex
        let ns = NSRange(start..<text.endIndex, in: text)
        guard let m = re.firstMatch(in: text, range: ns), let r = Range(m.range, in: text) else { return nil }
        return r
    }

    static func header(parent: Policy, year: Int, id: String, parentPath: String, target: String) -> String {
        var lines = [
            "-- kaohe new: \(id), derived from \(parentPath) (\(parent.id), sha256 \(parent.sha256.prefix(12))…).",
            "-- Review before use, against the \(year) document:",
            "--   [ ] title, source (the \(year) document's title, date and file) and base score",
            "--   [ ] bands and ranking (who is recommended, who is flagged)",
        ]
        for rule in parent.rules {
            var params: [String] = []
            if case .object(let o) = rule.params { params = o.keys.sorted() }
            var line = "--   [ ] \([rule.citation, rule.title].filter { !$0.isEmpty }.joined(separator: " ")) (\(rule.id))"
            if !params.isEmpty { line += ": " + params.joined(separator: ", ") }
            lines.append(line)
        }
        lines += [
            "--   [ ] articles added or dropped this year (add or remove rules)",
            "-- Then: kaohe check \(target) · kaohe test \(target) · kaohe diff \(parentPath) \(target)",
            "--       · kaohe compare --policy \(parentPath) --policy \(target) --data <folder>",
            "-- (delete this header once reviewed)",
            "",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
