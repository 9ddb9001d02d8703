import Dispatch
/// Renders a scoresheet as a ranking: an aligned terminal table, CSV, JSON (the contract other tools rely
/// on) or Markdown.
public enum ScoreReport {
    public enum Format: String, CaseIterable, Sendable {
        case table, csv, json, markdown
        /// Self-check policies: rows where a unit over-claimed, claimed above the max, or left an incomplete
        /// row unexplained.
        case selfcheck
        /// The bulletin: one self-contained page with the ranking, a chart and every unit's notice.
        case html
    }

    public static func render(_ sheet: Scoresheet, format: Format, language: Language? = nil) -> String {
        let labels = Labels.forLanguage(language ?? sheet.policy.language)
        switch format {
        case .table: return TerminalText.escaped(table(sheet, labels), keepingLineBreaks: true)
        case .csv: return csv(sheet, labels)
        case .json: return json(sheet)
        case .markdown: return markdown(sheet, labels)
        case .selfcheck: return TerminalText.escaped(selfcheck(sheet, labels), keepingLineBreaks: true)
        case .html: return BulletinPage(sheet, language: language ?? sheet.policy.language).render()
        }
    }

    /// Band labels in the policy's language; band ids in English reports of a Chinese policy.
    static func bandLabels(_ sheet: Scoresheet, _ u: Int, _ l: Labels) -> String {
        sheet.ranking.bands[u].map { id in bandLabel(sheet.policy, id, l) }.joined(separator: l.listSeparator)
    }

    static func bandLabel(_ policy: Policy, _ id: String, _ l: Labels) -> String {
        if l.language == .en && policy.language != .en { return id }
        return policy.bands.first { $0.id == id }?.label ?? id
    }

    static func heading(_ policy: Policy) -> String {
        "\(policy.title) \(policy.year)（\(policy.id)）"
    }

    static func table(_ sheet: Scoresheet, _ l: Labels) -> String {
        let selfCheck = sheet.policy.selfcheck != nil, vetoes = !sheet.policy.vetoes.isEmpty
        let header = [l.rank, l.unit, l.name, l.total] + (selfCheck ? [l.selfScore, l.difference] : []) + [l.bands]
            + (vetoes ? [l.vetoes] : [])
        let alignments: [TextWidth.Alignment] = [.right, .left, .left, .right] + (selfCheck ? [.right, .right] : []) + [.left]
            + (vetoes ? [.left] : [])
        var out = heading(sheet.policy) + " · \(sheet.unitCount) \(l.units)\n"
        for section in sheet.groupSections {
            if section.id != nil { out += "\n" + groupHeading(section, l) + "\n" }
            var rows = [header]
            for u in section.units {
                var row = [String(sheet.ranking.rank[u]), sheet.data.unitIDs[u], sheet.data.names[u], sheet.totalText(sheet.totals[u])]
                if selfCheck {
                    let check = SelfCheck(sheet, unit: u)
                    let claimed = check?.selfTotal
                    let none = check?.submitted == false ? SelfCheck.Problem.notSubmitted.label(l) : "—"
                    row += [claimed?.description ?? none, claimed.map { ($0 - sheet.totals[u]).signed } ?? "—"]
                }
                rows.append(row + [bandLabels(sheet, u, l)] + (vetoes ? [vetoCell(sheet, u, l)] : []))
            }
            out += TextWidth.table(rows, alignments: alignments)
            for line in bandSummary(sheet, section.units, l) + vetoLines(sheet, section.units, l)
                + overfullLines(sheet, group: section.index, l) { out += line + "\n" }
        }
        return out + warningLines(sheet, l)
    }

    /// Per unit, the rows to look at: self > verified, self > max, incomplete without an explanation.
    static func selfcheck(_ sheet: Scoresheet, _ l: Labels) -> String {
        guard sheet.policy.selfcheck != nil else {
            return "\(sheet.policy.id) has no self-check table (policy field `selfcheck`); nothing to reconcile\n"
        }
        var rows = [[l.unit, l.name, l.citation, l.rule, l.selfScore, l.verified, l.difference, l.problems, l.reason]]
        var flagged = 0
        for u in 0..<sheet.unitCount {
            guard let check = SelfCheck(sheet, unit: u) else { continue }
            if !check.submitted {
                // one row for a unit that sent nothing, not one "no self score" per rule
                flagged += 1
                let verified = check.rows.reduce(Points.zero) { $0 + $1.verified }
                rows.append([sheet.data.unitIDs[u], sheet.data.names[u], "—", l.everyRule, "—",
                             verified.description, "—", SelfCheck.Problem.notSubmitted.label(l), ""])
                continue
            }
            for r in check.rows where !r.problems.isEmpty {
                flagged += 1
                rows.append([sheet.data.unitIDs[u], sheet.data.names[u], r.citation, TextWidth.truncate(TerminalText.escaped(r.title), to: 24),
                             r.selfScore?.description ?? "—", r.verified.description, r.difference?.signed ?? "—",
                             r.problems.map { $0.label(l) }.joined(separator: "、"), TextWidth.truncate(TerminalText.escaped(r.reason), to: 20)])
            }
        }
        var out = heading(sheet.policy) + " · \(l.selfScore) / \(l.verified)\n"
        out += TextWidth.table(rows, alignments: [.left, .left, .left, .left, .right, .right, .right, .left, .left])
        out += "\(flagged) \(l.rowsToReview)\n"
        return out + warningLines(sheet, l)
    }

