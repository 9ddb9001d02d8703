import Foundation

/// What the ranking could not settle as the policy asks, as the bulletin states it: `Scoresheet.notices`
/// (diagnostics in English, for the terminal) told again in the page's language from the results they come
/// from — a quota that ties made hold more units, a fraction band that rounds to no place in a group, units
/// in a top and a bottom band at once, history bands with no jurisdiction. A notice kaohe has no words for
/// (or whose count the results do not match) is shown as its message, never dropped.
struct BulletinRemarks {
    struct Remark {
        /// The notice's code (`band.tie-over-places`, ...).
        var code: String
        var text: String
        /// The units it concerns, in rank order, linked after the text.
        var units: [Int]
    }

    /// Remarks about the whole ranking.
    private(set) var general: [Remark] = []
    /// Remarks about one group, by group index.
    private var byGroup: [Int: [Remark]] = [:]

    init(_ sheet: Scoresheet, _ labels: Labels, _ words: HTMLLabels) {
        let p = sheet.policy
        func label(_ id: String) -> String { ScoreReport.bandLabel(p, id, labels) }
        var told: [String: [(group: Int?, remark: Remark)]] = [:]
        func add(_ code: String, _ group: Int?, _ text: String, _ units: [Int] = []) {
            told[code, default: []].append((group, Remark(code: code, text: text, units: units)))
        }
        for o in sheet.ranking.overfull {
            add("band.tie-over-places", o.group,
                ScoreReport.overfullText(sheet, o, labels), o.units)
        }
        for (b, band) in p.bands.enumerated() where !band.isHistory && band.count == nil {
            for section in sheet.groupSections where sheet.ranking.places[b][section.index] == 0 {
                let size = section.units.count
                add("band.empty", section.index, Labels.fill(words.emptyBand, [
                    "band": label(band.id), "percent": Points(band.fraction * 100).description, "size": String(size),
                    "share": Points(band.fraction * Double(size)).description]))
            }
        }
        for c in sheet.bandConflicts {
            add("band.tie-across-cutoffs", nil, Labels.fill(words.acrossCutoffs, [
                "count": String(c.units.count), "top": label(c.top.id), "bottom": label(c.bottom.id)]), c.units)
        }
        let history = p.bands.filter(\.isHistory).map { label($0.id) }.joined(separator: labels.listSeparator)
        add("history.no-jurisdiction", nil, Labels.fill(words.noJurisdiction, ["bands": history]))
        // each notice in the page's words where the results tell the same number of them; else its message
        var codes: [String] = []
        for n in sheet.notices where !codes.contains(n.code) { codes.append(n.code) }
        for code in codes {
            let notices = sheet.notices.filter { $0.code == code }
            guard let mine = told[code], mine.count == notices.count else {
                general += notices.map { Remark(code: code, text: $0.message, units: []) }
                continue
            }
            for (group, remark) in mine {
                if let group { byGroup[group, default: []].append(remark) } else { general.append(remark) }
            }
        }
    }

    /// The remarks about the group of `section`.
    func inGroup(_ section: Scoresheet.GroupSection) -> [Remark] { byGroup[section.index] ?? [] }
}
