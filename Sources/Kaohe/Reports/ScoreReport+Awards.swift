/// What every ranking report says about groups, vetoes and quota bands: each group's band summary, the
/// vetoed units with their reasons, and the count bands ties made hold more units than their places.
extension ScoreReport {
    /// "五四红旗团委: 1 个单位" for each band in `units` (a group, or every unit), with a count band's places and
    /// score lines, and the meaning in Chinese.
    static func bandSummary(_ sheet: Scoresheet, _ units: [Int], _ l: Labels) -> [String] {
        sheet.policy.bands.map { band in
            var facts: [String] = []
            if let count = band.count { facts.append("\(l.places) \(count)") }
            if let lo = band.minTotal { facts.append("\(l.scoreLine) ≥\(Points(lo))") }
            if let hi = band.maxTotal { facts.append("\(l.scoreLine) ≤\(Points(hi))") }
            let held = sheet.count(of: band.id, in: units)
            return "\(bandLabel(sheet.policy, band.id, l)): \(held) \(l.units)"
                + (facts.isEmpty ? "" : l.paren(facts.joined(separator: l.listSeparator))) + l.meaning(band.meaning)
        }
    }

    /// The vetoes of unit `u` as a cell: their titles (English reports of a Chinese policy: their ids).
    static func vetoCell(_ sheet: Scoresheet, _ u: Int, _ l: Labels, ids: Bool = false) -> String {
        sheet.vetoes(of: u).map { ids ? $0.veto.id : $0.veto.title }.joined(separator: ids ? l.csvListSeparator : l.listSeparator)
    }

    /// "一票否决：GZ05 某镇 第十七条之一 团费收缴率低于90%（团费收缴率 85%），取消评优资格" per vetoed unit of `units`.
    static func vetoLines(_ sheet: Scoresheet, _ units: [Int], _ l: Labels) -> [String] {
        units.compactMap { u in
            let hits = sheet.vetoes(of: u)
            guard !hits.isEmpty else { return nil }
            return "\(l.vetoes)\(l.colon)\(sheet.data.unitIDs[u]) \(sheet.data.names[u]) \(vetoReasons(hits, l))\(l.clauseSeparator)\(l.vetoed)"
        }
    }

    /// "第九条 团费收缴率低于90%（团费收缴率 80%）" for each veto, joined by the clause separator.
    static func vetoReasons(_ hits: [Scoresheet.VetoHit], _ l: Labels) -> String {
        hits.map { $0.veto.heading + ($0.note.isEmpty ? "" : l.paren($0.note)) }.joined(separator: l.clauseSeparator)
    }

    /// "五四红旗团委名额1个，因总分并列评出2个单位": a quota band ties made hold more units than its places.
    static func overfullText(_ sheet: Scoresheet, _ o: RankingResult.Overfull, _ l: Labels) -> String {
        Labels.fill(l.tiedOverPlaces, ["band": bandLabel(sheet.policy, o.band, l), "places": String(o.places),
                                       "held": String(o.units.count)])
    }

    /// The count bands of group `g` that ties made hold more units than their places.
    static func overfullLines(_ sheet: Scoresheet, group g: Int, _ l: Labels) -> [String] {
        sheet.overfull(inGroup: g).map { o in
            let units = o.units.map { "\(sheet.data.unitIDs[$0]) \(sheet.data.names[$0])" }.joined(separator: l.listSeparator)
            return overfullText(sheet, o, l) + l.colon + units
        }
    }

    /// The remark a ranking row carries for unit `u`: its vetoes' notes (取消评优资格) and the quota bands it holds
    /// through a tie.
    static func awardRemark(_ sheet: Scoresheet, _ u: Int, _ l: Labels) -> String {
        var parts: [String] = []
        let hits = sheet.vetoes(of: u)
        if !hits.isEmpty {
            parts.append(l.vetoed + l.paren(hits.map { $0.note.isEmpty ? $0.veto.title : $0.note }.joined(separator: l.listSeparator)))
        }
        for o in sheet.ranking.overfull where o.units.contains(u) {
            parts.append(overfullText(sheet, o, l))
        }
        return parts.joined(separator: l.clauseSeparator)
    }

    /// Whether ranking rows carry a remark column for awards: the policy has vetoes or count bands.
    static func hasAwardRemarks(_ policy: Policy) -> Bool {
        !policy.vetoes.isEmpty || policy.bands.contains { $0.count != nil }
    }

    /// A group's heading line: "乡镇 · 15 个单位".
    static func groupHeading(_ section: Scoresheet.GroupSection, _ l: Labels) -> String {
        "\(section.label ?? "") · \(section.units.count) \(l.units)"
    }
}

extension ScoreReport {
    /// `"vetoes": [{"id", "citation", "title", "note"}]` of unit `u`.
    static func writeVetoes(_ sheet: Scoresheet, _ u: Int, to w: inout JSONWriter) {
        w.beginArray()
        for hit in sheet.vetoes(of: u) {
            w.element { w in
                w.beginObject()
                w.field("id", string: hit.veto.id)
                w.field("citation", string: hit.veto.citation)
                w.field("title", string: hit.veto.title)
                w.field("note", string: hit.note)
                w.endObject()
            }
        }
        w.endArray()
    }

    /// The ranking's facts beside the results: `"total"` (the document's rounding), `"groups"` (id, label,
    /// units, each band's places), and `"notices"` (empty bands, ties over a quota, bands that cannot tell
    /// tied units apart), each with its code.
    static func writeAwards(_ sheet: Scoresheet, to w: inout JSONWriter) {
        let p = sheet.policy
        if let total = p.total {
            w.field("total") { w in
                w.beginObject()
                w.field("decimals") { $0.number(total.decimals) }
                w.field("rounding", string: total.rounding.rawValue)
                w.endObject()
            }
        }
        if p.groups != nil {
            w.field("groups") { w in
                w.beginArray()
                for section in sheet.groupSections {
                    w.element { w in
                        w.beginObject()
                        w.field("id", string: section.id)
                        w.field("label", string: section.label)
                        w.field("units") { $0.number(section.units.count) }
                        w.field("places") { w in
                            w.beginObject()
                            for (b, band) in p.bands.enumerated() where !band.isHistory {
                                w.field(band.id) { $0.number(sheet.ranking.places[b][section.index]) }
                            }
                            w.endObject()
                        }
                        w.endObject()
                    }
                }
                w.endArray()
            }
        }
        w.field("notices") { w in
            w.beginArray()
            for notice in sheet.notices {
                w.element { w in
                    w.beginObject()
                    w.field("code", string: notice.code)
                    w.field("severity", string: notice.severity.rawValue)
                    w.field("message", string: notice.message)
                    if let hint = notice.hint { w.field("hint", string: hint) }
                    w.endObject()
                }
            }
            w.endArray()
        }
    }
}

extension Policy.Veto {
    /// "第十七条之一 团费收缴率低于90%": the citation and title as reports name a veto.
    var heading: String { [citation, title].filter { !$0.isEmpty }.joined(separator: " ") }
}
