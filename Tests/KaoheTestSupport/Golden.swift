import Foundation
public import Testing

/// Golden files ("snapshots"): an output is compared with a file kept in the repository. A missing golden fails;
/// a different one fails with a line diff. With KAOHE_RECORD=1 each golden that differs is written anew and the
/// test fails once, naming it, so a recording run lists exactly what changed (review it with `git diff`).
/// HTML goldens (`.html`) are stored split into lines (see HTMLLines), so one changed number is one changed line.
public enum Golden {
    public static let recording = ProcessInfo.processInfo.environment["KAOHE_RECORD"] == "1"

    /// Compares `output` with the golden file at `path`, or (recording) writes it there.
    public static func expect(_ output: String, matches path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let stored = path.hasSuffix(".html") ? HTMLLines.split(output) : output
        let name = path.hasPrefix(Repository.root + "/") ? String(path.dropFirst(Repository.root.count + 1)) : path
        let golden = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        if golden == stored { return }
        if recording {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(stored.utf8).write(to: URL(fileURLWithPath: path))
            Issue.record("recorded \(name) anew (KAOHE_RECORD=1); review it with `git diff`", sourceLocation: sourceLocation)
            return
        }
        guard let golden else {
            Issue.record("missing golden \(name); run with KAOHE_RECORD=1 and review it", sourceLocation: sourceLocation)
            return
        }
        Issue.record("""
            \(name) differs (- golden, + output; KAOHE_RECORD=1 writes it anew):
            \(TextDiff.summary(expected: golden, actual: stored))
            """, sourceLocation: sourceLocation)
    }
}
