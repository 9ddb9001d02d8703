import Foundation
import LuaRuntime

/// Builds one input table's typed columns from cells, checking each against the policy's declaration.
/// Methods return a message instead of throwing, so the reader can add the cell's location.
final class TableBuilder: @unchecked Sendable {
    private enum Kind: UInt8 { case number, integer, percent, flag, enumeration, text, unit }

    let input: Policy.Input
    let file: String
    /// For record tables: the units table's id pool (unit index == code).
    let units: StringPool?

    private let kinds: [Kind]
    let pools: [StringPool?]
    /// Unretained references to the pools, so interning a cell costs no reference counting.
    private let poolRefs: [Unmanaged<StringPool>?]
    private let enumValues: [[[UInt8]]]
    /// Each enum value's code in its column's pool once a cell used it (-1 before): the pool interns values
    /// in the order the data first uses them, and later cells skip the pool's hashing.
    private var enumCodes: [[Int32]]
    // Staged cells, one raw buffer per column, all with the same capacity (reference counting and
    // exclusivity checks on per-column buffer objects were a third of the loading time).
    private let numberColumns: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    private let codeColumns: UnsafeMutablePointer<UnsafeMutablePointer<Int32>?>
    private var rowUnit: UnsafeMutablePointer<Int32>
    private var rowLine: UnsafeMutablePointer<Int32>
    private var capacity = 0
    private var staged = 0
    private var firstLineOfUnit: [Int32] = []
    let unitColumn: Int
    /// The column holding points (`Policy.Input.pointsColumn`), if any.
    private let pointsColumn: Int?
    var sink = DiagnosticSink()
    /// Where a row is, from the line (or sheet row) it was read at: `file:line`, or a workbook's cell A<row>.
    var locate: @Sendable (Int) -> (file: String, line: Int?)

    init(input: Policy.Input, file: String, units: StringPool?, expectedRows: Int = 0) {
        self.input = input
        self.file = file
        locate = { [file] line in (file, line) }
        self.units = units
        let unitColumn = input.columns.firstIndex { $0.name == "unit_id" } ?? 0
        self.unitColumn = unitColumn
        pointsColumn = input.pointsColumn.flatMap { name in input.columns.firstIndex { $0.name == name } }
        var kinds: [Kind] = []
        var pools: [StringPool?] = []
        for (c, col) in input.columns.enumerated() {
            let kind: Kind
            switch col.type {
            case .number: kind = .number
            case .integer: kind = .integer
            case .percent: kind = .percent
            case .flag: kind = .flag
            case .enum: kind = .enumeration
            case .text: kind = c == unitColumn ? .unit : .text
            }
            kinds.append(kind)
            let isText = kind == .enumeration || kind == .text || kind == .unit
            pools.append(isText ? (kind == .unit ? (units ?? StringPool()) : StringPool()) : nil)
        }
        self.kinds = kinds
        self.pools = pools
        poolRefs = pools.map { $0.map { Unmanaged.passUnretained($0) } }
        enumValues = input.columns.map { ($0.values ?? []).map { Array($0.utf8) } }
        enumCodes = enumValues.map { [Int32](repeating: -1, count: $0.count) }
        let n = kinds.count
        numberColumns = .allocate(capacity: Swift.max(n, 1))
        numberColumns.initialize(repeating: nil, count: Swift.max(n, 1))
        codeColumns = .allocate(capacity: Swift.max(n, 1))
        codeColumns.initialize(repeating: nil, count: Swift.max(n, 1))
        rowUnit = .allocate(capacity: 1)
        rowLine = .allocate(capacity: 1)
        grow(to: expectedRows)
    }

    deinit {
        freeStaging()
        numberColumns.deallocate()
        codeColumns.deallocate()
    }

    private func freeStaging() {
        for c in 0..<kinds.count {
            free(numberColumns[c])
            free(codeColumns[c])
            numberColumns[c] = nil
            codeColumns[c] = nil
        }
        rowUnit.deallocate()
        rowLine.deallocate()
        rowUnit = .allocate(capacity: 1)
        rowLine = .allocate(capacity: 1)
        capacity = 0
    }

