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
            throw DataError(diagnostics: [Diagnostic(file: path, message: "no such file or folder; --data takes a folder of CSV files or a .json file")])
        }
        if isDir.boolValue { return try loadCSVFolder(policy: policy, folder: path, encoding: encoding) }
        if path.lowercased().hasSuffix(".json") { return try loadJSON(policy: policy, file: path) }
        throw DataError(diagnostics: [Diagnostic(file: path, message: "unsupported data file; give a folder of <table>.csv files or a .json file")])
    }

    // MARK: CSV

    static func loadCSVFolder(policy: Policy, folder: String, encoding: TextEncoding) throws -> Dataset {
        var sink = DiagnosticSink()
        var files: [(input: Policy.Input, path: String, bytes: [UInt8])] = []
        for input in policy.inputs {
            let path = (folder as NSString).appendingPathComponent(input.name + ".csv")
            guard let data = FileManager.default.contents(atPath: path) else {
                sink.add(Diagnostic(file: path, message: "missing file for table '\(input.name)' (the policy declares it with columns \(input.columns.map(\.name).joined(separator: ", ")))"))
                continue
            }
            files.append((input, path, [UInt8](data)))
        }
        try sink.check()
        let sha = Hashing.sha256(parts: files.map { ($0.input.name + ".csv", $0.bytes) })
        let unitsFile = files[0]
        let unitsBuilder = try parseCSV(unitsFile.input, path: unitsFile.path, bytes: unitsFile.bytes, encoding: encoding, units: nil)
        if unitsBuilder.sink.isEmpty && unitsBuilder.rowCount == 0 {
            unitsBuilder.sink.add(Diagnostic(file: unitsFile.path, line: 2, message: "the units table has no rows; list one unit per row"))
        }
        // the other tables are still checked when the units table has problems, as long as it has unit ids
        if unitsBuilder.rowCount == 0 { try unitsBuilder.sink.check() }
        sink.merge(unitsBuilder.sink)
        let unitPool = unitsBuilder.pools[unitsBuilder.unitColumn]!
        let rest = Array(files.dropFirst())
        let builders = ResultSlots<Result<TableBuilder, DataError>>(count: rest.count)
        DispatchQueue.concurrentPerform(iterations: rest.count) { k in
            let f = rest[k]
            do {
                builders[k] = .success(try parseCSV(f.input, path: f.path, bytes: f.bytes, encoding: encoding, units: unitPool))
            } catch let e as DataError {
                builders[k] = .failure(e)
            } catch {
                builders[k] = .failure(DataError(diagnostics: [Diagnostic(file: f.path, message: "\(error)")]))
            }
        }
        var all = [unitsBuilder]
        for k in 0..<rest.count {
            switch builders[k]! {
            case .success(let b):
                sink.merge(b.sink)
                all.append(b)
            case .failure(let e):
                for d in e.diagnostics { sink.add(d) }
                sink.omitted += e.omitted
            }
        }
        try sink.check()
        return assemble(builders: all, sha256: sha)
    }

    static func parseCSV(_ input: Policy.Input, path: String, bytes raw: [UInt8], encoding: TextEncoding,
                         units: StringPool?) throws -> TableBuilder {
        let builder = TableBuilder(input: input, file: path, units: units)
        let bytes: [UInt8]
        do {
            bytes = try TextDecoding.decode(raw, as: encoding)
        } catch {
            let (line, column) = position(of: error.offset, in: raw)
            throw DataError(diagnostics: [Diagnostic(file: path, line: line, column: column, message: error.message)])
        }
        try bytes.withUnsafeBufferPointer { buf in
            var reader = CSVReader(bytes: buf)
            do {
                guard try reader.next() != nil else {
                    builder.sink.add(Diagnostic(file: path, line: 1, message: "empty file; expected a header row: \(input.columns.map(\.name).joined(separator: ","))"))
                    return
                }
                // header → declared column for each field
                var map = [Int](repeating: -1, count: reader.fields.count)
                var seen = [Int: Int]()
                for (k, f) in reader.fields.enumerated() {
                    let name = String(decoding: reader.value(f), as: UTF8.self).trimmingCharacters(in: .whitespaces)
                    if let c = input.columns.firstIndex(where: { $0.name == name }) {
                        if let first = seen[c] {
                            builder.sink.add(Diagnostic(file: path, line: f.line, column: reader.column(of: f), message: "column '\(name)' appears twice in the header (first as field \(first + 1))"))
                        }
                        seen[c] = k
                        map[k] = c
                    }
                }
                let missing = input.columns.indices.filter { seen[$0] == nil }
                if !missing.isEmpty {
                    builder.sink.add(Diagnostic(file: path, line: 1, column: 1, message: "missing column\(missing.count > 1 ? "s" : "") \(missing.map { "'\(input.columns[$0].name)'" }.joined(separator: ", ")) (the policy's '\(input.name)' table needs \(input.columns.map(\.name).joined(separator: ", ")))"))
                    return
                }
                let width = map.count
                while let line = try reader.next() {
                    if reader.fields.count != width {
                        let f = reader.fields.last!
                        builder.sink.add(Diagnostic(file: path, line: line, column: reader.column(of: f), message: "expected \(width) fields as in the header, found \(reader.fields.count)"))
                        continue
                    }
                    builder.beginRow(line: line)
                    for k in 0..<width {
                        let c = map[k]
                        if c < 0 { continue }
                        let f = reader.fields[k]
                        if let message = builder.set(c, reader.value(f)) {
                            builder.sink.add(Diagnostic(file: path, line: f.line, column: reader.column(of: f), message: message))
                        }
                    }
                }
            } catch let error as CSVReader.Problem {
                builder.sink.add(Diagnostic(file: path, line: error.line, column: reader.column(offset: error.offset, lineStart: error.lineStart), message: error.message))
            }
        }
        return builder
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
        guard let data = FileManager.default.contents(atPath: file) else {
            throw DataError(diagnostics: [Diagnostic(file: file, message: "cannot read the file")])
        }
        var bytes = [UInt8](data)
        let sha = Hashing.sha256(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let root: JSONReader.Node
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            throw DataError(diagnostics: [Diagnostic(file: file, line: error.line, column: error.column, message: error.message)])
        }
        guard case .object(let tables) = root.value else {
            throw DataError(diagnostics: [Diagnostic(file: file, line: root.line, column: root.column, message: "expected an object with one array of records per table (\(policy.inputs.map(\.name).joined(separator: ", ")))")])
        }
        var sink = DiagnosticSink()
        var builders: [TableBuilder] = []
        var unitPool: StringPool?
        for input in policy.inputs {
            guard let entry = tables.first(where: { $0.key == input.name }) else {
                sink.add(Diagnostic(file: file, line: root.line, column: root.column, message: "missing table '\(input.name)' (an array of records with \(input.columns.map(\.name).joined(separator: ", ")))"))
                continue
            }
            let builder = TableBuilder(input: input, file: file, units: unitPool)
            guard case .array(let records) = entry.node.value else {
                sink.add(Diagnostic(file: file, line: entry.node.line, column: entry.node.column, message: "table '\(input.name)' must be an array of records"))
                continue
            }
            for record in records {
                guard case .object(let fields) = record.value else {
                    builder.sink.add(Diagnostic(file: file, line: record.line, column: record.column, message: "a record of '\(input.name)' must be an object"))
                    continue
                }
                builder.beginRow(line: record.line)
                for (c, col) in input.columns.enumerated() {
                    guard let field = fields.first(where: { $0.key == col.name }) else {
                        if !col.optional {
                            builder.sink.add(Diagnostic(file: file, line: record.line, column: record.column, message: "record has no field '\(col.name)'"))
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
                        builder.sink.add(Diagnostic(file: file, line: field.node.line, column: field.node.column, message: message))
                    }
                }
            }
            if input.name == "units" {
                if records.isEmpty && builder.sink.isEmpty {
                    builder.sink.add(Diagnostic(file: file, line: entry.node.line, column: entry.node.column, message: "the units table has no rows"))
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
        return assemble(builders: builders, sha256: sha)
    }

    // MARK: assembly

    static func assemble(builders: [TableBuilder], sha256: String) -> Dataset {
        let units = builders[0]
        let unitCount = units.rowCount
        var tables: [DataView.Table] = []
        var infos: [Dataset.TableInfo] = []
        for b in builders {
            let (table, lines) = b.finish(unitCount: unitCount)
            tables.append(table)
            infos.append(Dataset.TableInfo(name: b.input.name, file: b.file, columns: b.input.columns, lines: lines, rowCount: table.rowCount))
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
        return Dataset(view: view, tables: infos, unitIDs: ids, names: names, sha256: sha256)
    }
}

/// Slots that concurrent workers fill, one index each.
final class ResultSlots<T>: @unchecked Sendable {
    private var values: [T?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { values[i] }
        set { values[i] = newValue }
    }
}
