import LuaRuntime

/// Validated input data, laid out for the sandbox: typed columns, rows grouped by unit.
public final class Dataset: @unchecked Sendable {
    public struct TableInfo: Sendable {
        public var name: String
        /// The file the rows came from (as given), for messages and explanations.
        public var file: String
        public var columns: [Policy.Column]
        /// Source line of each row, in grouped order.
        var lines: ColumnBuffer<Int32>
        public var rowCount: Int
    }

    let view: DataView
    public let tables: [TableInfo]
    public let unitIDs: [String]
    public let names: [String]
    public let sha256: String
    /// What every report must say about the data (units that submitted no self-check form, unreadable
    /// form files); set by the loader before the data set is shared.
    public internal(set) var warnings: [DataWarning] = []
    /// The data as it was given (a folder, workbook or JSON file); set by the loader.
    public internal(set) var path = ""
    /// Each unit's group: an index into the policy's `groups.order` (empty when the policy has no groups).
    public internal(set) var groupIndex: [Int] = []
    private let unitIndex: [String: Int]

    init(view: DataView, tables: [TableInfo], unitIDs: [String], names: [String], sha256: String) {
        self.view = view
        self.tables = tables
        self.unitIDs = unitIDs
        self.names = names
        self.sha256 = sha256
        var index: [String: Int] = [:]
        for (i, id) in unitIDs.enumerated() { index[id] = i }
        unitIndex = index
    }

    public var unitCount: Int { unitIDs.count }

    public func index(ofUnit id: String) -> Int? { unitIndex[id] }

    /// The rows of unit `u` in table `t`.
    public func rows(table t: Int, unit u: Int) -> Range<Int> {
        let start = view.tables[t].unitStart
        return Int(start[u])..<Int(start[u + 1])
    }

    /// A cell as text ("" when empty).
    public func cell(table t: Int, row: Int, column c: Int) -> String {
        let col = view.tables[t].columns[c]
        if let texts = col.texts, let pool = col.pool {
            let code = texts[row]
            return code < 0 ? "" : pool.string(code)
        }
        let v = col.numbers![row]
        if v.isNaN { return "" }
        if col.type == .flag { return v != 0 ? "1" : "0" }
        return JSONValue.numberText(v)
    }
}