    private static func resized<T>(_ p: UnsafeMutablePointer<T>?, _ count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = realloc(p, count * MemoryLayout<T>.stride) else { fatalError("out of memory loading data") }
        return raw.assumingMemoryBound(to: T.self)
    }

    private func grow(to wanted: Int = 0) {
        let cap = Swift.max(4096, capacity * 2, wanted)
        for (c, kind) in kinds.enumerated() {
            if kind == .enumeration || kind == .text || kind == .unit {
                codeColumns[c] = TableBuilder.resized(codeColumns[c], cap)
            } else {
                numberColumns[c] = TableBuilder.resized(numberColumns[c], cap)
            }
        }
        let units = UnsafeMutablePointer<Int32>.allocate(capacity: cap)
        let lines = UnsafeMutablePointer<Int32>.allocate(capacity: cap)
        units.update(from: rowUnit, count: staged)
        lines.update(from: rowLine, count: staged)
        rowUnit.deallocate()
        rowLine.deallocate()
        rowUnit = units
        rowLine = lines
        capacity = cap
    }

    var isUnits: Bool { units == nil }
    private var finishedRows: Int?
    var rowCount: Int { finishedRows ?? staged }

    func beginRow(line: Int) {
        if staged == capacity { grow() }
        rowUnit[staged] = -1
        rowLine[staged] = Int32(clamping: line)
        for c in 0..<kinds.count {
            if let n = numberColumns[c] { n[staged] = .nan } else { codeColumns[c]![staged] = -1 }
        }
        staged += 1
    }

    /// The cell without leading and trailing spaces and tabs; a cell is empty when this is.
    @inline(__always)
    static func trimmed(_ p: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
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
        let row = staged - 1
        if p.isEmpty {
            let col = input.columns[c]
            if col.optional { return nil }
            return "empty value in required column '\(col.name)'; fill it in, or declare it \"\(col.name): \(col.type == .enum ? "enum(…)" : col.type.rawValue)?\" in the policy if it may be empty"
        }
        switch kinds[c] {
        case .percent:
            return setPercent(c, p)
        case .number, .integer:
            // the common cell, at most 15 digits and a point: exact, within the range, and an integer when it
            // has no fraction digits (the checks below would all pass)
            if let (v, integral) = NumberParsing.plainDecimal(p), c != pointsColumn, integral || kinds[c] == .number {
                numberColumns[c]![row] = v
                return nil
            }
            guard let v = NumberParsing.parse(p) else {
                if NumberParsing.percentPart(p) != nil {
                    let name = input.columns[c].name
                    return "column '\(name)' expects a\(kinds[c] == .integer ? "n integer" : " number"), got '\(TableBuilder.text(p))'; "
                        + "if the column holds percentages, declare it \"\(name): percent\" in the policy (then 95%, 95 and a cell "
                        + "formatted as 95% all read as 95); otherwise write the number alone"
                }
                return "column '\(input.columns[c].name)' expects a\(kinds[c] == .integer ? "n integer" : " number"), got '\(TableBuilder.text(p))'"
                    + NumberParsing.hint(p)
            }
            if NumberParsing.significantDigits(p) > 15 {
                return "column '\(input.columns[c].name)': '\(TableBuilder.text(p))' has more than 15 significant digits, more than can be compared exactly; round it"
            }
            if let problem = rangeProblem(c, v, TableBuilder.text(p)) { return problem }
            if kinds[c] == .integer && (v != v.rounded() || abs(v) > 9_007_199_254_740_992) {
                return "column '\(input.columns[c].name)' expects an integer, got '\(TableBuilder.text(p))'"
            }
            numberColumns[c]![row] = v
        case .flag:
            guard let v = TableBuilder.flag(p) else {
                return "column '\(input.columns[c].name)' is a flag and expects 0 or 1, got '\(TableBuilder.text(p))'"
            }
            numberColumns[c]![row] = v
        case .enumeration:
            guard let k = enumValues[c].firstIndex(where: { v in
                v.count == p.count && v.withUnsafeBufferPointer { memcmp($0.baseAddress!, p.baseAddress!, p.count) == 0 }
            }) else {
                let values = input.columns[c].values ?? []
                let got = String(decoding: p, as: UTF8.self)
                let meant = values.filter { Suggestions.looseKey($0) == Suggestions.looseKey(got) }
                return "column '\(input.columns[c].name)' expects one of \(values.joined(separator: ", ")), got '\(TableBuilder.text(p))'"
                    + (meant.count == 1 ? " (did you mean '\(meant[0])'?)" : "")
            }
            var code = enumCodes[c][k]
            if code < 0 {
                code = poolRefs[c]!._withUnsafeGuaranteedRef { $0.intern(p.baseAddress!, p.count) }
                enumCodes[c][k] = code
            }
            codeColumns[c]![row] = code
        case .text:
            codeColumns[c]![row] = poolRefs[c]!._withUnsafeGuaranteedRef { $0.intern(p.baseAddress!, p.count) }
        case .unit:
            return setUnit(p, row: row)
        }
        return nil
    }

