import CKaoheXML
import Foundation

/// Reads the OOXML parts of a workbook from its zip (`XLSXZip`, on ZIPFoundation).
struct XLSXReader {
    let file: String
    var limits: XLSXZip.Limits = .standard
    static let mainRelType = "/officeDocument"

    private func fail(_ message: String, at location: String? = nil) -> DataError {
        DataError(diagnostics: [Diagnostic(file: location ?? file, code: "xlsx.malformed", message: message)])
    }

    func read(_ bytes: [UInt8], onDisk: Bool) throws -> [XLSXDocument.Sheet] {
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw fail("an Excel 97-2003 (.xls) or encrypted workbook, not .xlsx; open it in Excel or WPS and save it as .xlsx")
        }
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            throw fail("not an .xlsx workbook (the file is not a zip archive); save it from Excel or WPS as .xlsx")
        }
        let zip = try XLSXZip.Reader(bytes: bytes, file: file, onDisk: onDisk, limits: limits)
        let part = zip.part
        // _rels/.rels → the workbook part; its rels → sheets, shared strings, styles
        var bookPath = "xl/workbook.xml"
        if let rels = try part("_rels/.rels") {
            let found = try relationships(rels, base: "", part: "_rels/.rels")
            if let main = found.first(where: { $0.type.hasSuffix(XLSXReader.mainRelType) }) { bookPath = main.target }
        }
        guard let book = try part(bookPath) else {
            throw fail("not an .xlsx workbook: the zip holds no \(bookPath) (is it a .docx, .ods or another zip?)")
        }
        let base = (bookPath as NSString).deletingLastPathComponent
        let bookRelsPath = (base.isEmpty ? "" : base + "/") + "_rels/" + (bookPath as NSString).lastPathComponent + ".rels"
        let rels = try part(bookRelsPath).map { try relationships($0, base: base, part: bookRelsPath) } ?? []
        var declared: [(name: String, rel: String, hidden: Bool)] = []
        try parse(book, part: bookPath) { name, attrs in
            if name == "sheet", let n = attrs["name"], let rel = attrs["id"] {
                declared.append((n, rel, attrs["state"] == "hidden" || attrs["state"] == "veryHidden"))
            }
        }
        var shared: [String] = []
        if let r = rels.first(where: { $0.type.hasSuffix("/sharedStrings") }), let data = try part(r.target) {
            shared = try sharedStrings(data, part: r.target)
        }
        var styles: [NumberStyle] = []
        if let r = rels.first(where: { $0.type.hasSuffix("/styles") }), let data = try part(r.target) {
            styles = try XLSXReader.numberStyles(data, reader: self, part: r.target)
        }
        var sheets: [XLSXDocument.Sheet] = []
        var sink = DiagnosticSink()
        for d in declared {
            guard let rel = rels.first(where: { $0.id == d.rel }) else {
                throw fail("sheet '\(d.name)' points to relationship \(d.rel), which the workbook does not have; the file is damaged")
            }
            guard rel.type.hasSuffix("/worksheet") else { continue } // chart sheets and dialog sheets hold no cells
            guard let data = try part(rel.target) else {
                throw fail("the zip holds no \(rel.target) for sheet '\(d.name)'; the file is damaged")
            }
            var sheet = XLSXDocument.Sheet(name: d.name, hidden: d.hidden, cells: [:], merges: [], dates: [], uncalculated: [])
            try XLSXSheetParser(reader: self, sheet: d.name, shared: shared, styles: styles).run(data, part: rel.target, into: &sheet, sink: &sink)
            sheets.append(sheet)
        }
        try sink.check()
        if sheets.isEmpty { throw fail("the workbook has no worksheets") }
        return sheets
    }

    struct Relationship {
        var id, type, target: String
    }

    func relationships(_ data: Data, base: String, part: String) throws -> [Relationship] {
        var out: [Relationship] = []
        try parse(data, part: part) { name, attrs in
            guard name == "Relationship", let id = attrs["Id"], let type = attrs["Type"], let target = attrs["Target"],
                  attrs["TargetMode"] != "External" else { return }
            out.append(Relationship(id: id, type: type, target: XLSXReader.resolve(target, base: base)))
        }
        return out
    }

    /// A relationship target as a zip path: absolute ("/xl/x.xml") or relative to the source part's folder.
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for p in target.split(separator: "/") {
            if p == ".." { if !parts.isEmpty { parts.removeLast() } } else if p != "." { parts.append(p) }
        }
        return parts.joined(separator: "/")
    }

    func sharedStrings(_ data: Data, part: String) throws -> [String] {
        var out: [String] = []
        var text = "", phonetic = 0, inText = false
        try parse(data, part: part, start: { name, _ in
            switch name {
            case "si": text = ""
            case "rPh": phonetic += 1
            case "t": inText = phonetic == 0
            default: break
            }
        }, end: { name in
            switch name {
            case "si": out.append(XLSXReader.unescape(text))
            case "rPh": phonetic -= 1
            case "t": inText = false
            default: break
            }
        }, characters: { s in if inText { text += s } })
        return out
    }

    /// How a cell format shows numbers: as they are, as dates or times, or as percentages (the number × 100
    /// with a % sign).
    enum NumberStyle: Sendable { case plain, date, percent }

    /// For each cell format (cellXfs), how it shows numbers. Built-in formats 9 and 10 are `0%` and `0.00%`;
    /// 14–22, 27–36, 45–47 and 50–58 are dates and times (36 and 50–58 in the Chinese locales).
    static func numberStyles(_ data: Data, reader: XLSXReader, part: String) throws -> [NumberStyle] {
        var custom: [Int: NumberStyle] = [:]
        var out: [NumberStyle] = []
        var inCellXfs = false
        try reader.parse(data, part: part, start: { name, attrs in
            if name == "numFmt", let id = attrs["numFmtId"].flatMap({ Int($0) }), let code = attrs["formatCode"] {
                custom[id] = numberStyle(code)
            } else if name == "cellXfs" {
                inCellXfs = true
            } else if name == "xf" && inCellXfs {
                let id = attrs["numFmtId"].flatMap { Int($0) } ?? 0
                let builtIn: NumberStyle = id == 9 || id == 10 ? .percent
                    : (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) ? .date : .plain
                out.append(custom[id] ?? builtIn)
            }
        }, end: { name in if name == "cellXfs" { inCellXfs = false } })
        return out
    }

    /// How a number format code shows a number: a date or time when it has y, m, d, h or s, a percentage
    /// when it has %, outside quotes, brackets and escapes (a backslash, `_` padding, `*` fill each take the
    /// next character). Only the first section (positive numbers) counts.
    static func numberStyle(_ code: String) -> NumberStyle {
        var quoted = false, bracket = false, skipNext = false, percent = false
        for ch in code {
            if skipNext { skipNext = false; continue }
            if quoted { if ch == "\"" { quoted = false }; continue }
            if bracket { if ch == "]" { bracket = false }; continue }
            switch ch {
            case "\\", "_", "*": skipNext = true
            case "\"": quoted = true
            case "[": bracket = true
            case ";": return percent ? .percent : .plain
            case "%": percent = true
            case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S": return .date
            default: break
            }
        }
        return percent ? .percent : .plain
    }

    /// SpreadsheetML's `_xHHHH_` escapes back to characters.
    static func unescape(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        let u = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < u.count {
            if u[i] == "_", i + 6 < u.count, u[i + 1] == "x", u[i + 6] == "_",
               let v = UInt32(String(String.UnicodeScalarView(u[(i + 2)..<(i + 6)])), radix: 16), let ch = Unicode.Scalar(v) {
                out.append(ch)
                i += 7
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return String(out)
    }

    /// Runs libxml2's streaming reader over a part; element and attribute names lose their namespace prefix.
    /// Malformed XML is an error, and so are parts that are not UTF-8. Parts of any size are read (libxml2's
    /// huge-document option: a sheet of 100,000 rows is 30 MB of XML); what bounds them is the zip layer's
    /// decompression limit. Entities are never substituted and nothing is fetched from the network.
    func parse(_ data: Data, part: String, start: (String, [String: String]) -> Void,
               end: (String) -> Void = { _ in }, characters: (String) -> Void = { _ in }) throws {
        guard String(validating: data, as: UTF8.self) != nil else {
            throw fail("the part \(part) is not UTF-8 text; the file is damaged or was not written as .xlsx")
        }
        // Workbook parts never declare a document type: one that does is made to expand entities (a few bytes
        // growing to gigabytes) or to reach for external files, and is refused before it is parsed.
        let declaration = data.withUnsafeBytes { raw -> String? in
            guard let base = raw.baseAddress else { return nil }
            let bytes = raw.bindMemory(to: UInt8.self)
            var at = 0
            // '!' is rare in a sheet: find each with memchr and look around it for "<!DOCTYPE" or "<!ENTITY"
            while at < raw.count, let hit = memchr(base + at, 0x21, raw.count - at) {
                let i = hit - UnsafeMutableRawPointer(mutating: base)
                for marker in ["DOCTYPE", "ENTITY"] where i > 0 && bytes[i - 1] == 0x3C && i + marker.utf8.count < raw.count
                    && zip(marker.utf8, bytes[(i + 1)...]).allSatisfy({ $0 == $1 }) {
                    return "<!" + marker
                }
                at = i + 1
            }
            return nil
        }
        if let declaration {
            throw fail("the part \(part) declares a document type or entities (\(declaration)), which no spreadsheet program "
                       + "writes; kaohe does not read it. Open the file in Excel, WPS or LibreOffice and save it again as .xlsx")
        }
        let outcome: (event: Int32, line: Int, error: String?, errorLine: Int) = data.withUnsafeBytes { raw in
            guard let base = raw.bindMemory(to: CChar.self).baseAddress, raw.count > 0 else {
                return (KX_ERROR.rawValue, 1, "the part is empty", 1)
            }
            guard let reader = kx_open(base, raw.count, Int32(XLSXReader.maxDepth)) else {
                return (KX_ERROR.rawValue, 1, "the part is too large or memory ran out", 1)
            }
            defer { kx_close(reader) }
            while true {
                let event = kx_next(reader)
                switch event {
                case KX_START.rawValue:
                    let name = String(cString: kx_name(reader))
                    let empty = kx_empty(reader) != 0
                    var attrs: [String: String] = [:]
                    var key: UnsafePointer<CChar>?, value: UnsafePointer<CChar>?
                    while kx_attribute(reader, &key, &value) != 0, let key, let value {
                        attrs[String(cString: key)] = String(cString: value)
                    }
                    start(name, attrs)
                    if empty { end(name) }
                case KX_END.rawValue: end(String(cString: kx_name(reader)))
                case KX_TEXT.rawValue: characters(String(cString: kx_value(reader)))
                default:
                    return (event, Int(kx_line(reader)), kx_error(reader).map { String(cString: $0) }, Int(kx_error_line(reader)))
                }
            }
        }
        if outcome.event == KX_TOO_DEEP.rawValue {
            throw fail("the part \(part) nests elements more than \(XLSXReader.maxDepth) deep (line \(outcome.line)), "
                       + "which no workbook does; the file is damaged")
        }
        if outcome.event != KX_DONE.rawValue {
            let line = outcome.errorLine > 0 ? outcome.errorLine : outcome.line
            throw fail("the part \(part) is not well-formed XML (line \(line): \(outcome.error ?? "unreadable XML")); the file is damaged")
        }
    }

    /// How deep elements may nest in a part: workbook parts nest a handful of levels (worksheet, sheetData,
    /// row, c, is, r, t); far deeper is an attack on the parser's stack and time.
    static let maxDepth = 100
}
