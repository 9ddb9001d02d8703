import Foundation

/// A workbook that cannot be written (a bad sheet name, merge or number).
public struct XLSXWriteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public var diagnostic: Diagnostic { Diagnostic(file: nil, code: "xlsx.write", message: "cannot write the workbook: " + message) }
}