    /// The last unit id a record table's row named, and its code: a unit's rows usually come together, so
    /// most rows skip the pool's hash lookup.
    private var lastUnit: [UInt8] = []
    private var lastUnitCode: Int32 = -1

    private func setUnit(_ p: UnsafeBufferPointer<UInt8>, row: Int) -> String? {
        let pool = poolRefs[unitColumn]!
        if !isUnits {
            if lastUnitCode >= 0 && lastUnit.count == p.count
                && lastUnit.withUnsafeBytes({ memcmp($0.baseAddress!, p.baseAddress!, p.count) }) == 0 {
                codeColumns[unitColumn]![row] = lastUnitCode
                rowUnit[row] = lastUnitCode
                return nil
            }
            guard let code = pool._withUnsafeGuaranteedRef({ $0.lookup(p.baseAddress!, p.count) }) else {
                return "unit_id '\(TableBuilder.text(p))' is not in the units table; add the unit there or correct the id"
                    + unitHint(String(decoding: p, as: UTF8.self), pool: pool)
            }
            codeColumns[unitColumn]![row] = code
            rowUnit[row] = code
            lastUnit = Array(p)
            lastUnitCode = code
        } else {
            var isNew = false
            let code = pool._withUnsafeGuaranteedRef { $0.intern(p.baseAddress!, p.count, isNew: &isNew) }
            if !isNew {
                return "duplicate unit_id '\(TableBuilder.text(p))' (first on line \(firstLineOfUnit[Int(code)])); each unit appears once in the units table"
            }
            firstLineOfUnit.append(rowLine[row])
            codeColumns[unitColumn]![row] = code
            rowUnit[row] = code
        }
        return nil
    }

    /// The units table's id that `id` probably means: the same once letter case, full-width characters (a
    /// Chinese input method) and invisible spaces are set aside. Built on the first unknown id only.
    private var normalizedUnits: [String: String]?

    private func unitHint(_ id: String, pool: Unmanaged<StringPool>) -> String {
        if normalizedUnits == nil {
            let units = pool.takeUnretainedValue()
            var map: [String: String] = [:]
            for code in 0..<Int32(units.count) {
                let s = units.string(code)
                map[Suggestions.looseKey(s)] = map[Suggestions.looseKey(s)] == nil ? s : ""   // "" marks an ambiguous key
            }
            normalizedUnits = map
        }
        guard let match = normalizedUnits?[Suggestions.looseKey(id)], !match.isEmpty, match != id else { return "" }
        return " (did you mean '\(match)'?)"
    }

    /// Sets a column from a JSON number.
    func set(_ c: Int, number v: Double) -> String? {
        let row = staged - 1
        let name = input.columns[c].name
        if kinds[c] != .text && kinds[c] != .enumeration && kinds[c] != .unit,
           let problem = rangeProblem(c, v, JSONValue.numberText(v)) { return problem }
        switch kinds[c] {
        case .number:
            numberColumns[c]![row] = v
        case .percent:
            if let problem = ambiguousPercent(c, v, JSONValue.numberText(v)) { return problem }
            numberColumns[c]![row] = v
        case .integer:
            if v != v.rounded() { return "column '\(name)' expects an integer, got \(JSONValue.numberText(v))" }
            numberColumns[c]![row] = v
        case .flag:
            if v != 0 && v != 1 { return "column '\(name)' is a flag and expects 0 or 1, got \(JSONValue.numberText(v))" }
            numberColumns[c]![row] = v
        case .text, .enumeration, .unit:
            var s = JSONValue.numberText(v)
            return s.withUTF8 { set(c, $0) }
        }
        return nil
    }

