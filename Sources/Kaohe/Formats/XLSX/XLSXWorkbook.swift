public import Foundation

/// A workbook to write as .xlsx: sheets of typed cells.
public struct XLSXWorkbook: Sendable {
    public var sheets: [XLSXSheet]

    /// A workbook with the given sheets (the first visible one opens first).
    public init(sheets: [XLSXSheet]) { self.sheets = sheets }

    /// The workbook as .xlsx bytes; the same workbook always gives the same bytes.
    public func data() throws -> Data {
        try XLSXWriter.write(self)
    }

    /// Writes the workbook to a file.
    public func write(to path: String) throws {
        try data().write(to: URL(fileURLWithPath: path))
    }
}
