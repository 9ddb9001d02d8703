/// A scoresheet as a workbook: the ranking, then every unit's line items, numbers as numeric cells.
public enum XLSXScoreReport {
    /// Sheet 1 (排名 / Ranking): rank, unit, name, total, bands; sheet 2 (明细 / Line items): one row per unit
    /// and line item in rank order, with the article, rule, points, note and the cap that applied.
    public static func workbook(_ sheet: Scoresheet, language: Language? = nil) -> XLSXWorkbook {
        let l = Labels.forLanguage(language ?? sheet.policy.language)
        let selfCheck = sheet.policy.selfcheck != nil
        // every column the terminal table and the JSON have: a self-check policy's claimed total, the
        // difference, and whether the unit submitted its form
        var header = [l.rank, l.unit, l.name, l.total] + (selfCheck ? [l.selfScore, l.difference] : []) + [l.bands]
        if selfCheck { header.append(l.remarks) }
        var ranking: [[XLSXCell]] = [header.map { .bold($0) }]
        ranking.reserveCapacity(sheet.unitCount + 1)
        for u in sheet.order {
            var row: [XLSXCell] = [.number(Double(sheet.ranking.rank[u])), text(sheet.data.unitIDs[u]), text(sheet.data.names[u]),
                                   .number(sheet.totals[u].doubleValue)]
            var remark = ""
            if selfCheck {
                let check = SelfCheck(sheet, unit: u)
                let claimed = check?.selfTotal
                row += [claimed.map { .number($0.doubleValue) } ?? .empty, claimed.map { .number(($0 - sheet.totals[u]).doubleValue) } ?? .empty]
                if check?.submitted == false { remark = SelfCheck.Problem.notSubmitted.label(l) }
            }
            row.append(text(ScoreReport.bandLabels(sheet, u, l)))
            if selfCheck { row.append(text(remark)) }
            ranking.append(row)
        }
        let tableEnd = ranking.count
        // the data's warnings under the table, as every report shows them
        let warnings = DataWarning.lines(sheet, l)
        if !warnings.isEmpty {
            ranking.append([])
            for line in warnings { ranking.append([.text(line)]) }
        }
        var items: [[XLSXCell]] = [[l.unit, l.name, l.citation, l.rule, l.points, l.note, l.caps].map { .bold($0) }]
        items.reserveCapacity(sheet.unitCount * (sheet.policy.rules.count + 1) + 1)
        for u in sheet.order {
            let id = text(sheet.data.unitIDs[u]), name = text(sheet.data.names[u])
            for item in sheet.items(of: u) {
                items.append([id, name, text(item.citation), .wrapped(item.title), .number(item.points.doubleValue),
                              item.note.isEmpty ? .empty : .wrapped(item.note), text(item.cap ?? "")])
            }
        }
        let title = ScoreReport.heading(sheet.policy)
        let rankingWidths: [Double] = [8, 14, 24, 10] + (selfCheck ? [10, 10] : []) + [24] + (selfCheck ? [14] : [])
        return XLSXWorkbook(sheets: [
            XLSXSheet(name: l.rankingSheet, rows: ranking, columnWidths: rankingWidths, frozenRows: 1,
                      print: XLSXPrint(landscape: false, repeatedRows: 1, tableRows: 0..<tableEnd, title: title)),
            XLSXSheet(name: l.itemsSheet, rows: items, columnWidths: [14, 24, 14, 40, 10, 60, 12],
                      frozenRows: 1, print: XLSXPrint(landscape: true, repeatedRows: 1, tableRows: 0..<items.count, title: title)),
        ])
    }

    private static func text(_ s: String) -> XLSXCell { s.isEmpty ? .empty : .text(s) }
}
