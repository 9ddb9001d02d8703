import Foundation
import LuaRuntime

/// `kaohe check`: a policy loaded without data and reported on, compiler-style. Errors: syntax, duplicate
/// rule ids, caps with min > max, unknown tie rule, bands that overlap, a rule reading a column or table no
/// input declares. Warnings: rules without a citation, params a rule never uses, rules that fail on
/// made-up sample data.
public enum PolicyCheck {
    public static func check(path: String, limits: SandboxLimits = SandboxLimits()) -> [Diagnostic] {
        let policy: Policy
        do {
            policy = try PolicyLoader.load(path: path, limits: limits)
        } catch let error as PolicyError {
            return error.diagnostics
        } catch {
            return [Diagnostic(file: path, code: "internal", message: "\(error)")]
        }
        return check(policy, limits: limits)
    }

    /// `check` of a policy already loaded (its findings name the file as `policy.path`).
    public static func check(_ policy: Policy, limits: SandboxLimits = SandboxLimits()) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        findings += ruleFindings(policy)
        findings += bandFindings(policy)
        findings += sampleRun(policy, limits: limits)
        func key(_ d: Diagnostic) -> (Int, Int) { (d.line ?? 0, d.severity == .error ? 0 : 1) }
        return findings.sorted { key($0) < key($1) }
    }

    /// The errors `check` finds in a policy already loaded, without the run on made-up data (what the
    /// workbench refuses in an edited policy).
    public static func errors(_ policy: Policy) -> [Diagnostic] {
        (ruleFindings(policy) + bandFindings(policy)).filter { $0.severity == .error }
    }

    static func words(_ text: String) -> Set<String> {
        var out = Set<String>()
        var current = ""
        for ch in text.unicodeScalars {
            if CharacterSet.alphanumerics.contains(ch) || ch == "_" { current.unicodeScalars.append(ch) } else {
                if !current.isEmpty { out.insert(current) }
                current = ""
            }
        }
        if !current.isEmpty { out.insert(current) }
        return out
    }

    static func ruleFindings(_ p: Policy) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let unitColumns = Set(p.input("units")?.columns.map(\.name) ?? [])
        let tables = Set(p.inputs.map(\.name))
        var allCode = ""
        for rule in p.rules {
            let source = p.scoreSource(of: rule)
            let code = source.map { $0.components(separatedBy: "--").first ?? "" }.joined(separator: "\n")
            allCode += code + "\n"
            if rule.citation.isEmpty {
                out.append(Diagnostic(file: p.path, line: rule.line, severity: .warning, code: "check.no-citation",
                                   message: "rule '\(rule.id)' has no citation; cite the article or row it implements"))
            }
            let used = words(code)
            if case .object(let params) = rule.params {
                for key in params.keys.sorted() where !used.contains(key) {
                    out.append(Diagnostic(file: p.path, line: rule.line, severity: .warning, code: "check.unused-param",
                                       message: "param '\(key)' of rule '\(rule.id)' is never used by its score function"))
                }
            }
            // u.<name> must be a units column or an input table
            for (offset, text) in source.enumerated() {
                let code = text.components(separatedBy: "--").first ?? ""
                var rest = Substring(code)
                while let r = rest.range(of: "u.") {
                    let before = rest[..<r.lowerBound].last
                    rest = rest[r.upperBound...]
                    if let b = before, b.isLetter || b.isNumber || b == "_" || b == "." { continue }
                    let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                    guard !name.isEmpty, !unitColumns.contains(name), !tables.contains(name) else { continue }
                    out.append(Diagnostic(file: p.path, line: (rule.line ?? 1) + offset, severity: .error, code: "check.unknown-column",
                                       message: "rule '\(rule.id)' reads u.\(name), but the units table has no column '\(name)' and no input table is called '\(name)'"))
                }
            }
        }
        if case .object(let params) = p.params {
            let used = words(allCode)
            for key in params.keys.sorted() where !used.contains(key) {
                out.append(Diagnostic(file: p.path, severity: .warning, code: "check.unused-param", message: "policy param '\(key)' is never used by any rule"))
            }
        }
        return out
    }

    static func bandFindings(_ p: Policy) -> [Diagnostic] {
        let top = p.bands.filter { $0.from == .top }.max { $0.fraction < $1.fraction }
        let bottom = p.bands.filter { $0.from == .bottom }.max { $0.fraction < $1.fraction }
        guard let top, let bottom, Points(top.fraction) + Points(bottom.fraction) > Points(integer: 1) else { return [] }
        return [Diagnostic(file: p.path, line: line(of: "bands", in: p), severity: .error, code: "check.bands-overlap",
                        message: "bands '\(top.id)' (top \(Points(top.fraction * 100))%) and '\(bottom.id)' (bottom \(Points(bottom.fraction * 100))%) together take more than 100% of the units, so a unit could be in both")]
    }

    static func line(of field: String, in p: Policy) -> Int? {
        let lines = String(decoding: p.sourceBytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(field + " =") }.map { $0 + 1 }
    }

    /// Scores made-up data (every enum value, empty optional cells, numbers around common thresholds) to
    /// catch rules that read undeclared columns or fail outright.
    static func sampleRun(_ p: Policy, limits: SandboxLimits) -> [Diagnostic] {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("kaohe-check-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let file = (dir as NSString).appendingPathComponent("sample.json")
            try Data(sampleJSON(p).utf8).write(to: URL(fileURLWithPath: file))
            let data = try DatasetLoader.load(policy: p, path: file)
            _ = try Scorer.score(policy: p, data: data, options: Scorer.Options(jobs: 1, limits: limits))
            return []
        } catch let error as PolicyError {
            let reads = error.diagnostics.contains { $0.code == "data.unknown-column" }
            // a rule that runs past its time or memory limit on three made-up units (one that never returns)
            // will on real data too: an error, not a warning about the sample
            let limit = error.diagnostics.contains { $0.code == "sandbox.time-limit" || $0.code == "sandbox.memory-limit" }
            return error.diagnostics.map { f in
                var f = f
                f.severity = reads || limit ? .error : .warning
                f.message = (reads ? "" : "on made-up sample data: ") + f.message
                return f
            }
        } catch {
            return [Diagnostic(file: p.path, severity: .warning, code: "check.sample-run", message: "could not run the rules on made-up data: \(error)")]
        }
    }

    static func sampleJSON(_ p: Policy) -> String {
        func value(_ c: Policy.Column, _ i: Int) -> String {
            if c.optional && i % 4 == 3 { return "null" }
            switch c.type {
            case .integer: return ["1", "15", "30", "6", "16", "12"][i % 6]
            case .number: return ["0", "99.5", "100", "120", "150.25"][i % 5]
            case .percent: return ["0", "95", "99.5", "100", "120", "150.25"][i % 6]
            case .flag: return i % 2 == 0 ? "1" : "0"
            case .enum: return JSONWriter.quote(c.values?[i % max(1, c.values?.count ?? 1)] ?? "")
            case .text: return JSONWriter.quote("x\(i)")
            }
        }
        var tables: [String] = []
        for input in p.inputs {
            var rows: [String] = []
            // a table with one row per unit gets exactly one; a group column one of the policy's groups
            let count = input.name == "units" || input.oneRowPerUnit ? 3 : 12
            for i in 0..<count {
                let unit = input.name == "units" ? i : i % 3
                let fields = input.columns.map { c -> String in
                    let v: String
                    switch c.name {
                    case "unit_id": v = JSONWriter.quote("U\(unit + 1)")
                    case "name" where input.name == "units": v = JSONWriter.quote("单位\(unit + 1)")
                    case p.groups?.by where input.name == "units":
                        let order = p.groups!.order
                        v = JSONWriter.quote(order[i % order.count])
                    default: v = value(c, i)
                    }
                    return JSONWriter.quote(c.name) + ": " + v
                }
                rows.append("{" + fields.joined(separator: ", ") + "}")
            }
            tables.append(JSONWriter.quote(input.name) + ": [" + rows.joined(separator: ",\n") + "]")
        }
        return "{" + tables.joined(separator: ",\n") + "}\n"
    }
}
