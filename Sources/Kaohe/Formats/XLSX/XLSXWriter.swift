import Foundation

/// Writes the OOXML parts (SpreadsheetML); `XLSXZip` zips them with ZIPFoundation.
enum XLSXWriter {
    static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelNS = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    // cellXfs indices in styles.xml; each has a bordered twin `bordered` places on (for printed tables)
    static let styleBold = 1, styleWrapped = 2
    static let bordered = 3
    /// `.decimal` cells: numbers with 0–6 places at `styleDecimal + places`, their bordered twins 7 on.
    static let styleDecimal = 6, decimalBordered = 7

    /// The number formats "0", "0.0" … "0.000000" (built-in 1 for none, custom 164… for the rest).
    static let decimalFormats = (1...6).map { "<numFmt numFmtId=\"\(163 + $0)\" formatCode=\"0.\(String(repeating: "0", count: $0))\"/>" }.joined()
    static let decimalStyles = [0, 1].map { border in
        (0...6).map { "<xf numFmtId=\"\($0 == 0 ? 1 : 163 + $0)\" fontId=\"0\" fillId=\"0\" borderId=\"\(border)\" xfId=\"0\" applyNumberFormat=\"1\""
            + (border == 1 ? " applyBorder=\"1\" applyAlignment=\"1\"><alignment vertical=\"top\"/></xf>" : "/>") }.joined()
    }.joined()

