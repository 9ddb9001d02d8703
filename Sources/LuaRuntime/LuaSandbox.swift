import CKaoheLua
import Foundation

/// One sandboxed Lua state. Not thread-safe: use one per worker. Every call runs in protected mode in C,
/// so a Lua error never unwinds through Swift; a tripped limit comes back as a `LuaError` and the sandbox
/// stays usable.
public final class LuaSandbox: @unchecked Sendable {
    private let sb: OpaquePointer
    public let limits: LuaLimits
    private var dataView: DataView?
    public private(set) var ruleCount = 0
    /// The host's answer to the test harness's requests (`rank { ... }` in a policy test): text in, text
    /// out, nil for no answer. Only the harness can call it; a policy cannot reach it.
    public var hostCall: ((String) -> String?)?
    /// The last answer, kept until the next call or the end of the sandbox (the C core copies it into Lua).
    private var hostAnswer: UnsafeMutableBufferPointer<CChar>?

    public init(limits: LuaLimits = LuaLimits()) throws {
        guard let sb = kh_sandbox_new(limits.memoryBytes) else {
            throw LuaError(kind: .host, message: "cannot create a Lua state (out of memory)")
        }
        self.sb = sb
        self.limits = limits
        var status = kh_prelude_begin(sb)
        for part in Self.preludeParts where status == KH_OK {
            status = part.source.withUnsafeBufferPointer { buf in
                buf.withMemoryRebound(to: CChar.self) { kh_prelude_part(sb, part.name, $0.baseAddress, $0.count) }
            }
        }
        if status == KH_OK { status = kh_prelude_end(sb) }
        if status != KH_OK {
            let error = failure(status)
            kh_sandbox_free(sb)
            throw error
        }
        kh_set_host_call(sb, { ctx, input, length, outLength in
            let me = Unmanaged<LuaSandbox>.fromOpaque(ctx!).takeUnretainedValue()
            let text = String(decoding: UnsafeRawBufferPointer(start: input, count: length), as: UTF8.self)
            me.hostAnswer?.deallocate()
            me.hostAnswer = nil
            guard let answer = me.hostCall?(text) else { return nil }
            let bytes = Array(answer.utf8)
            let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: bytes.count + 1)
            for (i, b) in bytes.enumerated() { buffer[i] = CChar(bitPattern: b) }
            buffer[bytes.count] = 0
            me.hostAnswer = buffer
            outLength!.pointee = bytes.count
            return UnsafePointer(buffer.baseAddress!)
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// The prelude's parts (Sources/LuaRuntime/prelude), in the order they load: each is a chunk that gets the
    /// internal table the earlier parts filled and adds to it (see determinism.lua).
    static let preludeParts: [(name: String, source: [UInt8])] = [
        ("determinism", PackageResources.determinism_lua),   // tostring, pairs, sort the same on every run
        ("freeze", PackageResources.freeze_lua),             // read-only tables, what a policy may reach
        ("safe_stdlib", PackageResources.safe_stdlib_lua),   // setmetatable, rawset, xpcall, rep, move...
        ("helpers", PackageResources.helpers_lua),           // count, sum, tier, tally...
        ("globals", PackageResources.globals_lua),           // the allow-list of globals
        ("json", PackageResources.json_lua),                 // the encoder for what the host reads
        ("schema", PackageResources.schema_lua),             // the policy schema
        ("check", PackageResources.check_lua),               // policy validation, diagnostics
        ("host", PackageResources.host_lua),                 // H.load, H.eval, H.trace_json, H.global_names
        ("testing", PackageResources.testing_lua),           // H.run_tests (`kaohe test`)
    ]

    /// The names a policy sees: every global, and every function of the library tables (string, table, math,
    /// utf8), sorted. Read once per process from a sandbox (the prelude's globals part is their one list).
    public static let globalNames: (globals: [String], library: [String]) = {
        struct Names: Decodable { var globals: [String]; var library: [String] }
        guard let sandbox = try? LuaSandbox(), let json = try? sandbox.globalNamesJSON(),
              let names = try? JSONDecoder().decode(Names.self, from: Data(json.utf8)) else { return ([], []) }
        return (names.globals, names.library)
    }()

    private func globalNamesJSON() throws -> String {
        let status = kh_global_names(sb)
        guard status == KH_OK else { throw failure(status) }
        return resultString()
    }

    deinit {
        kh_sandbox_free(sb)
        hostAnswer?.deallocate()
    }

    /// Bytes the Lua heap holds right now.
    public var memoryUsed: Int { kh_memory_used(sb) }

    /// Compiles (text only) and runs a policy chunk, validates and freezes it. Returns the policy's description as JSON.
    public func loadPolicy(source: [UInt8], chunkName: String) throws -> String {
        let status = source.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) {
                kh_load_policy(sb, $0.baseAddress, $0.count, "@" + chunkName, limits.loadSeconds)
            }
        }
        guard status == KH_OK else {
            var error = failure(status, limit: limits.loadSeconds)
            error.diagnostics = diagnostics()
            throw error
        }
        ruleCount = Int(kh_rule_count(sb))
        return resultString()
    }

    /// Makes `view` the data that rules read.
    public func attach(_ view: DataView) throws {
        dataView = view
        let status = kh_attach_dataset(sb, view.dataset)
        guard status == KH_OK else { throw failure(status) }
    }

