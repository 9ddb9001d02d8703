import Foundation

/// The bulletin's ranking section: per group (one section of every unit without `groups`), who holds each
/// band with its places and score lines, what the ranking could not settle, the vetoed units and why, and
/// the ranking table.
extension BulletinPage {
    func rankingSection(_ w: inout HTMLWriter) {
        let grouped = sheet.policy.groups != nil
        let remarks = BulletinRemarks(sheet, labels, words)
        w.element("h2", [("id", "ranking")], text: words.rankingSection)
        if grouped {
            remarkList(&w, remarks.general)
            dataWarnings(&w)
        }
        for section in sheet.groupSections {
            if grouped {
                w.start("section", [("class", "group"), ("id", HTMLWriter.anchor(group: section.id ?? "")), ("data-group", section.id ?? "")])
                w.newline()
                w.element("h3", text: "\(section.label ?? "") · \(section.units.count) \(labels.units)")
                w.newline()
            }
            bandsSummary(&w, section)
            remarkList(&w, (grouped ? [] : remarks.general) + remarks.inGroup(section))
            vetoList(&w, section)
            if !grouped { dataWarnings(&w) }
            rankingTable(&w, section)
            if grouped {
                w.end()
                w.newline()
            }
        }
    }

    /// Each band: its chip, how many of the group's units hold it, a quota band's places and the score lines
    /// the policy declares, its meaning, and the holders.
    private func bandsSummary(_ w: inout HTMLWriter, _ section: Scoresheet.GroupSection) {
        let p = sheet.policy
        w.element("ul", [("class", "bands-summary")]) { w in
            for (b, band) in p.bands.enumerated() {
                let members = section.units.filter { sheet.ranking.bands[$0].contains(band.id) }
                w.element("li", [("data-band", band.id)]) { w in
                    w.bandChip(band, text: ScoreReport.bandLabel(p, band.id, labels))
                    w.text("\(members.count) \(labels.units)")
                    var facts: [String] = []
                    if band.count != nil { facts.append("\(labels.places) \(sheet.ranking.places[b][section.index])") }
                    if let lo = band.minTotal { facts.append("\(labels.scoreLine) ≥ \(sheet.totalText(Points(lo)))") }
                    if let hi = band.maxTotal { facts.append("\(labels.scoreLine) ≤ \(sheet.totalText(Points(hi)))") }
                    if !facts.isEmpty { w.element("span", [("class", "band-facts")], text: labels.paren(facts.joined(separator: labels.listSeparator))) }
                    let meaning = labels.meaning(band.meaning)
                    if !meaning.isEmpty { w.text(meaning) }
                    if !members.isEmpty { w.text("：") }
                    for (i, u) in members.enumerated() {
                        if i > 0 { w.text(labels.listSeparator) }
                        w.unitLink(sheet.data.unitIDs[u], sheet.data.names[u])
                    }
                }
            }
        }
        w.newline()
    }

    /// What the ranking could not settle as the policy asks (ties over a quota, bands with no place, ...),
    /// in the page's language, each naming the units it concerns.
    private func remarkList(_ w: inout HTMLWriter, _ remarks: [BulletinRemarks.Remark]) {
        guard !remarks.isEmpty else { return }
        w.element("ul", [("class", "band-notices")]) { w in
            for r in remarks {
                w.element("li", [("data-code", r.code)]) { w in
                    w.text(labels.warning + r.text)
                    if !r.units.isEmpty { w.text(labels.colon) }
                    for (i, u) in r.units.enumerated() {
                        if i > 0 { w.text(labels.listSeparator) }
                        w.unitLink(sheet.data.unitIDs[u], sheet.data.names[u])
                    }
                }
            }
        }
        w.newline()
    }

