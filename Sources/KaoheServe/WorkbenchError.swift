public import Kaohe

/// A request the workbench refuses or cannot answer: an HTTP status, a code, a message, and the library's
/// diagnostics (a policy that does not load, data errors, an edit that cannot be made). Rendered in one place
/// as `{"error": {"status", "code", "message", "param"?}, "diagnostics": [{file, line, column, severity, code,
/// message, hint}]}`.
public struct WorkbenchError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var message: String
    public var diagnostics: [Diagnostic]
    /// The what-if field the error concerns, as the request named it: (`"study"`, `"tiers[2].below"`).
    public var param: (key: String, path: String)?

    public init(status: Int, code: String, _ message: String, diagnostics: [Diagnostic] = [], param: (key: String, path: String)? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
        self.param = param
    }

    public var description: String { "\(status) \(code): \(message)" }

    static func badRequest(_ code: String, _ message: String) -> WorkbenchError { WorkbenchError(status: 400, code: code, message) }
    static func forbidden(_ code: String, _ message: String) -> WorkbenchError { WorkbenchError(status: 403, code: code, message) }

    /// Any error from the library as the workbench answers it.
    static func from(_ error: any Error) -> WorkbenchError {
        switch error {
        case let e as WorkbenchError: return e
        case let e as PolicyError:
            let limit = e.diagnostics.contains { $0.code.hasPrefix("sandbox.") }
            return WorkbenchError(status: 422, code: limit ? "policy.limit" : "policy.invalid",
                                  limit ? "the policy tripped a sandbox limit" : "the policy cannot be used", diagnostics: e.diagnostics)
        case let e as DataError:
            return WorkbenchError(status: 422, code: "data.invalid", "the data cannot be used with this policy", diagnostics: e.diagnostics)
        case let e as PolicyEditError:
            return WorkbenchError(status: 422, code: e.reason.rawValue, "the edit cannot be made", diagnostics: e.diagnostics,
                                  param: e.edit.map(WhatIfRequest.field(of:)))
        default:
            return WorkbenchError(status: 500, code: "internal", "internal error: \(error)")
        }
    }

    /// The JSON body.
    public var jsonBytes: [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("error") { w in
            w.beginObject()
            w.field("status") { $0.number(status) }
            w.field("code", string: code)
            w.field("message", string: message)
            if let param {
                w.field("param") { w in
                    w.beginObject()
                    w.field("key", string: param.key)
                    w.field("path", string: param.path)
                    w.endObject()
                }
            }
            w.endObject()
        }
        w.field("diagnostics") { w in
            w.beginArray()
            for d in diagnostics { w.element { d.write(to: &$0) } }
            w.endArray()
        }
        w.endObject()
        w.raw("\n")
        return w.bytes
    }
}
