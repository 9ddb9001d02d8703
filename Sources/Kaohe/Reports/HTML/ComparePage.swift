/// The comparison page: who entered or left each band, rank A → rank B for every unit as a slope chart,
/// each unit's change split by rule as a stacked bar, and the table of every unit. With groups, band changes
/// are told per group and each group has its own slope chart (ranks are ranks within a group); units whose
/// group changed and vetoes gained or lost are listed with the band changes.
struct ComparePage {
    var comparison: Comparison
    var labels: Labels
    var words: HTMLLabels

    init(_ c: Comparison, language: Language) {
        comparison = c
        labels = Labels.forLanguage(language)
        words = HTMLLabels.forLanguage(language)
    }

    func render() -> String {
        let c = comparison
        let title = "\(labels.compared)\(labels.colon)\(c.a.label) → \(c.b.label)"
        return HTMLWriter.document(title: title, lang: words.htmlLang) { w in
            w.element("header", [("class", "doc")]) { w in
                w.element("h1", text: title)
                w.element("p", [("class", "kicker")], text: "\(c.units.count) \(labels.units)")
                w.element("dl", [("class", "meta")]) { w in
                    for side in [c.a, c.b] {
                        w.element("dt", text: side.label)
                        w.element("dd") { w in
                            w.text("\(side.policy.title) \(side.policy.year)（\(side.policy.id)）· sha256 ")
                            w.element("span", [("class", "hash")], text: side.policy.sha256)
                        }
                    }
                }
            }
            w.element("nav", [("class", "contents")]) { w in
                w.element("strong", text: words.contents + labels.colon)
                for (anchor, text) in [("bands", words.bandChanges), ("slope", words.slope),
                                       ("attribution", words.attribution), ("units", words.perUnit)] {
                    w.element("a", [("href", "#" + anchor)], text: text)
                }
            }
            w.newline()
            w.element("h2", [("id", "bands")], text: words.bandChanges)
            bandSummary(&w)
            let charted = c.chartedUnits
            let cut = charted.count < c.units.count ? labels.paren("\(words.shown) \(charted.count) / \(c.units.count)") : ""
            w.element("h2", [("id", "slope")], text: words.slope + cut)
            if c.grouped {
                // one chart per group: a rank is a place within its group
                for section in c.groupChanges {
                    let units = charted.filter { $0.enteredGroup == section.group }
                    guard !units.isEmpty else { continue }
                    let name = section.label ?? labels.none
                    w.element("h3", text: name)
                    SlopeChart(comparison: c, units: units, title: title + " · " + words.slope + " · " + name).draw(&w)
                }
            } else {
                SlopeChart(comparison: c, units: charted, title: title + " · " + words.slope).draw(&w)
            }
            w.element("h2", [("id", "attribution")], text: words.attribution + cut)
            AttributionChart(comparison: c, units: charted.filter { $0.a != nil && $0.b != nil },
                             title: title + " · " + words.attribution,
                             others: { n in words.others(n) }).draw(&w)
            w.element("h2", [("id", "units")], text: words.perUnit)
            unitTable(&w, units: c.units)
            w.element("p", [("class", "doc-footer")], text: words.generated)
        }
    }

    /// Per band, who entered and who left; then the largest movers and how many units changed.
    func bandSummary(_ w: inout HTMLWriter) {
        let c = comparison
        let names = Dictionary(uniqueKeysWithValues: c.units.map { ($0.unit, $0.name) })
        func links(_ w: inout HTMLWriter, _ ids: [String]) {
            if ids.isEmpty { w.text(labels.none) }
            for (i, id) in ids.enumerated() {
                if i > 0 { w.text(labels.listSeparator) }
                w.unitLink(id, names[id] ?? id)
            }
        }
        w.element("ul", [("class", "bands-summary")]) { w in
            for section in c.groupChanges {
                for change in section.bands {
                    var attributes: HTMLWriter.Attributes = [("data-band", change.band)]
                    if let g = section.group { attributes.append(("data-group", g)) }
                    w.element("li", attributes) { w in
                        if let band = c.band(change.band) { w.bandChip(band) } else { w.text(change.label) }
                        if let label = section.label { w.text(labels.paren(label)) }
                        w.text("\(labels.entered) ")
                        links(&w, change.entered)
                        w.text("\(labels.clauseSeparator)\(labels.left) ")
                        links(&w, change.left)
                    }
                }
            }
            groupItems(&w, links: links)
            let movers = c.largestMovers()
            w.element("li") { w in
                w.element("strong", text: labels.movers + labels.colon)
                if movers.isEmpty { w.text(words.noChange) }
                for (i, u) in movers.enumerated() {
                    if i > 0 { w.text(labels.listSeparator) }
                    w.unitLink(u.unit, u.name)
                    w.text(" \(u.delta.signed)" + labels.paren(CompareReport.rankMove(c, u)))
                }
            }
            let changed = c.units.filter { $0.delta != .zero }.count
            w.element("li", text: "\(labels.delta) ≠ 0\(labels.colon)\(changed) \(labels.of) \(c.units.count) \(labels.units)")
        }
        w.newline()
    }