    /// The group's vetoed units (一票否决): each veto's article, title and note, and that the unit holds no award.
    private func vetoList(_ w: inout HTMLWriter, _ section: Scoresheet.GroupSection) {
        let vetoed = section.units.filter { !sheet.vetoes(of: $0).isEmpty }
        guard !vetoed.isEmpty else { return }
        w.element("ul", [("class", "vetoes")]) { w in
            for u in vetoed {
                w.element("li", [("data-unit", sheet.data.unitIDs[u])]) { w in
                    w.element("strong", text: labels.vetoes)
                    w.text(labels.colon)
                    w.unitLink(sheet.data.unitIDs[u], sheet.data.names[u])
                    w.text(labels.paren(sheet.data.unitIDs[u]) + (labels.language == .zh ? "" : " "))
                    w.text(ScoreReport.vetoReasons(sheet.vetoes(of: u), labels) + labels.clauseSeparator)
                    w.element("span", [("class", "veto-mark")], text: labels.vetoed)
                }
            }
        }
        w.newline()
    }


    /// What the data leaves unsaid: units that submitted no self-check form, files kaohe cannot read.
    private func dataWarnings(_ w: inout HTMLWriter) {
        let warnings = DataWarning.lines(sheet, labels)
        guard !warnings.isEmpty else { return }
        w.element("ul", [("class", "data-warnings")]) { w in
            for line in warnings { w.element("li", text: line) }
        }
        w.newline()
    }

    private func rankingTable(_ w: inout HTMLWriter, _ section: Scoresheet.GroupSection) {
        let p = sheet.policy
        let selfCheck = p.selfcheck != nil, vetoes = !p.vetoes.isEmpty
        w.element("table", [("class", "ranking")]) { w in
            w.element("thead") { w in
                w.element("tr") { w in
                    w.element("th", [("class", "num")], text: labels.rank)
                    w.element("th", text: labels.unit)
                    w.element("th", text: labels.name)
                    w.element("th", [("class", "num")], text: labels.total)
                    if selfCheck {
                        w.element("th", [("class", "num")], text: labels.selfScore)
                        w.element("th", [("class", "num")], text: labels.difference)
                    }
                    w.element("th", text: labels.bands)
                    if vetoes { w.element("th", text: labels.vetoes) }
                }
            }
            w.element("tbody") { w in
                for u in section.units {
                    let hits = sheet.vetoes(of: u)
                    var attributes: HTMLWriter.Attributes = [("data-unit", sheet.data.unitIDs[u])]
                    let classes = [bandKind(u)?.cssClass, hits.isEmpty ? nil : "vetoed"].compactMap { $0 }
                    if !classes.isEmpty { attributes.append(("class", classes.joined(separator: " "))) }
                    w.element("tr", attributes) { w in
                        w.element("td", [("class", "num")], text: String(sheet.ranking.rank[u]))
                        w.element("td", text: sheet.data.unitIDs[u])
                        w.element("td") { $0.unitLink(sheet.data.unitIDs[u], sheet.data.names[u]) }
                        w.element("td", [("class", "num")], text: sheet.totalText(sheet.totals[u]))
                        if selfCheck {
                            let check = SelfCheck(sheet, unit: u)
                            let claimed = check?.selfTotal
                            let none = check?.submitted == false ? SelfCheck.Problem.notSubmitted.label(labels) : "—"
                            w.element("td", [("class", "num")], text: claimed?.description ?? none)
                            w.element("td", [("class", "num")], text: claimed.map { ($0 - sheet.totals[u]).signed } ?? "—")
                        }
                        w.element("td") { w in
                            for id in sheet.ranking.bands[u] {
                                if let band = p.bands.first(where: { $0.id == id }) { w.bandChip(band, text: ScoreReport.bandLabel(p, id, labels)) }
                            }
                        }
                        if vetoes {
                            w.element("td", [("class", "veto")]) { w in
                                guard !hits.isEmpty else { return }
                                w.element("span", [("class", "veto-mark")], text: labels.vetoed)
                                w.text(hits.map(\.veto.heading).joined(separator: labels.listSeparator))
                            }
                        }
                    }
                    w.newline()
                }
            }
        }
        w.newline()
    }
}
