import Foundation
import Kaohe

/// `POST /api/save`'s body: `{"policy": "policies/ganzhou/2023.lua", "params": {…as a what-if's…}, "year": 2026}`
/// (the year as a number or a string of 4 digits); `data` (optional): the data set the page that follows
/// compares the two policies on.
struct SaveRequest: Decodable, Sendable {
    var policy: String
    var data: String?
    var params: [String: [String: JSONValue]]?
    var year: JSONValue

    static func decode(_ bytes: [UInt8]) throws(WorkbenchError) -> SaveRequest {
        try WhatIfRequest.decode(SaveRequest.self, bytes, shape: "a save request ({\"policy\": path, \"params\": {rule id: {param path: value}}, \"year\": 2026})")
    }

    /// The year: 4 digits (1000–9999), as a number or a string; anything else is refused.
    func validYear() throws(WorkbenchError) -> Int {
        let text: String
        switch year {
        case .number(let n): text = n == n.rounded() && abs(n) < 1e6 ? String(Int(n)) : "\(n)"
        case .string(let s): text = s
        default: text = year.text(bare: false)
        }
        guard text.count == 4, text.allSatisfy({ $0.isASCII && $0.isNumber }), let y = Int(text), y >= 1000 else {
            throw WorkbenchError(status: 400, code: "save.bad-year", "the year '\(text)' is not 4 digits (like 2026)", param: ("save", "year"))
        }
        return y
    }
}
