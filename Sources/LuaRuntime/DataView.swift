import CKaoheLua
import Foundation

/// The read-only view of input data that rules see. It owns the C descriptors (`kh_dataset`) and keeps
/// the column buffers they point into alive.
public final class DataView: @unchecked Sendable {
    /// How a column's cells reach Lua.
    public enum CellType: Int32, Sendable {
        case text = 0, integer = 1, number = 2, flag = 3
    }

    public struct Column {
        public var name: String
        public var type: CellType
        /// For `.integer`, `.number`, `.flag`: one value per row, NaN when empty.
        public var numbers: ColumnBuffer<Double>?
        /// For `.text`: string-pool index per row, -1 when empty, and the pool.
        public var texts: ColumnBuffer<Int32>?
        public var pool: StringPool?

        public init(name: String, type: CellType, numbers: ColumnBuffer<Double>? = nil,
                    texts: ColumnBuffer<Int32>? = nil, pool: StringPool? = nil) {
            self.name = name
            self.type = type
            self.numbers = numbers
            self.texts = texts
            self.pool = pool
        }
    }

    public struct Table {
        public var name: String
        public var columns: [Column]
        public var rowCount: Int
        /// unitCount + 1 offsets: the rows of unit u are unitStart[u] ..< unitStart[u + 1].
        public var unitStart: ColumnBuffer<Int64>

        public init(name: String, columns: [Column], rowCount: Int, unitStart: ColumnBuffer<Int64>) {
            self.name = name
            self.columns = columns
            self.rowCount = rowCount
            self.unitStart = unitStart
        }
    }

    public let tables: [Table]
    public let unitCount: Int
    private var cStrings: [UnsafeMutablePointer<CChar>] = []
    private var cColumns: [UnsafeMutablePointer<kh_column>] = []
    private let cTables: UnsafeMutablePointer<kh_table>
    let dataset: UnsafeMutablePointer<kh_dataset>

    /// `tables[0]` must be the units table, whose first column is the unit id (text) and whose row u is unit u.
    public init(tables: [Table], unitCount: Int) {
        precondition(!tables.isEmpty && tables.count < 256, "a dataset has 1 to 255 tables")
        self.tables = tables
        self.unitCount = unitCount
        cTables = .allocate(capacity: tables.count)
        dataset = .allocate(capacity: 1)
        for (t, table) in tables.enumerated() {
            let cols = UnsafeMutablePointer<kh_column>.allocate(capacity: Swift.max(table.columns.count, 1))
            for (c, column) in table.columns.enumerated() {
                let name = strdup(column.name)!
                cStrings.append(name)
                let frozen = column.pool?.frozen()
                cols[c] = kh_column(
                    name: name, type: column.type.rawValue,
                    num: column.numbers.map { UnsafePointer($0.pointer) },
                    text: column.texts.map { UnsafePointer($0.pointer) },
                    pool: frozen?.bytes, pool_offsets: frozen?.offsets)
            }
            cColumns.append(cols)
            let name = strdup(table.name)!
            cStrings.append(name)
            cTables[t] = kh_table(
                name: name, ncols: Int32(table.columns.count), cols: cols, nrows: Int64(table.rowCount),
                unit_start: UnsafePointer(table.unitStart.pointer))
        }
        dataset.initialize(to: kh_dataset(ntables: Int32(tables.count), tables: cTables, nunits: Int64(unitCount)))
    }

    deinit {
        for s in cStrings { free(s) }
        for c in cColumns { c.deallocate() }
        cTables.deallocate()
        dataset.deallocate()
    }
}
