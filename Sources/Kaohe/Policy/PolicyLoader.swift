import Foundation
import LuaRuntime

/// Reads a policy file and loads it in a sandbox.
public enum PolicyLoader {
    /// Loads and validates the policy at `path`. Errors read `path:line: message`.
    public static func load(path: String, limits: LuaLimits = LuaLimits()) throws -> Policy {
        let bytes = try readFile(path)
        let sandbox = try LuaSandbox(limits: limits)
        return try load(bytes: bytes, path: path, in: sandbox)
    }

    /// Loads policy `bytes` into `sandbox` (which then holds its rules).
    public static func load(bytes: [UInt8], path: String, in sandbox: LuaSandbox) throws -> Policy {
        let json: String
        do {
            json = try sandbox.loadPolicy(source: bytes, chunkName: path)
        } catch let error as LuaError {
            throw PolicyError(describe(error, policy: path))
        }
        var description: Policy.Description
        do {
            description = try JSONDecoder().decode(Policy.Description.self, from: Data(json.utf8))
        } catch {
            throw PolicyError("\(path): internal error: cannot read the policy description: \(error)")
        }
        if let spec = description.selfcheck, let score = spec.score,
           let i = description.inputs.firstIndex(where: { $0.name == spec.table }) {
            description.inputs[i].pointsColumn = score
        }
        let problems = pointProblems(description, path: path)
        if !problems.isEmpty { throw PolicyError(problems.joined(separator: "\n")) }
        return Policy(description: description, path: path, sourceBytes: bytes, sha256: Hashing.sha256(bytes))
    }

    /// The base, caps and documented ranges that kaohe cannot keep exactly (beyond ±`Points.limit`).
    static func pointProblems(_ d: Policy.Description, path: String) -> [String] {
        var problems: [String] = []
        func check(_ v: Double?, _ what: String, line: Int?) {
            guard let v, Points(checked: v) == nil else { return }
            problems.append("\(path):\(line ?? 1): \(what) is \(JSONValue.numberText(v)); kaohe keeps points exactly only "
                            + "\(Points.limitText)")
        }
        check(d.base, "the base score", line: nil)
        for s in d.sections {
            check(s.min, "section '\(s.id)': min", line: nil)
            check(s.max, "section '\(s.id)': max", line: nil)
        }
        for r in d.rules {
            check(r.min, "rule '\(r.id)': min", line: r.line)
            check(r.max, "rule '\(r.id)': max", line: r.line)
            for v in r.range ?? [] { check(v, "rule '\(r.id)': range", line: r.line) }
        }
        return problems
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                throw PolicyError("\(path): is a directory; give the policy's .lua file")
            }
            throw PolicyError("\(path): cannot read the policy file (does it exist?)")
        }
        return [UInt8](data)
    }

    /// Lua shortens long chunk names to "...tail"; put the full policy path back at the start of each line.
    static func restorePath(_ message: String, policy: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("..."), let colon = line.firstIndex(of: ":") else { return String(line) }
            let tail = line[line.index(line.startIndex, offsetBy: 3)..<colon]
            return policy.hasSuffix(tail) ? policy + line[colon...] : String(line)
        }.joined(separator: "\n")
    }

    /// True when the message starts with `policy:line:`.
    static func hasLocation(_ message: String, policy: String) -> Bool {
        guard message.hasPrefix(policy + ":") else { return false }
        let rest = message.dropFirst(policy.count + 1)
        return rest.first?.isNumber == true
    }

    /// A sandbox failure as the author should read it.
    public static func describe(_ error: LuaError, policy: String, rule: Policy.Rule? = nil, unit: String? = nil) -> String {
        var where_ = ""
        if let rule { where_ += " in rule '\(rule.id)' (\(rule.citation.isEmpty ? rule.title : rule.citation + " " + rule.title))" }
        if let unit { where_ += " for unit \(unit)" }
        switch error.kind {
        case .timeLimit, .memoryLimit:
            let source = error.source.map { restorePath($0, policy: policy) }
            let location = source.map { s in error.line.map { "\(s):\($0)" } ?? s } ?? policy
            let limit: String
            if error.kind == .timeLimit {
                limit = "time limit of \(error.limit.map { JSONValue.numberText($0) } ?? "?") s exceeded"
            } else {
                limit = "memory limit of \(Int(error.limit ?? 0) >> 20) MiB exceeded"
            }
            let hint = error.kind == .timeLimit
                ? "look for a loop that never ends, or raise the budget with --time-limit"
                : "look for a table that grows without bound, or raise the cap with --memory-limit"
            return "\(location): error: \(limit)\(where_); \(hint)"
        default:
            return "\(restorePath(error.message, policy: policy))\(where_)\(Suggestions.hint(for: error.message))"
        }
    }
}