    /// A CSV report cell: formula-leading values neutralised, then RFC 4180 quoting (`CSVText.cell`).
    static func csvField(_ s: String) -> String { CSVText.cell(s) }

    /// The ranking as a spreadsheet opens it: a UTF-8 byte order mark, CRLF, headers and band labels in the
    /// report's language (English: the machine names rank, unit, name, total, bands and band ids). A
    /// self-check policy adds the self-check total, the difference and a remarks column (未提交自查表).
    static func csv(_ sheet: Scoresheet, _ l: Labels) -> String {
        let selfCheck = sheet.policy.selfcheck != nil
        let groups = sheet.policy.groups != nil, vetoes = !sheet.policy.vetoes.isEmpty
        let remarks = selfCheck || hasAwardRemarks(sheet.policy)
        let c = l.csv
        var header = (groups ? [c.group] : []) + [c.rank, c.unit, c.name, c.total]
        if selfCheck { header += [c.selfScore, c.difference] }
        header.append(c.bands)
        if vetoes { header.append(c.vetoes) }
        if remarks { header.append(c.remarks) }
        var out = CSVText.byteOrderMark + header.joined(separator: ",") + "\r\n"
        out.reserveCapacity(64 * sheet.unitCount + 32)
        // English: band, group and veto ids, which other tools read; Chinese: the labels
        let ids = l.language == .en
        for u in sheet.order {
            if groups { out += csvField((ids ? sheet.group(of: u) : sheet.groupLabel(of: u)) ?? "") + "," }
            out += String(sheet.ranking.rank[u])
            out += ","
            out += csvField(sheet.data.unitIDs[u])
            out += ","
            out += csvField(sheet.data.names[u])
            out += ","
            out += sheet.totalText(sheet.totals[u])
            var remark: [String] = []
            if selfCheck {
                let check = SelfCheck(sheet, unit: u)
                let claimed = check?.selfTotal
                out += "," + (claimed?.description ?? "") + "," + (claimed.map { ($0 - sheet.totals[u]).signed } ?? "")
                if check?.submitted == false { remark.append(SelfCheck.Problem.notSubmitted.label(l)) }
            }
            out += ","
            out += csvField(sheet.ranking.bands[u].map { ids ? $0 : bandLabel(sheet.policy, $0, l) }.joined(separator: l.csvListSeparator))
            if vetoes { out += "," + csvField(vetoCell(sheet, u, l, ids: ids)) }
            if remarks {
                let award = awardRemark(sheet, u, l)
                if !award.isEmpty { remark.append(award) }
                out += "," + csvField(remark.joined(separator: l.clauseSeparator))
            }
            out += "\r\n"
        }
        return out
    }

    /// The data's warnings as lines, after a blank line; empty when there are none.
    static func warningLines(_ sheet: Scoresheet, _ l: Labels) -> String {
        let lines = DataWarning.lines(sheet, l)
        guard !lines.isEmpty else { return "" }
        return "\n" + lines.map { $0 + "\n" }.joined()
    }

    static func json(_ sheet: Scoresheet, chunk: Int = 1024) -> String {
        String(decoding: jsonBytes(sheet, chunk: chunk), as: UTF8.self)
    }

