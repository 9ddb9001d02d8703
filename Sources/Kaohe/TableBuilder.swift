import LuaRuntime

/// Builds one input table's typed columns from cells, checking each against the policy's declaration.
/// Methods return a message instead of throwing, so the reader can add the cell's location.
final class TableBuilder: @unchecked Sendable {
    let input: Policy.Input
    let file: String
    let isUnits: Bool
    /// For record tables: the units table's id pool (unit index == code).
    let units: StringPool?

    private(set) var numbers: [[Double]]
    private(set) var codes: [[Int32]]
    let pools: [StringPool?]
    private var enumValues: [[[UInt8]]?]
    private(set) var rowUnit: [Int32] = []
    private(set) var rowLine: [Int32] = []
    private var firstLineOfUnit: [Int32] = []
    let unitColumn: Int
    var sink = DiagnosticSink()

    init(input: Policy.Input, file: String, units: StringPool?) {
        self.input = input
        self.file = file
        self.isUnits = units == nil
        self.units = units
        let n = input.columns.count
        numbers = Array(repeating: [], count: n)
        codes = Array(repeating: [], count: n)
        unitColumn = input.columns.firstIndex { $0.name == "unit_id" } ?? 0
        var pools: [StringPool?] = []
        for (c, col) in input.columns.enumerated() {
            switch col.type {
            case .text, .enum:
                if c == unitColumn, let units { pools.append(units) } else { pools.append(StringPool()) }
            default: pools.append(nil)
            }
        }
        self.pools = pools
        enumValues = input.columns.map { $0.type == .enum ? ($0.values ?? []).map { Array($0.utf8) } : nil }
    }

    var rowCount: Int { rowUnit.count }

    func beginRow(line: Int) {
        rowUnit.append(-1)
        rowLine.append(Int32(clamping: line))
        for c in 0..<input.columns.count {
            if pools[c] == nil { numbers[c].append(.nan) } else { codes[c].append(-1) }
        }
    }

    @inline(__always)
    private static func trimmed(_ p: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var a = 0, b = p.count
        while a < b && (p[a] == 0x20 || p[a] == 0x09) { a += 1 }
        while b > a && (p[b - 1] == 0x20 || p[b - 1] == 0x09) { b -= 1 }
        if a == 0 && b == p.count { return p }
        return UnsafeBufferPointer(rebasing: p[a..<b])
    }

    private static func text(_ p: UnsafeBufferPointer<UInt8>) -> String {
        let s = String(decoding: p, as: UTF8.self)
        return s.count > 40 ? String(s.prefix(40)) + "…" : s
    }

    /// Sets column `c` of the current row from text. Returns a problem, or nil.
    func set(_ c: Int, _ raw: UnsafeBufferPointer<UInt8>) -> String? {
        let p = TableBuilder.trimmed(raw)
        let col = input.columns[c]
        let row = rowUnit.count - 1
        if p.isEmpty {
            if col.optional { return nil }
            return "empty value in required column '\(col.name)'; fill it in, or declare it \"\(col.name): \(col.type == .enum ? "enum(…)" : col.type.rawValue)?\" in the policy if it may be empty"
        }
        switch col.type {
        case .number, .integer:
            guard let v = NumberParsing.parse(p) else {
                return "column '\(col.name)' expects a\(col.type == .integer ? "n integer" : " number"), got '\(TableBuilder.text(p))'"
            }
            if col.type == .integer && (v != v.rounded() || abs(v) > 9_007_199_254_740_992) {
                return "column '\(col.name)' expects an integer, got '\(TableBuilder.text(p))'"
            }
            numbers[c][row] = v
        case .flag:
            guard let v = TableBuilder.flag(p) else {
                return "column '\(col.name)' is a flag and expects 0 or 1, got '\(TableBuilder.text(p))'"
            }
            numbers[c][row] = v
        case .enum:
            let allowed = enumValues[c]!
            guard allowed.contains(where: { $0.elementsEqual(p) }) else {
                return "column '\(col.name)' expects one of \((col.values ?? []).joined(separator: ", ")), got '\(TableBuilder.text(p))'"
            }
            codes[c][row] = pools[c]!.intern(p.baseAddress!, p.count)
        case .text:
            if c == unitColumn {
                return setUnit(p)
            }
            codes[c][row] = pools[c]!.intern(p.baseAddress!, p.count)
        }
        return nil
    }

