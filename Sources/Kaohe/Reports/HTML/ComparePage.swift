/// The comparison page: who entered or left each band, rank A → rank B for every unit as a slope chart,
/// each unit's change split by rule as a stacked bar, and the table of every unit.
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
            SlopeChart(comparison: c, units: charted, title: title + " · " + words.slope).draw(&w)
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
            for change in c.bandChanges {
                w.element("li", [("data-band", change.band)]) { w in
                    if let band = c.band(change.band) { w.bandChip(band) } else { w.text(change.label) }
                    w.text("\(labels.entered) ")
                    links(&w, change.entered)
                    w.text("\(labels.clauseSeparator)\(labels.left) ")
                    links(&w, change.left)
                }
            }
            let movers = c.largestMovers()
            w.element("li") { w in
                w.element("strong", text: labels.movers + labels.colon)
                if movers.isEmpty { w.text(words.noChange) }
                for (i, u) in movers.enumerated() {
                    if i > 0 { w.text(labels.listSeparator) }
                    w.unitLink(u.unit, u.name)
                    w.text(" \(u.delta.signed)" + labels.paren(CompareReport.rank(u)))
                }
            }
            let changed = c.units.filter { $0.delta != .zero }.count
            w.element("li", text: "\(labels.delta) ≠ 0\(labels.colon)\(changed) \(labels.of) \(c.units.count) \(labels.units)")
        }
        w.newline()
    }

    /// One row per unit: both totals, the change, ranks, bands entered and left, and the change by rule;
    /// rules in `linked` link to `#rule-<id>` (the diff page's row for the rule).
    func unitTable(_ w: inout HTMLWriter, units: [Comparison.UnitChange], linked: Set<String> = []) {
        let c = comparison
        w.element("table", [("class", "compare")]) { w in
            w.element("thead") { w in
                w.element("tr") { w in
                    w.element("th", text: labels.unit)
                    w.element("th", text: labels.name)
                    w.element("th", [("class", "num")], text: c.a.label)
                    w.element("th", [("class", "num")], text: c.b.label)
                    w.element("th", [("class", "num")], text: labels.delta)
                    w.element("th", [("class", "num")], text: labels.rank)
                    w.element("th", text: labels.bands)
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
                        w.element("td", text: u.unit)
                        w.element("td", [("class", "nowrap")], text: u.name)
                        w.element("td", [("class", "num")], text: CompareReport.total(u.a))
                        w.element("td", [("class", "num")], text: CompareReport.total(u.b))
                        w.pointsCell(u.delta)
                        w.element("td", [("class", "num")], text: CompareReport.rank(u))
                        w.element("td") { w in
                            for id in u.bandsEntered { if let b = c.band(id) { w.bandChip(b) } }
                            for id in u.bandsLeft { if let b = c.band(id) { w.bandChip(b, left: true) } }
                        }
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
