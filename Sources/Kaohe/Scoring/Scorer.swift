import Dispatch
import Foundation
import LuaRuntime
import Synchronization

/// Runs a policy over a dataset on several cores: one sandbox per worker, units handed out in chunks,
/// results written by unit index, so the output is the same whatever the number of workers.
public enum Scorer {
    public struct Options: Sendable {
        /// Workers (default: the number of cores).
        public var jobs: Int?
        public var limits: SandboxLimits
        /// Whether the report will show rules' notes (when not, helpers skip building them).
        public var notes: Bool

        public init(jobs: Int? = nil, limits: SandboxLimits = SandboxLimits(), notes: Bool = true) {
            self.jobs = jobs
            self.limits = limits
            self.notes = notes
        }
    }

    static let chunkSize = 512

    /// Scores every unit. `history` gives earlier years' bands (the policy's history bands); `loaded`, a
    /// sandbox that has loaded this policy already, serves as the first worker's.
    public static func score(policy: Policy, data: Dataset, options: Options = Options(),
                             history: Assessment.History? = nil) throws -> Scoresheet {
        try score(policy: policy, data: data, options: options, history: history, loaded: nil)
    }

    static func score(policy: Policy, data: Dataset, options: Options, history: Assessment.History?,
                      loaded: LuaSandbox?) throws -> Scoresheet {
        // a unit's slots: one per rule, then one per veto (1 vetoed, 0 not)
        let n = data.unitCount, nr = policy.rules.count + policy.vetoes.count
        let chunks = (n + chunkSize - 1) / chunkSize
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let jobs = Swift.max(1, Swift.min(options.jobs ?? cores, chunks))
        let points = ColumnBuffer<Double>(repeating: 0, count: n * nr)
        let noteChunks = ResultSlots<NoteStore.Chunk>(count: chunks)
        let failures = ResultSlots<(chunk: Int, error: any Error)>(count: jobs)
        let next = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        // notes live outside the Lua memory cap: their bytes per chunk (Int.max when a chunk alone passed the
        // budget), and in all, so the run stops once they pass LuaSandbox.notesBudget
        let noteBytes = ResultSlots<Int>(count: chunks)
        let allNoteBytes = Atomic<Int>(0)

        DispatchQueue.concurrentPerform(iterations: jobs) { worker in
            do {
                let sandbox: LuaSandbox
                if worker == 0, let loaded, loaded.limits == options.limits.lua {
                    sandbox = loaded
                } else {
                    sandbox = try LuaSandbox(limits: options.limits.lua)
                    _ = try PolicyLoader.load(bytes: policy.sourceBytes, path: policy.path, in: sandbox)
                }
                sandbox.notesWanted = options.notes
                try sandbox.attach(data.view)
                var offsets = [Int64](repeating: 0, count: chunkSize * nr + 1)
                while !stop.load(ordering: .relaxed) {
                    let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if c >= chunks { break }
                    let range = (c * chunkSize)..<Swift.min(n, (c + 1) * chunkSize)
                    do {
                        let bytes = try offsets.withUnsafeMutableBufferPointer { off in
                            try sandbox.score(units: range, points: points.pointer + range.lowerBound * nr,
                                              noteOffsets: off.baseAddress!)
                        }
                        noteChunks[c] = NoteStore.Chunk(firstSlot: range.lowerBound * nr, bytes: bytes,
                                                        offsets: Array(offsets[0...(range.count * nr)]))
                        let size = sandbox.notesOverBudget ? Int.max : bytes.count
                        noteBytes[c] = size
                        let before = allNoteBytes.wrappingAdd(Swift.min(size, LuaSandbox.notesBudget + 1), ordering: .relaxed).oldValue
                        if size == Int.max || before + size > LuaSandbox.notesBudget { stop.store(true, ordering: .relaxed) }
                    } catch {
                        failures[worker] = (c, error)
                        stop.store(true, ordering: .relaxed)
                    }
                }
            } catch {
                failures[worker] = (-1, error)
                stop.store(true, ordering: .relaxed)
            }
        }
        // the failure of the earliest chunk, so the message does not depend on timing (every chunk before the
        // one that failed, or before the one whose notes passed the budget, was started and so completed)
        let failure = (0..<jobs).compactMap({ failures[$0] }).min(by: { $0.chunk < $1.chunk })
        var cumulative = 0
        var notesOver: Int?
        for c in 0..<(failure.map { $0.chunk < 0 ? 0 : $0.chunk } ?? chunks) {
            guard let size = noteBytes[c] else { break }
            cumulative = size == Int.max ? Int.max : cumulative + size
            if cumulative > LuaSandbox.notesBudget { notesOver = c; break }
        }
        if let c = notesOver {
            throw PolicyError(file: policy.path, code: "run.notes-budget",
                              "the notes the \(policy.rules.count) rules\(policy.vetoes.isEmpty ? "" : " and \(policy.vetoes.count) vetoes") return for the first \(Swift.min(n, (c + 1) * chunkSize)) "
                + "of \(n) units already take more than \(LuaSandbox.notesBudget >> 20) MB, more than kaohe keeps for a run",
                              hint: "shorten the notes, or score without them (a report that shows no notes)")
        }
        if let first = failure {
            throw translate(first.error, policy: policy, data: data)
        }
        let rules = policy.rules.count, vetoes = policy.vetoes.count
        var raw = [Points](repeating: .zero, count: n * rules)
        var vetoed = [Bool](repeating: false, count: n * vetoes)
        for u in 0..<n {
            for r in 0..<rules {
                let value = points[u * nr + r]
                guard let p = Points(checked: value) else {
                    let rule = policy.rules[r]
                    throw PolicyError(file: policy.path, line: rule.line, code: "rule.points-range", "rule '\(rule.id)' returned "
                        + "\(JSONValue.numberText(value)) points for unit \(data.unitIDs[u]) (\(data.names[u])); kaohe keeps points "
                        + "exactly only \(Points.limitText): check the rule's arithmetic and the unit's data")
                }
                raw[u * rules + r] = p
            }
            for v in 0..<vetoes { vetoed[u * vetoes + v] = points[u * nr + rules + v] != 0 }
        }
        let notes = NoteStore(chunks: (0..<chunks).map { noteChunks[$0]! })
        return try Scoresheet(policy: policy, data: data, raw: raw, vetoed: vetoed, notes: notes, history: history)
    }