    /// Evaluates every rule for units `range`. Points land in `points[(u - range.lowerBound) * ruleCount + r]`;
    /// notes come back as bytes with `noteOffsets` (one more entry than points).
    public func score(units range: Range<Int>, points: UnsafeMutablePointer<Double>,
                      noteOffsets: UnsafeMutablePointer<Int64>) throws -> [UInt8] {
        let status = kh_score_units(sb, Int64(range.lowerBound), Int64(range.count), limits.ruleSeconds,
                                    points, noteOffsets)
        guard status == KH_OK else { throw failure(status, limit: limits.ruleSeconds, scoring: true) }
        var length = 0
        guard let bytes = kh_note_bytes(sb, &length), length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// Whether the last `score` call's notes passed the notes budget (`notesBudget`); the notes after that
    /// point were dropped and the caller must fail the run.
    public var notesOverBudget: Bool { kh_notes_over(sb) != 0 }

    /// The bytes of notes the host keeps for one run (they live outside the Lua memory cap).
    public static let notesBudget = Int(KH_NOTES_BUDGET)

    /// Whether notes are wanted; when off, helpers such as `tally` skip building them (faster) and the notes
    /// rules return are not kept.
    public var notesWanted: Bool = true {
        didSet { kh_set_notes(sb, notesWanted ? 1 : 0) }
    }

    /// Records every input cell and every rule param read (for `kaohe explain`).
    public var tracing: Bool = false {
        didSet { kh_set_trace(sb, tracing ? 1 : 0) }
    }

    /// Input accesses since tracing was turned on: (rule, table, row, column).
    public func tracedAccesses() -> [(rule: Int, table: Int, row: Int, column: Int)] {
        var count = 0
        guard let acc = kh_trace_accesses(sb, &count) else { return [] }
        return (0..<count).map { i in
            (Int(acc[i].rule), Int(acc[i].table), Int(acc[i].row), Int(acc[i].column))
        }
    }

    /// Param reads since the policy loaded (only when the policy was loaded with tracing on), as JSON
    /// `[[rule, "path", value], ...]`; the log is cleared.
    public func tracedParams() throws -> String {
        let status = kh_trace_params(sb)
        guard status == KH_OK else { throw failure(status) }
        return resultString()
    }

    /// Runs a chunk with the policy globals (tests, probes). Returns its results, tostring'd and tab-joined.
    @discardableResult
    public func eval(_ source: String, chunkName: String = "=eval", seconds: Double? = nil) throws -> String {
        let budget = seconds ?? limits.loadSeconds
        let bytes = Array(source.utf8)
        let status = bytes.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { kh_eval(sb, $0.baseAddress, $0.count, chunkName, budget) }
        }
        guard status == KH_OK else { throw failure(status, limit: budget) }
        return resultString()
    }

    /// Runs a policy test file against the loaded policy. Returns the harness's JSON report.
    public func runTests(source: [UInt8], chunkName: String, only: [String], seconds: Double) throws -> String {
        let status = source.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) {
                kh_run_tests(sb, $0.baseAddress, $0.count, "@" + chunkName, only.joined(separator: "\n"), seconds)
            }
        }
        guard status == KH_OK else { throw failure(status, limit: seconds) }
        return resultString()
    }

    /// The problems of the policy the last `loadPolicy` refused, as records; nil when there are none.
    private func diagnostics() -> [LuaDiagnostic]? {
        var length = 0
        let p = kh_diagnostics(sb, &length)!
        guard length > 0 else { return nil }
        let bytes = p.withMemoryRebound(to: UInt8.self, capacity: length) { Data(UnsafeBufferPointer(start: $0, count: length)) }
        return try? JSONDecoder().decode([LuaDiagnostic].self, from: bytes)
    }

    private func resultString() -> String {
        var length = 0
        let p = kh_result(sb, &length)!
        return p.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    private func failure(_ status: Int32, limit: Double? = nil, scoring: Bool = false) -> LuaError {
        let message = String(cString: kh_error_message(sb))
        let kind: LuaError.Kind
        switch Int(status) {
        case Int(KH_ERR_SYNTAX): kind = .syntax
        case Int(KH_ERR_MEMORY): kind = .memoryLimit
        case Int(KH_ERR_TIME): kind = .timeLimit
        case Int(KH_ERR_HOST): kind = .host
        default: kind = .runtime
        }
        var error = LuaError(kind: kind, message: message)
        let code = String(cString: kh_error_code(sb))
        if !code.isEmpty { error.code = code }
        if error.isLimit {
            let source = String(cString: kh_trip_source(sb))
            let line = Int(kh_trip_line(sb))
            error.source = source.isEmpty ? nil : source
            error.line = line > 0 ? line : nil
            error.limit = kind == .memoryLimit ? Double(limits.memoryBytes) : limit
        }
        if scoring {
            let rule = Int(kh_trip_rule(sb)), unit = Int(kh_trip_unit(sb))
            error.rule = rule >= 0 ? rule : nil
            error.unit = unit >= 0 ? unit : nil
        }
        return error
    }
}

/// The Lua release the sandbox was built against ("Lua 5.4.6").
public let luaRelease = String(cString: kh_lua_release())