    /// A percent column's cell: `95%` (or `95％`, `95 %`) is 95 percent, and so is a plain 95; a plain number
    /// between 0 and 2 could be a fraction (0.95 for 95%, 1.08 for 108%) and is refused.
    private func setPercent(_ c: Int, _ p: UnsafeBufferPointer<UInt8>) -> String? {
        // the common cell: a plain percent such as 97.69 that cannot be a fraction (see ambiguousPercent)
        if let (v, _) = NumberParsing.plainDecimal(p), c != pointsColumn, v == 0 || abs(v) >= 2 {
            numberColumns[c]![staged - 1] = v
            return nil
        }
        let explicit = NumberParsing.percentPart(p)
        let digits = explicit ?? p
        guard let v = NumberParsing.parse(digits) else {
            let name = input.columns[c].name
            return "column '\(name)' holds percentages and expects a number such as 95 or 95%, got '\(TableBuilder.text(p))'"
                + NumberParsing.hint(digits)
        }
        if NumberParsing.significantDigits(digits) > 15 {
            return "column '\(input.columns[c].name)': '\(TableBuilder.text(p))' has more than 15 significant digits, more than can be compared exactly; round it"
        }
        if let problem = rangeProblem(c, v, TableBuilder.text(p)) { return problem }
        if explicit == nil, let problem = ambiguousPercent(c, v, TableBuilder.text(p)) { return problem }
        numberColumns[c]![staged - 1] = v
        return nil
    }

    /// A percent column's values are percents: a plain number above -2 and below 2 (but not 0) is as likely a
    /// fraction (0.95 for 95%) as a percent, so it must be written with its sign (0.95%) or as a percent (95).
    private func ambiguousPercent(_ c: Int, _ v: Double, _ text: @autoclosure () -> String) -> String? {
        guard v != 0 && abs(v) < 2 else { return nil }
        let text = text()
        let name = input.columns[c].name
        let times100 = JSONValue.numberText(TableBuilder.percentOf(fraction: v))
        return "column '\(name)' holds percentages, and the plain number \(text) could be a fraction (\(times100)%) or "
            + "\(text)%; write \(times100) (or \(times100)%) if it is a fraction, or \(text)% if it really is \(text) percent"
    }

    /// The percent a fraction stands for (0.95 → 95), to 15 significant digits as a spreadsheet shows it (so
    /// 1.1 gives 110, not 110.00000000000001).
    static func percentOf(fraction v: Double) -> Double {
        Double(String(format: "%.15g", v * 100)) ?? v * 100
    }

    /// Sets column `c` from a workbook cell formatted as a percentage, which holds the fraction (0.95 for a
    /// cell showing 95%): a percent column gets the percent the person typed (95); any other column refuses
    /// it, since the policy does not say whether it wants 0.95 or 95.
    func set(_ c: Int, percentCell v: Double) -> String? {
        let name = input.columns[c].name
        let shown = JSONValue.numberText(TableBuilder.percentOf(fraction: v))
        guard kinds[c] == .percent else {
            let declared = input.columns[c].type == .enum ? "enum" : input.columns[c].type.rawValue
            return "column '\(name)' is declared \(declared), but the cell is formatted as a percentage (it shows \(shown)% and "
                + "holds \(JSONValue.numberText(v))); if the column holds percentages, declare it \"\(name): percent\" in the "
                + "policy, otherwise format the cell as a number (or text) and type the value again"
        }
        let percent = TableBuilder.percentOf(fraction: v)
        if let problem = rangeProblem(c, percent, shown + "%") { return problem }
        numberColumns[c]![staged - 1] = percent
        return nil
    }

