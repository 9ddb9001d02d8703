import Foundation

/// Renders policy test runs: PASS/FAIL per test with expected vs actual and the rule's citation, coverage,
/// and a closing "N passed, N failed" line.
public enum TestReport {
    public enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    public static func render(_ runs: [PolicyTestRun], format: Format, coverage: Bool) -> String {
        format == .json ? json(runs) : TerminalText.escaped(text(runs, coverage: coverage), keepingLineBreaks: true)
    }

    static func ruleName(_ run: PolicyTestRun, _ id: String?) -> String {
        guard let id else { return "" }
        if id == "total" { return "total" }
        guard let r = run.policy.rule(id) else { return id }
        return [r.citation, r.title].filter { !$0.isEmpty }.joined(separator: " ") + " (\(r.id))"
    }

    static func number(_ v: Double?) -> String {
        guard let v else { return "nil" }
        return Points(checked: v)?.signed ?? JSONValue.numberText(v)
    }

    static func text(_ runs: [PolicyTestRun], coverage: Bool) -> String {
        var out = ""
        for run in runs {
            let file = (run.file as NSString).lastPathComponent
            out += "\(TerminalText.escaped(run.file)) → \(TerminalText.escaped(run.policy.id))\n"
            for r in run.results {
                switch r.status {
                case .pass:
                    out += "  PASS  \(TerminalText.escaped(r.name))\n"
                case .fail:
                    out += "  FAIL  \(TerminalText.escaped(r.name)) (\(file):\(r.line))\n"
                    if let rule = r.rule {
                        out += "        \(TerminalText.escaped(ruleName(run, rule))): expected \(TerminalText.escaped(r.expectedText ?? number(r.expected))), got \(TerminalText.escaped(r.actualText ?? number(r.actual)))\n"
                        if let note = r.note, !note.isEmpty { out += "        note: \(TerminalText.indented(note, "        "))\n" }
                    } else {
                        out += "        \(TerminalText.indented(r.message ?? "expectation failed", "        "))\n"
                    }
                case .error:
                    out += "  ERROR \(TerminalText.escaped(r.name)) (\(file):\(r.line))\n        \(TerminalText.indented(r.message ?? "", "        "))\n"
                }
            }
            if coverage {
                let rules = run.rules.filter(\.covered).count, tiers = run.tiers.filter(\.covered).count
                out += String(format: "  coverage %.1f%%: rules %d/%d, tier branches %d/%d", run.coverage, rules,
                              run.rules.count, tiers, run.tiers.count)
                if !run.countedBands.isEmpty { out += ", bands \(run.countedBands.filter(\.covered).count)/\(run.countedBands.count)" }
                if !run.vetoes.isEmpty { out += ", vetoes \(run.vetoes.filter(\.covered).count)/\(run.vetoes.count)" }
                out += "\n"
                for r in run.rules where !r.covered {
                    out += "    not covered: rule \(ruleName(run, r.id))\n"
                }
                for t in run.tiers where !t.covered {
                    out += "    not covered: \(t.rule) \(t.path)[\(t.index)]\(t.label.map { " " + $0 } ?? "")\n"
                }
                for b in run.countedBands where !b.covered { out += "    not covered: band \(b.id)\(b.label.map { " " + $0 } ?? "")\n" }
                for v in run.vetoes where !v.covered { out += "    not covered: veto \(v.id)\(v.title.map { " " + $0 } ?? "")\n" }
            }
        }
        let passed = runs.reduce(0) { $0 + $1.passed }, failed = runs.reduce(0) { $0 + $1.failed }
        out += "\(passed) passed, \(failed) failed\n"
        return out
    }

    static func json(_ runs: [PolicyTestRun]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("files") { w in
            w.beginArray()
            for run in runs {
                w.element { w in
                    w.beginObject()
                    w.field("file", string: run.file)
                    w.field("policy") { run.policy.writeSummary(to: &$0) }
                    w.field("tests") { w in
                        w.beginArray()
                        for r in run.results {
                            w.element { w in
                                w.beginObject()
                                w.field("name", string: r.name)
                                w.field("line") { $0.number(r.line) }
                                w.field("status", string: r.status.rawValue)
                                w.field("rule", string: r.rule)
                                w.field("citation", string: r.rule.flatMap { run.policy.rule($0)?.citation })
                                w.field("expected") { $0.optionalNumber(r.expected) }
                                w.field("actual") { $0.optionalNumber(r.actual) }
                                if r.expectedText != nil || r.actualText != nil {
                                    w.field("expected_text", string: r.expectedText)
                                    w.field("actual_text", string: r.actualText)
                                }
                                w.field("message", string: r.message)
                                w.endObject()
                            }
                        }
                        w.endArray()
                    }
                    w.field("coverage") { w in
                        w.beginObject()
                        w.field("percent") { $0.raw(String(format: "%.1f", run.coverage)) }
                        w.field("uncovered_rules") { w in
                            w.beginArray()
                            for r in run.rules where !r.covered { w.element { $0.string(r.id) } }
                            w.endArray()
                        }
                        w.field("uncovered_tiers") { w in
                            w.beginArray()
                            for t in run.tiers where !t.covered { w.element { $0.string("\(t.rule) \(t.path)[\(t.index)]") } }
                            w.endArray()
                        }
                        if !run.countedBands.isEmpty {
                            w.field("uncovered_bands") { w in
                                w.beginArray()
                                for b in run.countedBands where !b.covered { w.element { $0.string(b.id) } }
                                w.endArray()
                            }
                        }
                        if !run.vetoes.isEmpty {
                            w.field("uncovered_vetoes") { w in
                                w.beginArray()
                                for v in run.vetoes where !v.covered { w.element { $0.string(v.id) } }
                                w.endArray()
                            }
                        }
                        w.endObject()
                    }
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.field("passed") { $0.number(runs.reduce(0) { $0 + $1.passed }) }
        w.field("failed") { $0.number(runs.reduce(0) { $0 + $1.failed }) }
        w.endObject()
        return w.output + "\n"
    }
}
