/// A scoresheet as a workbook: the ranking, then every unit's line items, numbers as numeric cells.
public enum XLSXScoreReport {
    /// Sheet 1 (排名 / Ranking): rank, unit, name, total, bands; sheet 2 (明细 / Line items): one row per unit
    /// and line item in rank order, with the article, rule, points, note and the cap that applied.
    public static func workbook(_ sheet: Scoresheet, language: String? = nil) -> XLSXWorkbook {
        let l = Labels.forLanguage(language ?? sheet.policy.language)
        var ranking: [[XLSXCell]] = [[l.rank, l.unit, l.name, l.total, l.bands].map { .bold($0) }]
        ranking.reserveCapacity(sheet.unitCount + 1)
        for u in sheet.order {
            ranking.append([.number(Double(sheet.ranking.rank[u])), text(sheet.data.unitIDs[u]), text(sheet.data.names[u]),
                            .number(sheet.totals[u].doubleValue), text(ScoreReport.bandLabels(sheet, u, l))])
        }
        var items: [[XLSXCell]] = [[l.unit, l.name, l.citation, l.rule, l.points, l.note, l.caps].map { .bold($0) }]
        items.reserveCapacity(sheet.unitCount * (sheet.policy.rules.count + 1) + 1)
        for u in sheet.order {
            let id = text(sheet.data.unitIDs[u]), name = text(sheet.data.names[u])
            for item in sheet.items(of: u) {
                items.append([id, name, text(item.citation), text(item.title), .number(item.points.doubleValue),
                              item.note.isEmpty ? .empty : .wrapped(item.note), text(item.cap ?? "")])
            }
        }
        return XLSXWorkbook(sheets: [
            XLSXSheet(name: l.isEnglish ? "Ranking" : "排名", rows: ranking, columnWidths: [8, 14, 24, 10, 24], frozenRows: 1),
            XLSXSheet(name: l.isEnglish ? "Line items" : "明细", rows: items, columnWidths: [14, 24, 14, 40, 10, 60, 12],
                      frozenRows: 1),
        ])
    }

    private static func text(_ s: String) -> XLSXCell { s.isEmpty ? .empty : .text(s) }
}
