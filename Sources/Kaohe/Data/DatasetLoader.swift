import Dispatch
import Foundation
import LuaRuntime

/// Loads `--data`: a folder with one `<table>.csv` per declared table, or a JSON file with one array of
/// records per table. Everything is checked against the policy's inputs before any rule runs; all problems
/// (up to a limit) are reported together.
public enum DatasetLoader {
    public static func load(policy: Policy, path: String, encoding: TextEncoding = .auto) throws -> Dataset {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw DataError(diagnostics: [Diagnostic(file: path, code: "data.not-found", message: "no such file or folder",
                                                     hint: "the data is a folder of <table>.csv (or <table>.xlsx) files, a .json file or an .xlsx workbook")])
        }
        let data: Dataset
        if isDir.boolValue {
            data = try loadCSVFolder(policy: policy, folder: path, encoding: encoding)
        } else if path.lowercased().hasSuffix(".json") {
            data = try loadJSON(policy: policy, file: path)
        } else if path.lowercased().hasSuffix(".xlsx") {
            data = try loadWorkbook(policy: policy, file: path)
        } else {
            throw DataError(diagnostics: [Diagnostic(file: path, code: "data.unsupported-file", message: "unsupported data file; give a folder of <table>.csv files (and filled self-check forms), a .json file or an .xlsx workbook")])
        }
        data.path = path
        return data
    }

    // MARK: CSV

    /// A table read and checked, ready for the sandbox (or the problems found in it).
    struct LoadedTable {
        var builder: TableBuilder
        var table: DataView.Table?
        var lines: ColumnBuffer<Int32>?
        var digest: [UInt8]
    }

    /// A file in the data folder that is a symbolic link to a file outside it: refused, since a data set is
    /// what its folder holds (a link can make a run read any file the user can, and the report show it).
    static func outsideFolder(_ path: String, folder: String) -> Diagnostic? {
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
        guard let dir = realpath(folder, nil) else { return nil }
        defer { free(dir) }
        let d = String(cString: dir)
        guard let file = realpath(path, nil) else {
            return Diagnostic(file: path, code: "data.dangling-link", message: "the file is a symbolic link to \(link), which does not exist")
        }
        defer { free(file) }
        let f = String(cString: file)
        if f.hasPrefix(d.hasSuffix("/") ? d : d + "/") { return nil }
        return Diagnostic(file: path, code: "data.link-outside", message: "the file is a symbolic link to \(f), outside the data folder \(d); "
                          + "kaohe reads only the files in the folder: copy the file in instead of linking it")
    }

    static func loadCSVFolder(policy: Policy, folder: String, encoding: TextEncoding) throws -> Dataset {
        var sink = DiagnosticSink()
        // each table is <table>.csv, or else a one-table workbook <table>.xlsx (as a CSV folder is made in Excel)
        var paths = policy.inputs.map { input -> String in
            let csv = (folder as NSString).appendingPathComponent(input.name + ".csv")
            let xlsx = (folder as NSString).appendingPathComponent(input.name + ".xlsx")
            return !FileManager.default.fileExists(atPath: csv) && FileManager.default.fileExists(atPath: xlsx) ? xlsx : csv
        }
        let tableWorkbooks = Set(policy.inputs.map { $0.name + ".xlsx" })
        // a self-check policy's own table may come as filled .xlsx forms instead of a CSV file
        var formCSV: [String: [UInt8]] = [:]
        if let spec = policy.selfcheck, let i = policy.inputs.firstIndex(where: { $0.name == spec.table }),
           !FileManager.default.isReadableFile(atPath: paths[i]) {
            let forms = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.lowercased().hasSuffix(".xlsx") && !$0.hasPrefix("~$") && !tableWorkbooks.contains($0) }.sorted()
            if !forms.isEmpty {
                paths[i] = (folder as NSString).appendingPathComponent("*.xlsx (self-check forms)")
                formCSV[paths[i]] = try SelfCheckForms.csv(policy: policy, input: policy.inputs[i],
                                                           files: forms.map { (folder as NSString).appendingPathComponent($0) })
            }
        }
        let files = paths, forms = formCSV
        let present = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let tableFiles = Set(policy.inputs.map { $0.name + ".csv" })
        for path in files where forms[path] == nil {
            if let outside = outsideFolder(path, folder: folder) { sink.add(outside) }
        }
        try sink.check()
        for (input, path) in zip(policy.inputs, files) where forms[path] == nil && !FileManager.default.isReadableFile(atPath: path) {
            sink.add(Diagnostic(file: path, code: "data.missing-table", message: "missing file for table '\(input.name)' (the policy declares it with columns \(input.columns.map(\.name).joined(separator: ", ")))"
                                + missingFileHint(table: input.name, present: present, tables: tableFiles)))
        }
        try sink.check()
        // the units table first: record tables resolve their unit ids against it
        let units = try loadCSVTable(policy.inputs[0], path: files[0], encoding: encoding, units: nil, unitCount: nil,
                                     bytes: forms[files[0]])
        if units.builder.sink.isEmpty && units.builder.rowCount == 0 {
            units.builder.sink.add(Diagnostic(file: files[0], line: 2, code: "data.no-units", message: "the units table has no rows; list one unit per row"))
        }
        // the other tables are still checked when the units table has problems, as long as it has unit ids
        if units.builder.rowCount == 0 { try units.builder.sink.check() }
        sink.merge(units.builder.sink)
        let unitPool = units.builder.pools[units.builder.unitColumn]!
        let unitCount = units.builder.rowCount
        // each worker reads, checks and lays out whole tables, so only the tables in flight hold raw bytes
        let rest = Array(policy.inputs.indices.dropFirst())
        let loaded = ResultSlots<Result<LoadedTable, any Error>>(count: rest.count)
        DispatchQueue.concurrentPerform(iterations: rest.count) { k in
            let i = rest[k]
            loaded[k] = Result {
                try loadCSVTable(policy.inputs[i], path: files[i], encoding: encoding, units: unitPool, unitCount: unitCount,
                                 bytes: forms[files[i]])
            }
        }
        var tables = [units]
        for k in 0..<rest.count {
            switch loaded[k]! {
            case .success(let t):
                sink.merge(t.builder.sink)
                tables.append(t)
            case .failure(let e as DataError):
                for d in e.diagnostics { sink.add(d) }
                sink.omitted += e.omitted
            case .failure(let e):
                sink.add(Diagnostic(file: files[rest[k]], code: "data.unreadable", message: "\(e)"))
            }
        }
        try sink.check()
        // units are laid out once every table has been checked against them
        let (unitTable, unitLines) = units.builder.finish(unitCount: unitCount)
        tables[0].table = unitTable
        tables[0].lines = unitLines
        let digest = Hashing.sha256(parts: zip(policy.inputs, files).enumerated().map { k, entry in
            ((entry.1.hasSuffix(".xlsx") && forms[entry.1] == nil ? entry.0.name + ".xlsx" : entry.0.name + ".csv"), tables[k].digest)
        })
        let data = try assemble(tables.map { ($0.builder, $0.table!, $0.lines!) }, sha256: digest, groups: policy.groups)
        if let spec = policy.selfcheck, let i = policy.inputs.firstIndex(where: { $0.name == spec.table }) {
            let fromForms = forms[files[i]] != nil
            data.warnings = SelfCheckForms.warnings(policy: policy, data: data, where_: fromForms ? folder : files[i],
                                                    folder: fromForms ? folder : nil)
        }
        return data
    }

    /// Reads, decodes, parses and checks one CSV file; a record table is also laid out by unit.
    static func loadCSVTable(_ input: Policy.Input, path: String, encoding: TextEncoding, units: StringPool?,
                             unitCount: Int?, bytes given: [UInt8]? = nil) throws -> LoadedTable {
        guard let raw = given ?? FileReading.bytes(atPath: path) else {
            throw DataError(diagnostics: [Diagnostic(file: path, code: "data.unreadable", message: "cannot read the file")])
        }
        let digest = Hashing.sha256Digest(raw)
        let builder = given == nil && path.hasSuffix(".xlsx")
            ? try workbookTable(input, path: path, bytes: raw, units: units)
            : try parseCSV(input, path: path, bytes: raw, encoding: encoding, units: units)
        var loaded = LoadedTable(builder: builder, table: nil, lines: nil, digest: digest)
        if let unitCount, builder.sink.isEmpty {
            let (table, lines) = builder.finish(unitCount: unitCount)
            loaded.table = table
            loaded.lines = lines
        }
        return loaded
    }

    static func parseCSV(_ input: Policy.Input, path: String, bytes raw: [UInt8], encoding: TextEncoding,
                         units: StringPool?) throws -> TableBuilder {
        let builder = TableBuilder(input: input, file: path, units: units, expectedRows: FileReading.lineCount(raw))
        let bytes: [UInt8]
        do {
            bytes = try TextDecoding.decode(raw, as: encoding)
        } catch {
            let (line, column) = position(of: error.offset, in: raw)
            throw DataError(diagnostics: [Diagnostic(file: path, line: line, column: column, code: error.code, message: error.message, hint: error.hint)])
        }
        try bytes.withUnsafeBufferPointer { buf in
            var reader = CSVReader(bytes: buf)
            do {
                guard try reader.next() != nil else {
                    builder.sink.add(Diagnostic(file: path, line: 1, code: "data.no-header", message: "empty file; expected a header row: \(input.columns.map(\.name).joined(separator: ","))"))
                    return
                }
                // header → declared column for each field
                var map = [Int](repeating: -1, count: reader.fields.count)
                var seen = [Int: Int]()
                for (k, f) in reader.fields.enumerated() {
                    let name = String(decoding: reader.value(f), as: UTF8.self).trimmingCharacters(in: .whitespaces)
                    if let c = input.columns.firstIndex(where: { $0.name == name }) {
                        if let first = seen[c] {
                            builder.sink.add(Diagnostic(file: path, line: f.line, column: reader.column(of: f), code: "data.duplicate-column", message: "column '\(name)' appears twice in the header (first as field \(first + 1))"))
                        }
                        seen[c] = k
                        map[k] = c
                    }
                }
                let missing = input.columns.indices.filter { seen[$0] == nil }
                if !missing.isEmpty {
                    let header = reader.fields.map { String(decoding: reader.value($0), as: UTF8.self) }
                    builder.sink.add(Diagnostic(file: path, line: 1, column: 1,
                                                code: "data.missing-column", message: missingColumns(input, missing, header: header, where_: "")))
                    return
                }
                let width = map.count
                // the field holding the unit id: a row with one is data, whatever else it holds
                let key = map.firstIndex(of: builder.unitColumn) ?? 0
                while let line = try reader.next() {
                    // as in workbooks, a row with nothing in the declared columns is not data: spreadsheets
                    // export rows of bare commas below a table, and a row may hold only a remark. (No closure
                    // captures `reader` here: that would box it, and every row would pay for it.)
                    if key >= reader.fields.count || Self.isBlank(reader.value(reader.fields[key])) {
                        var allBlank = true, declaredBlank = reader.fields.count == width
                        for (k, f) in reader.fields.enumerated() where !Self.isBlank(reader.value(f)) {
                            allBlank = false
                            if k < map.count && map[k] >= 0 { declaredBlank = false }
                        }
                        if allBlank || declaredBlank { continue }
                    }
                    if reader.fields.count != width {
                        let f = reader.fields.last!
                        builder.sink.add(Diagnostic(file: path, line: line, column: reader.column(of: f), code: "csv.field-count", message: "expected \(width) fields as in the header, found \(reader.fields.count)"))
                        continue
                    }
                    builder.beginRow(line: line)
                    for k in 0..<width {
                        let c = map[k]
                        if c < 0 { continue }
                        let f = reader.fields[k]
                        if let message = builder.set(c, reader.value(f)) {
                            builder.sink.add(Diagnostic(file: path, line: f.line, column: reader.column(of: f), code: "data.value", message: message))
                        }
                    }
                }
            } catch let error as CSVReader.Problem {
                builder.sink.add(Diagnostic(file: path, line: error.line, column: reader.column(offset: error.offset, lineStart: error.lineStart), code: "csv.syntax", message: error.message))
            }
        }
        return builder
    }

    /// Whether a cell is empty as the table builder sees it (nothing but spaces and tabs).
    @inline(__always)
    static func isBlank(_ p: UnsafeBufferPointer<UInt8>) -> Bool { TableBuilder.trimmed(p).isEmpty }

    /// A file in the folder that is probably the table's under another name: other letter case ("Units.CSV"),
    /// or another extension (a workbook saved as .xls/.xlsx, or .txt).
    static func missingFileHint(table: String, present: [String], tables: Set<String>) -> String {
        let wanted = table.lowercased()
        for name in present where !name.hasPrefix(".") {
            let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension.lowercased()
            guard base.lowercased() == wanted else { continue }
            if ext == "csv" || ext == "xlsx" { return "; there is '\(name)': rename it to '\(table).\(ext)' (names are case-sensitive)" }
            if ext == "xls" || ext == "ods" || ext == "et" {
                return "; there is '\(name)', which kaohe cannot read: open it in Excel, WPS or LibreOffice and save it as '\(table).xlsx' (or as CSV)"
            }
            if ext == "txt" { return "; there is '\(name)': save it as CSV (UTF-8 or GBK) named '\(table).csv'" }
        }
        // CSV files no table is named after: one of them may be this table under another name
        let stray = present.filter { !$0.hasPrefix(".") && $0.lowercased().hasSuffix(".csv") && !tables.contains($0) }
        if !stray.isEmpty && stray.count <= 5 {
            return "; the folder also has \(stray.map { "'\($0)'" }.joined(separator: ", ")), which the policy does not read (a table's file is named after it)"
        }
        return ""
    }

    /// "missing column(s) 'x' …" for the declared columns `missing` (indices) that a header lacks, with the
    /// header cells that are probably them; `where_` says where the header is (" in the header row").
    static func missingColumns(_ input: Policy.Input, _ missing: [Int], header: [String], where_: String) -> String {
        let names = missing.map { input.columns[$0].name }
        return "missing column\(missing.count > 1 ? "s" : "") \(names.map { "'\($0)'" }.joined(separator: ", "))\(where_) "
            + "(the policy's '\(input.name)' table needs \(input.columns.map(\.name).joined(separator: ", ")))"
            + headerHint(names, header: header)
    }

    /// Header names that are probably the missing columns spelt another way: other letter case, spaces,
    /// full-width letters (a Chinese input method), or '-' for '_'.
    static func headerHint(_ missing: [String], header: [String]) -> String {
        func key(_ s: String) -> String { Suggestions.looseKey(s).replacingOccurrences(of: "-", with: "_") }
        let found = missing.compactMap { name in header.first { key($0) == key(name) && $0 != name }.map { (name, $0) } }
        guard !found.isEmpty else { return "" }
        return "; the header has " + found.map { "'\($0.1)' for '\($0.0)'" }.joined(separator: ", ")
            + " (column names must match exactly)"
    }

    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, start = 0
        for i in 0..<Swift.min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            start = i + 1
        }
        return (line, Swift.max(offset - start, 0) + 1)
    }

    // MARK: JSON

    static func loadJSON(policy: Policy, file: String) throws -> Dataset {
        guard var bytes = FileReading.bytes(atPath: file) else {
            throw DataError(diagnostics: [Diagnostic(file: file, code: "data.unreadable", message: "cannot read the file")])
        }
        let sha = Hashing.sha256(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let root: JSONReader.Node
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            throw DataError(diagnostics: [Diagnostic(file: file, line: error.line, column: error.column, code: "json.syntax", message: error.message)])
        }
        guard case .object(let tables) = root.value else {
            throw DataError(diagnostics: [Diagnostic(file: file, line: root.line, column: root.column, code: "json.shape", message: "expected an object with one array of records per table (\(policy.inputs.map(\.name).joined(separator: ", ")))")])
        }
        var sink = DiagnosticSink()
        var builders: [TableBuilder] = []
        var unitPool: StringPool?
        for input in policy.inputs {
            guard let entry = tables.first(where: { $0.key == input.name }) else {
                sink.add(Diagnostic(file: file, line: root.line, column: root.column, code: "data.missing-table", message: "missing table '\(input.name)' (an array of records with \(input.columns.map(\.name).joined(separator: ", ")))"))
                continue
            }
            let builder = TableBuilder(input: input, file: file, units: unitPool)
            guard case .array(let records) = entry.node.value else {
                sink.add(Diagnostic(file: file, line: entry.node.line, column: entry.node.column, code: "json.shape", message: "table '\(input.name)' must be an array of records"))
                continue
            }
            for record in records {
                guard case .object(let fields) = record.value else {
                    builder.sink.add(Diagnostic(file: file, line: record.line, column: record.column, code: "json.shape", message: "a record of '\(input.name)' must be an object"))
                    continue
                }
                builder.beginRow(line: record.line)
                for (c, col) in input.columns.enumerated() {
                    guard let field = fields.first(where: { $0.key == col.name }) else {
                        if !col.optional {
                            builder.sink.add(Diagnostic(file: file, line: record.line, column: record.column, code: "data.missing-column", message: "record has no field '\(col.name)'"))
                        }
                        continue
                    }
                    let message: String?
                    switch field.node.value {
                    case .null: message = col.optional ? nil : "field '\(col.name)' is null but required"
                    case .bool(let b): message = builder.set(c, number: b ? 1 : 0)
                    case .number(let v, _): message = builder.set(c, number: v)
                    case .string(var s): message = s.withUTF8 { builder.set(c, $0) }
                    case .array, .object: message = "field '\(col.name)' must be a number or a string"
                    }
                    if let message {
                        builder.sink.add(Diagnostic(file: file, line: field.node.line, column: field.node.column, code: "data.value", message: message))
                    }
                }
            }
            if input.name == "units" {
                if records.isEmpty && builder.sink.isEmpty {
                    builder.sink.add(Diagnostic(file: file, line: entry.node.line, column: entry.node.column, code: "data.no-units", message: "the units table has no rows"))
                }
                sink.merge(builder.sink)
                try sink.check()
                unitPool = builder.pools[builder.unitColumn]
            } else {
                sink.merge(builder.sink)
            }
            builders.append(builder)
        }
        try sink.check()
        let unitCount = builders[0].rowCount
        return try assemble(builders.map { b in
            let (table, lines) = b.finish(unitCount: unitCount)
            return (b, table, lines)
        }, sha256: sha, groups: policy.groups)
    }
}
