import Dispatch
import Foundation
import LuaRuntime

/// Assembly: the checked tables laid out as one data set, and the checks that need every table.
extension DatasetLoader {
    /// A table declared `one_row_per_unit`: every unit has exactly one row. A unit without one, or with a second,
    /// is an error at the units table's line of that unit, or at the second row.
    static func checkOneRowPerUnit(_ parts: [(builder: TableBuilder, table: DataView.Table, lines: ColumnBuffer<Int32>)],
                                   unitCount: Int) throws {
        var sink = DiagnosticSink()
        let units = parts[0]
        let ids = units.table.columns[units.builder.unitColumn]
        func unit(_ u: Int) -> String { "'\(ids.pool!.string(ids.texts![u]))'" }
        for part in parts.dropFirst() where part.builder.input.oneRowPerUnit {
            let name = part.builder.input.name, start = part.table.unitStart
            for u in 0..<unitCount {
                let rows = Int(start[u])..<Int(start[u + 1])
                if rows.isEmpty {
                    let at = units.builder.locate(Int(units.lines[u]))
                    sink.add(Diagnostic(file: at.file, line: at.line, code: "data.missing-row",
                                        message: "unit \(unit(u)) has no row in table '\(name)' (\(part.builder.file)), which the policy "
                                            + "declares one_row_per_unit; add its row"))
                } else if rows.count > 1 {
                    let first = part.builder.locate(Int(part.lines[rows.lowerBound]))
                    for r in rows.dropFirst() {
                        let at = part.builder.locate(Int(part.lines[r]))
                        let firstAt = first.line.map { "line \($0)" } ?? first.file
                        sink.add(Diagnostic(file: at.file, line: at.line, code: "data.duplicate-row",
                                            message: "a second row for unit \(unit(u)) in table '\(name)' (first at \(firstAt)), which the "
                                                + "policy declares one_row_per_unit; keep one"))
                    }
                }
            }
        }
        try sink.check()
    }

    /// Each unit's group (`groups`): the index in `groups.order` of its value in the `by` column. A value the
    /// policy does not list, or an empty cell, is an error at the unit's line: it must not make a group of its own.
    static func groupIndex(_ units: (builder: TableBuilder, table: DataView.Table, lines: ColumnBuffer<Int32>),
                           groups: Policy.Groups?, unitCount: Int) throws -> [Int] {
        guard let groups, let c = units.builder.input.columns.firstIndex(where: { $0.name == groups.by }) else { return [] }
        let column = units.table.columns[c], ids = units.table.columns[units.builder.unitColumn]
        guard let texts = column.texts, let pool = column.pool else { return [] }
        var position: [String: Int] = [:]
        for (i, value) in groups.order.enumerated() { position[value] = i }
        var sink = DiagnosticSink()
        var out = [Int](repeating: 0, count: unitCount)
        let listed = groups.order.map { "'\($0)'" }.joined(separator: ", ")
        for u in 0..<unitCount {
            let value = texts[u] < 0 ? nil : pool.string(texts[u])
            if let value, let g = position[value] { out[u] = g; continue }
            let at = units.builder.locate(Int(units.lines[u]))
            let unit = ids.pool!.string(ids.texts![u])
            let what = value.map { "'\(TerminalText.escaped($0))', which is none of the policy's groups (\(listed))" } ?? "no value"
            sink.add(Diagnostic(file: at.file, line: at.line, code: "data.unknown-group",
                                message: "unit '\(unit)' has \(what) in column '\(groups.by)', which groups the units",
                                hint: "give one of \(listed), or add the group to the policy's groups.order"))
        }
        try sink.check()
        return out
    }

    static func assemble(_ parts: [(builder: TableBuilder, table: DataView.Table, lines: ColumnBuffer<Int32>)],
                         sha256: String, groups: Policy.Groups?) throws -> Dataset {
        let units = parts[0].builder
        let unitCount = units.rowCount
        try checkOneRowPerUnit(parts, unitCount: unitCount)
        let groupIndex = try groupIndex(parts[0], groups: groups, unitCount: unitCount)
        let tables = parts.map(\.table)
        let infos = parts.map { p in
            Dataset.TableInfo(name: p.builder.input.name, file: p.builder.file, columns: p.builder.input.columns,
                              lines: p.lines, rowCount: p.table.rowCount)
        }
        let idColumn = tables[0].columns[units.unitColumn]
        let nameIndex = units.input.columns.firstIndex { $0.name == "name" }!
        let nameColumn = tables[0].columns[nameIndex]
        let ids = (0..<unitCount).map { idColumn.pool!.string(idColumn.texts![$0]) }
        let names = (0..<unitCount).map { u -> String in
            if let t = nameColumn.texts, let p = nameColumn.pool { return t[u] < 0 ? "" : p.string(t[u]) }
            return ""
        }
        let view = DataView(tables: tables, unitCount: unitCount)
        let data = Dataset(view: view, tables: infos, unitIDs: ids, names: names, sha256: sha256)
        data.groupIndex = groupIndex
        return data
    }
}