    private func setUnit(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        let row = rowUnit.count - 1
        if let units {
            guard let code = units.lookup(p.baseAddress!, p.count) else {
                return "unit_id '\(TableBuilder.text(p))' is not in the units table; add the unit there or correct the id"
            }
            codes[unitColumn][row] = code
            rowUnit[row] = code
        } else {
            let pool = pools[unitColumn]!
            var isNew = false
            let code = pool.intern(p.baseAddress!, p.count, isNew: &isNew)
            if !isNew {
                return "duplicate unit_id '\(TableBuilder.text(p))' (first on line \(firstLineOfUnit[Int(code)])); each unit appears once in the units table"
            }
            firstLineOfUnit.append(rowLine[row])
            codes[unitColumn][row] = code
            rowUnit[row] = code
        }
        return nil
    }

    /// Sets a numeric column from a JSON number.
    func set(_ c: Int, number v: Double) -> String? {
        let col = input.columns[c]
        let row = rowUnit.count - 1
        switch col.type {
        case .number:
            numbers[c][row] = v
        case .integer:
            if v != v.rounded() { return "column '\(col.name)' expects an integer, got \(v)" }
            numbers[c][row] = v
        case .flag:
            if v != 0 && v != 1 { return "column '\(col.name)' is a flag and expects 0 or 1, got \(v)" }
            numbers[c][row] = v
        case .text, .enum:
            var s = JSONValue.numberText(v)
            return s.withUTF8 { set(c, $0) }
        }
        return nil
    }

    private static func flag(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
        switch String(decoding: p, as: UTF8.self).lowercased() {
        case "1", "true", "yes", "是", "1.0": return 1
        case "0", "false", "no", "否", "0.0": return 0
        default: return nil
        }
    }

    /// Groups rows by unit (stable) and hands back the table for the sandbox, with each row's source line.
    func finish(unitCount: Int) -> (table: DataView.Table, lines: ColumnBuffer<Int32>) {
        let n = rowCount
        let start = ColumnBuffer<Int64>(repeating: 0, count: unitCount + 1)
        var order = [Int](repeating: 0, count: n)
        if isUnits {
            for u in 0...unitCount { start[u] = Int64(Swift.min(u, n)) }
            for i in 0..<n { order[i] = i }
        } else {
            for u in rowUnit where u >= 0 { start[Int(u) + 1] += 1 }
            for u in 0..<unitCount { start[u + 1] += start[u] }
            var next = (0..<unitCount).map { Int(start[$0]) }
            for i in 0..<n {
                let u = Int(rowUnit[i])
                order[next[u]] = i
                next[u] += 1
            }
        }
        var columns: [DataView.Column] = []
        for (c, col) in input.columns.enumerated() {
            if let pool = pools[c] {
                let src = codes[c]
                let buf = ColumnBuffer<Int32>(count: n) { b in for i in 0..<n { b[i] = src[order[i]] } }
                columns.append(DataView.Column(name: col.name, type: .text, texts: buf, pool: pool))
            } else {
                let src = numbers[c]
                let buf = ColumnBuffer<Double>(count: n) { b in for i in 0..<n { b[i] = src[order[i]] } }
                let type: DataView.CellType = col.type == .flag ? .flag : col.type == .integer ? .integer : .number
                columns.append(DataView.Column(name: col.name, type: type, numbers: buf))
            }
        }
        let lines = ColumnBuffer<Int32>(count: n) { b in for i in 0..<n { b[i] = rowLine[order[i]] } }
        numbers = []
        codes = []
        return (DataView.Table(name: input.name, columns: columns, rowCount: n, unitStart: start), lines)
    }
}
