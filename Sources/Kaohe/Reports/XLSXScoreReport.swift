/// A scoresheet as a workbook: the ranking, then every unit's line items, numbers as numeric cells.
public enum XLSXScoreReport {
    /// Sheet 1 (排名 / Ranking): rank, unit, name, total, bands; sheet 2 (明细 / Line items): one row per unit
    /// and line item in rank order, with the article, rule, points, note and the cap that applied.
    public static func workbook(_ sheet: Scoresheet, language: Language? = nil) -> XLSXWorkbook {
        let l = Labels.forLanguage(language ?? sheet.policy.language)
        let selfCheck = sheet.policy.selfcheck != nil
        // every column the terminal table and the JSON have: a self-check policy's claimed total, the
        // difference, and whether the unit submitted its form
        let groups = sheet.policy.groups != nil, vetoes = !sheet.policy.vetoes.isEmpty
        let remarks = selfCheck || ScoreReport.hasAwardRemarks(sheet.policy)
        var header = (groups ? [l.group] : []) + [l.rank, l.unit, l.name, l.total] + (selfCheck ? [l.selfScore, l.difference] : []) + [l.bands]
        if vetoes { header.append(l.vetoes) }
        if remarks { header.append(l.remarks) }
        var ranking: [[XLSXCell]] = [header.map { .bold($0) }]
        ranking.reserveCapacity(sheet.unitCount + 1)
        for u in sheet.order {
            let total: XLSXCell = sheet.policy.total.map { .decimal(sheet.totals[u].doubleValue, places: $0.decimals) }
                ?? .number(sheet.totals[u].doubleValue)
            var row: [XLSXCell] = (groups ? [text(sheet.groupLabel(of: u) ?? "")] : [])
                + [.number(Double(sheet.ranking.rank[u])), text(sheet.data.unitIDs[u]), text(sheet.data.names[u]), total]
            var remark: [String] = []
            if selfCheck {
                let check = SelfCheck(sheet, unit: u)
                let claimed = check?.selfTotal
                row += [claimed.map { .number($0.doubleValue) } ?? .empty, claimed.map { .number(($0 - sheet.totals[u]).doubleValue) } ?? .empty]
                if check?.submitted == false { remark.append(SelfCheck.Problem.notSubmitted.label(l)) }
            }
            row.append(text(ScoreReport.bandLabels(sheet, u, l)))
            if vetoes { row.append(text(ScoreReport.vetoCell(sheet, u, l))) }
            if remarks {
                let award = ScoreReport.awardRemark(sheet, u, l)
                if !award.isEmpty { remark.append(award) }
                row.append(text(remark.joined(separator: l.clauseSeparator)))
            }
            ranking.append(row)
        }
        let tableEnd = ranking.count
        // the data's warnings under the table, as every report shows them
        let warnings = DataWarning.lines(sheet, l)
        // with groups, vetoes or quotas, each group's band summary too, as the table report prints it
        let awards = !groups && !ScoreReport.hasAwardRemarks(sheet.policy) ? [] : sheet.groupSections.flatMap { section in
            (groups ? [ScoreReport.groupHeading(section, l)] : []) + ScoreReport.bandSummary(sheet, section.units, l)
                + ScoreReport.vetoLines(sheet, section.units, l) + ScoreReport.overfullLines(sheet, group: section.index, l)
        }
        if !warnings.isEmpty || !awards.isEmpty {
            ranking.append([])
            for line in awards + warnings { ranking.append([.text(line)]) }
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
        let rankingWidths: [Double] = (groups ? [10] : []) + [8, 14, 24, 10] + (selfCheck ? [10, 10] : []) + [24] + (vetoes ? [24] : [])
            + (remarks ? [selfCheck ? 14 : 36] : [])
        return XLSXWorkbook(sheets: [
            XLSXSheet(name: l.rankingSheet, rows: ranking, columnWidths: rankingWidths, frozenRows: 1,
                      print: XLSXPrint(landscape: false, repeatedRows: 1, tableRows: 0..<tableEnd, title: title)),
            XLSXSheet(name: l.itemsSheet, rows: items, columnWidths: [14, 24, 14, 40, 10, 60, 12],
                      frozenRows: 1, print: XLSXPrint(landscape: true, repeatedRows: 1, tableRows: 0..<items.count, title: title)),
        ])
    }

    private static func text(_ s: String) -> XLSXCell { s.isEmpty ? .empty : .text(s) }
}