    /// Numbers in data are read exactly below 10¹⁵ in magnitude (15 digits); a column that holds points
    /// (a self-check score) within ±`Points.limit`.
    static let numberLimit: Double = 1e15

    /// `text` is built only for a message: every numeric cell passes here.
    private func rangeProblem(_ c: Int, _ v: Double, _ text: @autoclosure () -> String) -> String? {
        if !(abs(v) < TableBuilder.numberLimit) {
            return "column '\(input.columns[c].name)': '\(text())' is too large for kaohe to read exactly (numbers in data must be smaller "
                + "than 1,000,000,000,000,000 in magnitude); check the value"
        }
        if c == pointsColumn, Points(checked: v) == nil {
            return "column '\(input.columns[c].name)' holds points, which kaohe keeps exactly only \(Points.limitText); got '\(text())'"
        }
        return nil
    }

    /// 0/1 as written by every export; true/false, yes/no and 是/否 as people type them.
    private static func flag(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
        if p.count == 1 {
            if p[0] == 0x31 { return 1 }
            if p[0] == 0x30 { return 0 }
            return nil
        }
        switch String(decoding: p, as: UTF8.self).lowercased() {
        case "true", "yes", "是", "1.0": return 1
        case "false", "no", "否", "0.0": return 0
        default: return nil
        }
    }

    /// Groups rows by unit (stable) and hands back the table for the sandbox, with each row's source line.
    func finish(unitCount: Int) -> (table: DataView.Table, lines: ColumnBuffer<Int32>) {
        let n = rowCount
        let start = ColumnBuffer<Int64>(repeating: 0, count: unitCount + 1)
        // rows already grouped by unit in the units table's order (the usual export order) stay where they are,
        // and the staged buffers are handed over as they are; otherwise a stable counting sort by unit
        var grouped = true
        if !isUnits { for i in 1..<Swift.max(n, 1) where rowUnit[i] < rowUnit[i - 1] { grouped = false; break } }
        if isUnits {
            for u in 0...unitCount { start[u] = Int64(Swift.min(u, n)) }
        } else {
            for i in 0..<n { start[Int(rowUnit[i]) + 1] += 1 }
            for u in 0..<unitCount { start[u + 1] += start[u] }
        }
        let order = ColumnBuffer<Int>(repeating: 0, count: grouped ? 0 : n)
        if !grouped {
            let next = ColumnBuffer<Int>(count: unitCount) { b in for u in 0..<unitCount { b[u] = Int(start[u]) } }
            for i in 0..<n {
                let u = Int(rowUnit[i])
                order[next[u]] = i
                next[u] += 1
            }
        }
        var columns: [DataView.Column] = []
        for (c, col) in input.columns.enumerated() {
            if let src = codeColumns[c] {
                let buf: ColumnBuffer<Int32>
                if grouped {
                    buf = ColumnBuffer(adoptingMallocated: src, count: n)
                    codeColumns[c] = nil
                } else {
                    buf = ColumnBuffer<Int32>(count: n) { b in for i in 0..<n { b[i] = src[order[i]] } }
                }
                columns.append(DataView.Column(name: col.name, type: .text, texts: buf, pool: pools[c]))
            } else {
                let src = numberColumns[c]!
                let buf: ColumnBuffer<Double>
                if grouped {
                    buf = ColumnBuffer(adoptingMallocated: src, count: n)
                    numberColumns[c] = nil
                } else {
                    buf = ColumnBuffer<Double>(count: n) { b in for i in 0..<n { b[i] = src[order[i]] } }
                }
                // a percent column is a number column to the sandbox: 95 for 95%
                let type: DataView.CellType = col.type == .flag ? .flag : col.type == .integer ? .integer : .number
                columns.append(DataView.Column(name: col.name, type: type, numbers: buf))
            }
        }
        let lines = ColumnBuffer<Int32>(count: n) { b in
            if grouped { b.baseAddress!.update(from: rowLine, count: n) } else { for i in 0..<n { b[i] = rowLine[order[i]] } }
        }
        // the laid-out copies are all that is needed from here on
        finishedRows = n
        freeStaging()
        return (DataView.Table(name: input.name, columns: columns, rowCount: n, unitStart: start), lines)
    }
}