    static func write(_ book: XLSXWorkbook) throws -> Data {
        guard !book.sheets.isEmpty else { throw XLSXWriteError(message: "a workbook needs at least one sheet") }
        guard let active = book.sheets.firstIndex(where: { !$0.hidden }) else {
            throw XLSXWriteError(message: "a workbook needs at least one visible sheet")
        }
        var seen = Set<String>()
        for s in book.sheets {
            try checkSheetName(s.name)
            guard seen.insert(s.name.lowercased()).inserted else {
                throw XLSXWriteError(message: "two sheets are named '\(s.name)'")
            }
        }
        var strings = SharedStrings()
        var sheetParts: [String] = []
        for (i, s) in book.sheets.enumerated() {
            sheetParts.append(try sheetXML(s, selected: i == active, strings: &strings))
        }
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(sheetCount: book.sheets.count)),
            ("_rels/.rels", header + "<Relationships xmlns=\"\(packageRelNS)\">"
                + "<Relationship Id=\"rId1\" Type=\"\(relNS)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", workbookXML(book, active: active)),
            ("xl/_rels/workbook.xml.rels", workbookRels(sheetCount: book.sheets.count)),
            ("xl/styles.xml", styles),
            ("xl/sharedStrings.xml", strings.xml()),
        ]
        for (i, xml) in sheetParts.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", xml)) }
        return try XLSXZip.zip(parts.map { ($0.0, Data($0.1.utf8)) })
    }

    static func checkSheetName(_ name: String) throws {
        if name.isEmpty || name.count > 31 {
            throw XLSXWriteError(message: "sheet name '\(name)' must have 1 to 31 characters")
        }
        if let bad = name.first(where: { "[]:*?/\\".contains($0) }) {
            throw XLSXWriteError(message: "sheet name '\(name)' cannot contain '\(bad)'")
        }
        if name.hasPrefix("'") || name.hasSuffix("'") {
            throw XLSXWriteError(message: "sheet name '\(name)' cannot begin or end with an apostrophe")
        }
    }

    // MARK: parts

    static func contentTypes(sheetCount: Int) -> String {
        var s = header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        s += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        s += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        let ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        s += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(ml).sheet.main+xml\"/>"
        for i in 1...sheetCount {
            s += "<Override PartName=\"/xl/worksheets/sheet\(i).xml\" ContentType=\"\(ml).worksheet+xml\"/>"
        }
        s += "<Override PartName=\"/xl/styles.xml\" ContentType=\"\(ml).styles+xml\"/>"
        s += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"\(ml).sharedStrings+xml\"/>"
        return s + "</Types>"
    }

    static func workbookXML(_ book: XLSXWorkbook, active: Int) -> String {
        var s = header + "<workbook xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\">"
        s += "<bookViews><workbookView activeTab=\"\(active)\"/></bookViews><sheets>"
        for (i, sheet) in book.sheets.enumerated() {
            s += "<sheet name=\"\(escape(sheet.name, xstring: false))\" sheetId=\"\(i + 1)\"\(sheet.hidden ? " state=\"hidden\"" : "") r:id=\"rId\(i + 1)\"/>"
        }
        s += "</sheets>"
        // the rows each printed page repeats (the title and the header)
        let titles = book.sheets.enumerated().compactMap { i, sheet -> String? in
            guard let p = sheet.print, p.repeatedRows > 0 else { return nil }
            let quoted = "'" + sheet.name.replacingOccurrences(of: "'", with: "''") + "'"
            return "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(i)\">"
                + escape("\(quoted)!$1:$\(p.repeatedRows)", xstring: false) + "</definedName>"
        }
        if !titles.isEmpty { s += "<definedNames>" + titles.joined() + "</definedNames>" }
        return s + "</workbook>"
    }

    static func workbookRels(sheetCount: Int) -> String {
        var s = header + "<Relationships xmlns=\"\(packageRelNS)\">"
        for i in 1...sheetCount {
            s += "<Relationship Id=\"rId\(i)\" Type=\"\(relNS)/worksheet\" Target=\"worksheets/sheet\(i).xml\"/>"
        }
        s += "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(relNS)/styles\" Target=\"styles.xml\"/>"
        s += "<Relationship Id=\"rId\(sheetCount + 2)\" Type=\"\(relNS)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        return s + "</Relationships>"
    }

    /// Three cell formats: plain, bold, and wrapped (top-aligned); fonts from Excel's defaults.
    static let styles = header + "<styleSheet xmlns=\"\(mainNS)\">"
        + "<numFmts count=\"6\">" + decimalFormats + "</numFmts>"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>"
        + "<border><left style=\"thin\"/><right style=\"thin\"/><top style=\"thin\"/><bottom style=\"thin\"/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"20\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\">"
        + "<alignment vertical=\"top\" wrapText=\"1\"/></xf>"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\" applyAlignment=\"1\">"
        + "<alignment vertical=\"top\" wrapText=\"1\"/></xf>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyBorder=\"1\" applyAlignment=\"1\">"
        + "<alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\" applyAlignment=\"1\">"
        + "<alignment vertical=\"top\" wrapText=\"1\"/></xf>" + decimalStyles + "</cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"

    static func sheetXML(_ sheet: XLSXSheet, selected: Bool, strings: inout SharedStrings) throws -> String {
        var s = header + "<worksheet xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\">"
        if sheet.print != nil { s += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>" }
        let width = sheet.rows.map(\.count).max() ?? 0
        let dimension = width == 0 ? "A1" : "A1:\(XLSXCellRef(row: Swift.max(sheet.rows.count, 1), column: width))"
        s += "<dimension ref=\"\(dimension)\"/>"
        s += "<sheetViews><sheetView\(selected ? " tabSelected=\"1\"" : "") workbookViewId=\"0\">"
        if sheet.frozenRows > 0 {
            let top = "A\(sheet.frozenRows + 1)"
            s += "<pane ySplit=\"\(sheet.frozenRows)\" topLeftCell=\"\(top)\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            s += "<selection pane=\"bottomLeft\" activeCell=\"\(top)\" sqref=\"\(top)\"/>"
        }
        s += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
        let columns = Swift.max(sheet.columnWidths.count, (sheet.hiddenColumns.max() ?? -1) + 1)
        if columns > 0 {
            s += "<cols>"
            for c in 0..<columns {
                let w = c < sheet.columnWidths.count ? sheet.columnWidths[c] : 0
                let hidden = sheet.hiddenColumns.contains(c)
                if w <= 0 && !hidden { continue }
                s += "<col min=\"\(c + 1)\" max=\"\(c + 1)\" width=\"\(number(w > 0 ? w : 9.140625))\""
                s += (w > 0 ? " customWidth=\"1\"" : "") + (hidden ? " hidden=\"1\"" : "") + "/>"
            }
            s += "</cols>"
        }
        s += "<sheetData>"
        s.reserveCapacity(s.utf8.count + sheet.rows.count * width * 24)
        let table = sheet.print?.tableRows ?? 0..<0
        for (r, row) in sheet.rows.enumerated() where row.contains(where: { $0 != .empty }) || table.contains(r) {
            let inTable = table.contains(r)
            // a printed table: every visible column of its rows bordered, and rows tall enough for wrapped text
            let cells = inTable ? row + Array(repeating: XLSXCell.empty, count: Swift.max(0, width - row.count)) : row
            if sheet.print != nil, let height = rowHeight(row, widths: sheet.columnWidths) {
                s += "<row r=\"\(r + 1)\" ht=\"\(number(height))\" customHeight=\"1\">"
            } else {
                s += "<row r=\"\(r + 1)\">"
            }
            let b = inTable ? bordered : 0
            for (c, cell) in cells.enumerated() {
                let ref = XLSXCellRef(row: r + 1, column: c + 1).description
                switch cell {
                case .empty:
                    if inTable && !sheet.hiddenColumns.contains(c) { s += "<c r=\"\(ref)\" s=\"\(bordered)\"/>" }
                    continue
                case .number(let v):
                    guard v.isFinite else {
                        throw XLSXWriteError(message: "sheet '\(sheet.name)' cell \(ref): \(v) cannot be written as a number")
                    }
                    s += inTable ? "<c r=\"\(ref)\" s=\"\(b)\"><v>\(number(v))</v></c>" : "<c r=\"\(ref)\"><v>\(number(v))</v></c>"
                case .decimal(let v, let places):
                    guard v.isFinite, (0...6).contains(places) else {
                        throw XLSXWriteError(message: "sheet '\(sheet.name)' cell \(ref): \(v) cannot be written with \(places) decimals")
                    }
                    s += "<c r=\"\(ref)\" s=\"\(styleDecimal + places + (inTable ? decimalBordered : 0))\"><v>\(number(v))</v></c>"
                case .text(let t):
                    s += inTable ? "<c r=\"\(ref)\" s=\"\(b)\" t=\"s\"><v>\(strings.index(t))</v></c>" : "<c r=\"\(ref)\" t=\"s\"><v>\(strings.index(t))</v></c>"
                case .bold(let t): s += "<c r=\"\(ref)\" s=\"\(styleBold + b)\" t=\"s\"><v>\(strings.index(t))</v></c>"
                case .wrapped(let t): s += "<c r=\"\(ref)\" s=\"\(styleWrapped + b)\" t=\"s\"><v>\(strings.index(t))</v></c>"
                }
            }
            s += "</row>"
        }
        s += "</sheetData>"
        if !sheet.merges.isEmpty {
            s += "<mergeCells count=\"\(sheet.merges.count)\">"
            for m in sheet.merges {
                guard let range = XLSXRange(m), range.first != range.last else {
                    throw XLSXWriteError(message: "sheet '\(sheet.name)': '\(m)' is not a range of cells to merge, such as A1:D1")
                }
                s += "<mergeCell ref=\"\(range)\"/>"
            }
            s += "</mergeCells>"
        }
        if let p = sheet.print {
            s += "<printOptions horizontalCentered=\"1\"/>"
            s += "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
            // A4 (paper size 9), one page wide and as many tall as needed
            s += "<pageSetup paperSize=\"9\" orientation=\"\(p.landscape ? "landscape" : "portrait")\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
            s += "<headerFooter>"
            if !p.title.isEmpty { s += "<oddHeader>" + escape("&C" + p.title.replacingOccurrences(of: "&", with: "&&"), xstring: false) + "</oddHeader>" }
            s += "<oddFooter>" + escape("&C&P / &N", xstring: false) + "</oddFooter></headerFooter>"
        } else {
            s += "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        }
        return s + "</worksheet>"
    }

    /// Points per line of 11-point text with Chinese glyphs (their fallback fonts are taller than Calibri).
    static let lineHeight = 16.0

    /// The height a row needs for its wrapped cells to show in full (nil: the default height will do): each
    /// wrapped cell's lines at its column's width, counting a Chinese character as two columns.
    static func rowHeight(_ row: [XLSXCell], widths: [Double]) -> Double? {
        var lines = 1
        for (c, cell) in row.enumerated() {
            guard case .wrapped(let t) = cell, c < widths.count, widths[c] > 2 else { continue }
            let perLine = Swift.max(1, Int(widths[c]) - 1)
            var n = 0
            for paragraph in t.split(separator: "\n", omittingEmptySubsequences: false) {
                n += Swift.max(1, (TextWidth.of(String(paragraph)) + perLine - 1) / perLine)
            }
            lines = Swift.max(lines, n)
        }
        return lines > 1 ? Double(lines) * lineHeight + 2 : nil
    }

    /// The shortest text that reads back as exactly `v` ("3", "1.5", "0.30000000000000004", "1e-07").
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// XML text with markup characters escaped, and characters XML cannot hold written as `_xHHHH_`
    /// (SpreadsheetML's escape; a literal `_x` that would read as one is escaped as `_x005F_`).
    static func escape(_ text: String, xstring: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        for (i, ch) in scalars.enumerated() {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n": out.unicodeScalars.append(ch)
            case "_" where xstring && looksLikeEscape(scalars, i): out += "_x005F_"
            default:
                if xstring && (ch.value < 0x20 || ch.value == 0xFFFE || ch.value == 0xFFFF) {
                    out += "_x" + String(format: "%04X", ch.value) + "_"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }

    private static func looksLikeEscape(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        guard i + 6 < s.count, s[i + 1] == "x", s[i + 6] == "_" else { return false }
        return s[(i + 2)..<(i + 6)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    /// Strings in first-use order, each stored once.
    struct SharedStrings {
        private var index: [String: Int] = [:]
        private var list: [String] = []
        private var uses = 0

        mutating func index(_ s: String) -> Int {
            uses += 1
            if let i = index[s] { return i }
            index[s] = list.count
            list.append(s)
            return list.count - 1
        }

        func xml() -> String {
            var s = XLSXWriter.header + "<sst xmlns=\"\(XLSXWriter.mainNS)\" count=\"\(uses)\" uniqueCount=\"\(list.count)\">"
            for t in list {
                let padded = t.first.map { $0.isWhitespace } == true || t.last.map { $0.isWhitespace } == true
                s += padded ? "<si><t xml:space=\"preserve\">" : "<si><t>"
                s += XLSXWriter.escape(t) + "</t></si>"
            }
            return s + "</sst>"
        }
    }
}
