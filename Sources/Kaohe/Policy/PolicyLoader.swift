import Foundation
import LuaRuntime

/// Reads a policy file and loads it in a sandbox.
public enum PolicyLoader {
    /// Loads and validates the policy at `path`. Errors read `path:line: message`.
    public static func load(path: String, limits: SandboxLimits = SandboxLimits()) throws -> Policy {
        try loadKeepingSandbox(path: path, limits: limits).policy
    }

    /// Loads and validates policy source that is not (yet) a file; `path` names it in messages.
    public static func load(bytes: [UInt8], path: String, limits: SandboxLimits = SandboxLimits()) throws -> Policy {
        try load(bytes: bytes, path: path, in: try LuaSandbox(limits: limits.lua))
    }

    /// Loads the policy, and returns the sandbox that holds its rules with it (the scorer's first worker).
    static func loadKeepingSandbox(path: String, limits: SandboxLimits) throws -> (policy: Policy, sandbox: LuaSandbox) {
        let bytes = try readFile(path)
        let sandbox = try LuaSandbox(limits: limits.lua)
        return (try load(bytes: bytes, path: path, in: sandbox), sandbox)
    }

    /// Loads policy `bytes` into `sandbox` (which then holds its rules).
    static func load(bytes: [UInt8], path: String, in sandbox: LuaSandbox) throws -> Policy {
        let json: String
        do {
            json = try sandbox.loadPolicy(source: bytes, chunkName: path)
        } catch let error as LuaError {
            throw PolicyError(diagnostics: describe(error, policy: path))
        }
        var description: Policy.Description
        do {
            description = try JSONDecoder().decode(Policy.Description.self, from: Data(json.utf8))
        } catch {
            throw PolicyError(file: path, code: "internal", "internal error: cannot read the policy description: \(error)")
        }
        if let spec = description.selfcheck, let score = spec.score,
           let i = description.inputs.firstIndex(where: { $0.name == spec.table }) {
            description.inputs[i].pointsColumn = score
        }
        let problems = pointProblems(description, path: path)
        if !problems.isEmpty { throw PolicyError(diagnostics: problems) }
        return Policy(description: description, path: path, sourceBytes: bytes, sha256: Hashing.sha256(bytes))
    }

    /// The base, caps and documented ranges that kaohe cannot keep exactly (beyond ±`Points.limit`).
    static func pointProblems(_ d: Policy.Description, path: String) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func check(_ v: Double?, _ what: String, line: Int?) {
            guard let v, Points(checked: v) == nil else { return }
            problems.append(Diagnostic(file: path, line: line ?? 1, code: "policy.points-range",
                                       message: "\(what) is \(JSONValue.numberText(v)); kaohe keeps points exactly only \(Points.limitText)"))
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
                throw PolicyError(file: path, code: "policy.is-directory", "is a directory; give the policy's .lua file")
            }
            throw PolicyError(file: path, code: "policy.unreadable", "cannot read the policy file (does it exist?)")
        }
        return [UInt8](data)
    }

    /// The file a chunk name in a Lua message stands for: Lua shortens long chunk names to "...tail".
    static func file(ofChunk chunk: String, policy: String) -> String {
        guard chunk.hasPrefix("...") else { return chunk }
        return policy.hasSuffix(chunk.dropFirst(3)) ? policy : chunk
    }

    /// A sandbox failure as the author should read it: where (the policy's line, else the rule's), what,
    /// in which rule and for which unit. `rule`'s line is used when Lua's message has no position in the policy.
    static func describe(_ error: LuaError, policy: String, rule: Policy.Rule? = nil, unit: String? = nil) -> [Diagnostic] {
        let subject = rule.map { " in rule '\($0.id)' (\($0.citation.isEmpty ? $0.title : $0.citation + " " + $0.title))" }
        return describe(error, policy: policy, subject: subject, line: rule?.line, unit: unit)
    }

    /// The same for a failure in a veto's when function.
    static func describe(_ error: LuaError, policy: String, veto: Policy.Veto, unit: String? = nil) -> [Diagnostic] {
        let subject = " in veto '\(veto.id)' (\(veto.citation.isEmpty ? veto.title : veto.citation + " " + veto.title))"
        return describe(error, policy: policy, subject: subject, line: veto.line, unit: unit)
    }

    /// `subject`: " in rule 'x' (…)", and its function's `line`.
    private static func describe(_ error: LuaError, policy: String, subject: String?, line: Int?, unit: String?) -> [Diagnostic] {
        var where_ = subject ?? ""
        if let unit { where_ += " for unit \(unit)" }
        switch error.kind {
        case .timeLimit, .memoryLimit:
            let time = error.kind == .timeLimit
            let limit = time ? "time limit of \(error.limit.map { JSONValue.numberText($0) } ?? "?") s exceeded"
                             : "memory limit of \(Int(error.limit ?? 0) >> 20) MiB exceeded"
            return [Diagnostic(file: error.source.map { file(ofChunk: $0, policy: policy) } ?? policy, line: error.source == nil ? nil : error.line,
                               code: time ? "sandbox.time-limit" : "sandbox.memory-limit", message: limit + where_,
                               hint: time ? "look for a loop that never ends, or raise the time budget"
                                          : "look for a table that grows without bound, or raise the memory cap")]
        case .syntax, .runtime, .host:
            if let records = error.diagnostics, !records.isEmpty {
                // a policy that failed validation: the prelude's records, one per problem
                return records.map { Diagnostic(file: policy, line: $0.line ?? 1, code: $0.code, message: $0.message + where_) }
            }
            let code = error.code ?? (error.kind == .syntax ? "lua.syntax" : error.kind == .host ? "sandbox.host" : "lua.runtime")
            var d = Diagnostic(file: nil, code: code, message: error.message)
            if let p = error.position {
                let file = file(ofChunk: p.chunk, policy: policy)
                if file == "kaohe/prelude" {
                    // where inside the prelude an error was raised means nothing to a policy's author
                    d.message = p.text
                } else {
                    (d.file, d.line, d.message) = (file, p.line, p.text)
                }
            }
            if d.file == nil, subject != nil {
                // raised by the host or a library function: point at the rule (or veto)
                (d.file, d.line) = (policy, line)
            }
            if d.file == nil { d.file = policy }
            let hint = Suggestions.hint(for: error.message)
            d.message += where_
            if !hint.isEmpty { d.hint = String(hint.dropFirst(2)) }
            return [d]
        }
    }
}