    static func translate(_ error: any Error, policy: Policy, data: Dataset) -> any Error {
        guard let lua = error as? LuaError else { return error }
        let rule = lua.rule.flatMap { $0 < policy.rules.count ? policy.rules[$0] : nil }
        let unit = lua.unit.map { "\(data.unitIDs[$0]) (\(data.names[$0]))" }
        if let index = lua.rule, index >= policy.rules.count, index - policy.rules.count < policy.vetoes.count {
            let veto = policy.vetoes[index - policy.rules.count]
            if lua.code == "veto.result" {
                return PolicyError(file: policy.path, line: veto.line, code: "veto.result",
                                   "veto '\(veto.id)' \(lua.message)\(unit.map { " for unit \($0)" } ?? "")",
                                   hint: "a when function returns true (the unit is vetoed) or false, and a note")
            }
            return PolicyError(diagnostics: PolicyLoader.describe(lua, policy: policy.path, veto: veto, unit: unit))
        }
        if lua.code == "rule.result", let rule {
            // the host about the rule's result: "rule 'x' returned a string instead of …"
            return PolicyError(file: policy.path, line: rule.line, code: "rule.result",
                               "rule '\(rule.id)' \(lua.message)\(unit.map { " for unit \($0)" } ?? "")")
        }
        return PolicyError(diagnostics: PolicyLoader.describe(lua, policy: policy.path, rule: rule, unit: unit))
    }
}