    /// With groups, the units whose group changed and a side without groups; with vetoes, those gained and
    /// lost with their titles and notes.
    func groupItems(_ w: inout HTMLWriter, links: (inout HTMLWriter, [String]) -> Void) {
        let c = comparison, g = labels.groupWords
        if c.grouped {
            let moves = c.groupMoves
            if !moves.isEmpty {
                w.element("li", [("class", "group-changes")]) { w in
                    w.element("strong", text: g.groupChanges + labels.colon)
                    for (i, u) in moves.enumerated() {
                        if i > 0 { w.text(labels.listSeparator) }
                        w.unitLink(u.unit, u.name)
                        w.text(" " + CompareReport.groupText(c, u))
                    }
                }
            }
            for side in [c.a, c.b] where side.groups == nil {
                w.element("li", text: labels.warning + Labels.fill(g.ungroupedSide, ["side": side.label]))
            }
        }
        guard c.hasVetoes else { return }
        func hits(_ w: inout HTMLWriter, _ pick: (Comparison.UnitChange) -> [VetoRecord.Hit]) {
            let items = c.units.flatMap { u in pick(u).map { (u, $0) } }
            if items.isEmpty { w.text(labels.none) }
            for (i, (u, h)) in items.enumerated() {
                if i > 0 { w.text(labels.listSeparator) }
                w.unitLink(u.unit, u.name)
                w.text(" \(h.veto.name)" + (h.note.isEmpty ? "" : labels.paren(h.note)))
            }
        }
        w.element("li", [("class", "veto-changes")]) { w in
            w.element("strong", text: labels.vetoes + labels.colon)
            w.text("\(g.vetoGained) ")
            hits(&w, \.vetoesGained)
            w.text("\(labels.clauseSeparator)\(g.vetoLost) ")
            hits(&w, \.vetoesLost)
        }
    }

    /// One row per unit: both totals, the change, ranks, bands entered and left, and the change by rule;
    /// rules in `linked` link to `#rule-<id>` (the diff page's row for the rule).
    func unitTable(_ w: inout HTMLWriter, units: [Comparison.UnitChange], linked: Set<String> = []) {
        let c = comparison
        w.element("table", [("class", "compare")]) { w in
            w.element("thead") { w in
                w.element("tr") { w in
                    if c.grouped { w.element("th", text: labels.group) }
                    w.element("th", text: labels.unit)
                    w.element("th", text: labels.name)
                    w.element("th", [("class", "num")], text: c.a.label)
                    w.element("th", [("class", "num")], text: c.b.label)
                    w.element("th", [("class", "num")], text: labels.delta)
                    w.element("th", [("class", "num")], text: labels.rank)
                    w.element("th", text: labels.bands)
                    if c.hasVetoes { w.element("th", text: labels.vetoes) }
                    w.element("th", text: labels.byRule)
                }
            }
            w.element("tbody") { w in
                for u in units {
                    var attributes: HTMLWriter.Attributes = [("id", HTMLWriter.anchor(unit: u.unit)), ("data-unit", u.unit)]
                    // entering a band colours the row; leaving one only marks it
                    if let k = BandKind.strongest(u.bandsEntered.compactMap { c.band($0).map(BandKind.init) }) {
                        attributes.append(("class", k.cssClass))
                    } else if !u.bandsLeft.isEmpty {
                        attributes.append(("class", "band-left"))
                    }
                    w.element("tr", attributes) { w in
                        if c.grouped { w.element("td", [("class", "nowrap")], text: CompareReport.groupText(c, u)) }
                        w.element("td", text: u.unit)
                        w.element("td", [("class", "nowrap")], text: u.name)
                        w.element("td", [("class", "num")], text: CompareReport.total(c.a, u.a))
                        w.element("td", [("class", "num")], text: CompareReport.total(c.b, u.b))
                        w.pointsCell(u.delta)
                        w.element("td", [("class", "num")], text: CompareReport.rank(u))
                        w.element("td") { w in
                            for id in u.bandsEntered { if let b = c.band(id) { w.bandChip(b) } }
                            for id in u.bandsLeft { if let b = c.band(id) { w.bandChip(b, left: true) } }
                        }
                        if c.hasVetoes { w.element("td", text: CompareReport.vetoText(u)) }
                        w.element("td", [("class", "by-rule")]) { w in
                            for r in u.byRule {
                                // one line per rule; the change never wraps away from its rule
                                w.element("div") { w in
                                    if linked.contains(r.key) {
                                        w.element("a", [("href", "#" + HTMLWriter.anchor(rule: r.key))], text: c.ruleName(r.key))
                                    } else {
                                        w.element("span", text: c.ruleName(r.key))
                                    }
                                    w.element("span", [("class", r.delta < .zero ? "delta minus" : "delta plus")], text: r.delta.signed)
                                }
                            }
                        }
                    }
                    w.newline()
                }
            }
        }
    }
}