    /// The JSON report as UTF-8 bytes (no copy into a String: at 40,000 units it is 80 MB). `chunk`: units
    /// written per task (the bytes are the same for every value).
    public static func jsonBytes(_ sheet: Scoresheet, chunk: Int = 1024) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        writeHead(sheet, to: &w)
        writeResults(sheet, to: &w, chunk: chunk)
        w.endObject()
        w.raw("\n")
        return w.bytes
    }

    /// The JSON report's fields before `"results"`: the policy, the data, its warnings, and the awards
    /// (groups, notices, rounding) when the policy has them.
    public static func writeHead(_ sheet: Scoresheet, to w: inout JSONWriter) {
        let p = sheet.policy
        w.field("policy") { p.writeSummary(to: &$0) }
        w.field("data") { w in
            w.beginObject()
            w.field("sha256", string: sheet.data.sha256)
            w.field("units") { $0.number(sheet.unitCount) }
            w.endObject()
        }
        // what every report must say about the data: units that submitted no self-check form, unreadable files
        w.field("warnings") { w in
            w.beginArray()
            let l = Labels.forLanguage(p.language)
            for warning in sheet.data.warnings {
                w.element { w in
                    w.beginObject()
                    w.field("kind", string: warning.kind.rawValue)
                    if let unit = warning.unit { w.field("unit", string: unit) }
                    w.field("file", string: warning.file)
                    if let f = warning.unreadable { w.field("unreadable", string: f) }
                    let name = warning.unit.flatMap { sheet.data.index(ofUnit: $0) }.map { sheet.data.names[$0] } ?? ""
                    w.field("message", string: warning.text(l, name: name))
                    w.endObject()
                }
            }
            w.endArray()
        }
        if p.groups != nil || !sheet.notices.isEmpty || p.total != nil { writeAwards(sheet, to: &w) }
    }

    /// The JSON report's `"results"`: every unit in ranking order. `chunk`: units written per task (the bytes
    /// are the same for every value).
    public static func writeResults(_ sheet: Scoresheet, to w: inout JSONWriter, chunk: Int = 1024) {
        w.field("results") { w in
            w.beginArray()
            // the units' results are written in chunks on every core, then joined in order: the same bytes
            // as one writer would make, whatever the number of cores
            let order = sheet.order, size = Swift.max(1, Swift.min(chunk, order.count))
            let chunks = (order.count + size - 1) / size
            let parts = ResultSlots<JSONWriter>(count: chunks)
            let head = w.fragment(first: true), tail = w.fragment(first: false)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var part = c == 0 ? head : tail
                for u in order[(c * size)..<Swift.min(order.count, (c + 1) * size)] {
                    part.element { writeResult(sheet, u, to: &$0) }
                }
                parts[c] = part
            }
            for c in 0..<chunks { w.append(fragment: parts[c]!) }
            w.endArray()
        }
    }

    /// One unit's entry in `"results"`.
    static func writeResult(_ sheet: Scoresheet, _ u: Int, to w: inout JSONWriter) {
        let p = sheet.policy
        w.beginObject()
        if let group = sheet.group(of: u) { w.field("group", string: group) }
        w.field("unit", string: sheet.data.unitIDs[u])
        w.field("name", string: sheet.data.names[u])
        w.field("total") { $0.raw(sheet.totalText(sheet.totals[u])) }
        w.field("rank") { $0.number(sheet.ranking.rank[u]) }
        if let check = SelfCheck(sheet, unit: u) { w.field("submitted") { $0.raw(check.submitted ? "true" : "false") } }
        w.field("bands") { w in
            w.beginArray()
            for b in sheet.ranking.bands[u] { w.element { $0.string(b) } }
            w.endArray()
        }
        if !p.vetoes.isEmpty { w.field("vetoes") { writeVetoes(sheet, u, to: &$0) } }
        let check = SelfCheck(sheet, unit: u)
        w.field("items") { w in
            w.beginArray()
            for item in sheet.items(of: u) {
                w.element { w in
                    w.beginObject()
                    w.field("rule", string: item.rule)
                    w.field("citation", string: item.citation)
                    w.field("points") { $0.number(item.points) }
                    w.field("note", string: item.note)
                    w.field("title", string: item.title)
                    if let row = check?.rows.first(where: { $0.rule == item.rule }) {
                        w.field("self") { w in if let s = row.selfScore { w.number(s) } else { w.raw("null") } }
                        w.field("completed", string: row.completed)
                        w.field("reason", string: row.reason)
                        w.field("problems") { w in
                            w.beginArray()
                            for p in row.problems { w.element { $0.string(p.rawValue) } }
                            w.endArray()
                        }
                    }
                    if let cap = item.cap {
                        w.field("raw") { $0.number(item.raw) }
                        w.field("cap", string: cap)
                    }
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.endObject()
    }

    /// An untrusted value in Markdown (`MarkdownText.text`): no markup, links, images or extra cells.
    static func markdownCell(_ s: String) -> String { MarkdownText.text(s) }

    static func markdown(_ sheet: Scoresheet, _ l: Labels) -> String {
        let md = MarkdownText.text
        let vetoes = !sheet.policy.vetoes.isEmpty
        var out = "# \(md(heading(sheet.policy)))\n\n"
        if let src = sheet.policy.source?.title { out += md("\(src)\(sheet.policy.source?.issued.map { "（\($0)）" } ?? "")") + "\n\n" }
        for section in sheet.groupSections {
            if section.id != nil { out += "## \(md(groupHeading(section, l)))\n\n" }
            out += "| \(l.rank) | \(l.unit) | \(l.name) | \(l.total) | \(l.bands) |\(vetoes ? " \(l.vetoes) |" : "")\n"
                + "|---:|---|---|---:|---|\(vetoes ? "---|" : "")\n"
            for u in section.units {
                out += "| \(sheet.ranking.rank[u]) | \(md(sheet.data.unitIDs[u])) | \(md(sheet.data.names[u])) | "
                    + "\(sheet.totalText(sheet.totals[u])) | \(md(bandLabels(sheet, u, l))) |"
                    + (vetoes ? " \(md(vetoCell(sheet, u, l))) |" : "") + "\n"
            }
            out += "\n"
            for line in bandSummary(sheet, section.units, l) + vetoLines(sheet, section.units, l)
                + overfullLines(sheet, group: section.index, l) { out += "- " + md(line) + "\n" }
            if section.id != nil { out += "\n" }
        }
        let warnings = DataWarning.lines(sheet, l)
        if !warnings.isEmpty { out += "\n" + warnings.map { "> " + md($0) + "\n" }.joined() }
        out += "\npolicy sha256 `\(sheet.policy.sha256)` · data sha256 `\(sheet.data.sha256)`\n"
        return out
    }
}
