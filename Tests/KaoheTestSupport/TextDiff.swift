/// A short line diff for failure messages: the changed lines, `-` expected and `+` actual, in hunks with a
/// few lines of context and their line numbers, never the whole files.
public enum TextDiff {
    /// The differences between `expected` and `actual`, or "" when they are equal. Lines longer than `width`
    /// are cut; after `limit` changed lines the rest is counted, not shown.
    public static func summary(expected: String, actual: String, context: Int = 3, limit: Int = 40, width: Int = 300) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let edits = script(a, b)
        guard edits.contains(where: { $0.kind != .same }) else { return a == b ? "" : "(the texts differ only in their line ends)" }
        func cut(_ s: String) -> String { s.count > width ? s.prefix(width) + "…" : s }
        var out: [String] = []
        var shown = 0, hidden = 0
        var lastPrinted = -1
        let changed = edits.indices.filter { edits[$0].kind != .same }
        for (n, e) in edits.enumerated() {
            let near = changed.contains { abs($0 - n) <= context }
            guard near else { continue }
            if e.kind != .same {
                if shown >= limit { hidden += 1; continue }
                shown += 1
            } else if shown >= limit { continue }
            if n != lastPrinted + 1 { out.append("@@ line \(e.line) of the golden, \(e.actualLine) of the output @@") }
            lastPrinted = n
            switch e.kind {
            case .same: out.append("  " + cut(e.text))
            case .removed: out.append("- " + cut(e.text))
            case .added: out.append("+ " + cut(e.text))
            }
        }
        if hidden > 0 { out.append("… and \(hidden) more changed lines") }
        return out.joined(separator: "\n")
    }

    struct Edit {
        enum Kind { case same, removed, added }
        var kind: Kind
        var text: String
        var line: Int  // 1-based line in expected (the next one, for an addition)
        var actualLine: Int  // 1-based line in actual (the next one, for a removal)
    }

    /// The edit script: common lines at the start and end are matched directly, the middle by longest common
    /// subsequence when it is small, else as all removed then all added.
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        var start = 0
        while start < a.count, start < b.count, a[start] == b[start] { start += 1 }
        var endA = a.count, endB = b.count
        while endA > start, endB > start, a[endA - 1] == b[endB - 1] { endA -= 1; endB -= 1 }
        var edits: [Edit] = (0..<start).map { Edit(kind: .same, text: a[$0], line: $0 + 1, actualLine: $0 + 1) }
        let midA = Array(a[start..<endA]), midB = Array(b[start..<endB])
        var i = 0, j = 0
        func emit(_ kind: Edit.Kind, _ text: String) {
            edits.append(Edit(kind: kind, text: text, line: start + i + 1, actualLine: start + j + 1))
            if kind != .added { i += 1 }
            if kind != .removed { j += 1 }
        }
        if midA.count * midB.count <= 250_000 {
            let n = midA.count, m = midB.count
            var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
            for x in stride(from: n - 1, through: 0, by: -1) {
                for y in stride(from: m - 1, through: 0, by: -1) {
                    lcs[x][y] = midA[x] == midB[y] ? lcs[x + 1][y + 1] + 1 : max(lcs[x + 1][y], lcs[x][y + 1])
                }
            }
            while i < n || j < m {
                if i < n, j < m, midA[i] == midB[j] { emit(.same, midA[i]) }
                else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] { emit(.removed, midA[i]) }
                else { emit(.added, midB[j]) }
            }
        } else {
            while i < midA.count { emit(.removed, midA[i]) }
            while j < midB.count { emit(.added, midB[j]) }
        }
        for k in endA..<a.count { edits.append(Edit(kind: .same, text: a[k], line: k + 1, actualLine: k - endA + endB + 1)) }
        return edits
    }
}
