import Foundation
import Kaohe

/// `POST /api/whatif`'s body: `{"policy": "policies/ganzhou/2023.lua", "data": "policies/ganzhou/sample-2023",
/// "params": {"study": {"tiers[2].below": 110}, "policy": {"x": 1}, "bands": {"top20.fraction": 0.25}}}`.
///
/// Under `params`, each key is a rule id (its values are paths into the rule's params, in `kaohe diff`'s
/// notation without the leading `params.`), `"policy"` for the policy's own params, or `"bands"` for band
/// fields written `<band id>.<field>` with field one of fraction, count, min_total, max_total. A policy
/// with a rule whose id is `policy` or `bands` is refused (the key would be ambiguous).
struct WhatIfRequest: Decodable, Sendable {
    var policy: String
    var data: String
    var params: [String: [String: JSONValue]]?

    static let policyKey = "policy"
    static let bandsKey = "bands"
    /// The most edits one request may make.
    static let maxEdits = 200

    static func decode(_ bytes: [UInt8]) throws(WorkbenchError) -> WhatIfRequest {
        try decode(WhatIfRequest.self, bytes, shape: "a what-if request ({\"policy\": path, \"data\": path, \"params\": {rule id: {param path: value}}})")
    }

    /// A request body of type `T`; `shape`: what the body should be, for the message when it is not.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], shape: String) throws(WorkbenchError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw .badRequest("request.bad-json", "the body is not \(shape): \(Self.reason(error))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "'\(key.stringValue)' is missing"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "wrong type at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        default: return "\(error)"
        }
    }

    /// The edits, ordered by key and path (the same request always makes the same edits in the same order).
    func edits() throws(WorkbenchError) -> [PolicyEdit] { try WhatIfRequest.edits(params) }

    /// `params` (rule id, `"policy"` or `"bands"` → path → value) as edits, ordered by key and path.
    static func edits(_ params: [String: [String: JSONValue]]?) throws(WorkbenchError) -> [PolicyEdit] {
        var out: [PolicyEdit] = []
        for key in (params ?? [:]).keys.sorted() {
            for field in params![key]!.keys.sorted() {
                let value = params![key]![field]!
                let bad = WorkbenchError(status: 400, code: "request.bad-param-path",
                                         "'\(field)' under '\(key)' is not a param path (like tiers[2].below)", param: (key, field))
                switch key {
                case WhatIfRequest.policyKey:
                    guard let path = ParamPath(field) else { throw bad }
                    out.append(PolicyEdit(.policy, path, value))
                case WhatIfRequest.bandsKey:
                    guard let dot = field.lastIndex(of: "."), dot != field.startIndex,
                          let path = ParamPath(String(field[field.index(after: dot)...])) else {
                        throw WorkbenchError(status: 400, code: "request.bad-param-path",
                                             "'\(field)' under 'bands' is not <band id>.<field> (like top20.fraction)", param: (key, field))
                    }
                    out.append(PolicyEdit(.band(String(field[..<dot])), path, value))
                default:
                    guard let path = ParamPath(field) else { throw bad }
                    out.append(PolicyEdit(.rule(key), path, value))
                }
            }
        }
        guard out.count <= WhatIfRequest.maxEdits else {
            throw .badRequest("request.too-many-edits", "\(out.count) edits in one request; at most \(WhatIfRequest.maxEdits)")
        }
        return out
    }

    /// The request's key and path for an edit: the inverse of `edits()`.
    static func field(of edit: PolicyEdit) -> (key: String, path: String) {
        switch edit.target {
        case .policy: return (policyKey, edit.path.description)
        case .rule(let id): return (id, edit.path.description)
        case .band(let id): return (bandsKey, "\(id).\(edit.path)")
        }
    }
}
