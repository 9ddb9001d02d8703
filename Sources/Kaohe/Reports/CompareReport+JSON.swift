extension CompareReport {
    /// The comparison as JSON: both sides, every unit's totals, ranks, bands and change by rule, each band's
    /// entries and exits, and the largest movers. With groups, each side lists its groups, each unit its group
    /// on both sides, and `groups` tells the band changes per group; with vetoes, each side lists its vetoes
    /// and each unit its vetoes on both sides and those gained and lost. Without either, nothing is added.
    static func json(_ c: Comparison) -> String {
        var w = JSONWriter()
        write(c, to: &w)
        return w.output + "\n"
    }

    /// The comparison's JSON object, written into `w` (at any depth).
    public static func write(_ c: Comparison, to w: inout JSONWriter) {
        func side(_ s: Comparison.Side, _ w: inout JSONWriter) {
            w.beginObject()
            w.field("label", string: s.label)
            w.field("policy") { w in
                w.beginObject()
                w.field("id", string: s.policy.id)
                w.field("title", string: s.policy.title)
                w.field("year") { $0.number(s.policy.year) }
                w.field("sha256", string: s.policy.sha256)
                w.endObject()
            }
            if c.grouped {
                w.field("groups") { w in
                    if let groups = s.groups { groups.writeOrder(to: &w) } else { w.raw("null") }
                }
            }
            if c.hasVetoes {
                w.field("vetoes") { w in
                    w.beginArray()
                    for v in s.vetoes { w.element { veto(v, note: nil, &$0) } }
                    w.endArray()
                }
            }
            if let d = s.totalDecimals { w.field("total_decimals") { $0.number(d) } }
            w.endObject()
        }
        func veto(_ v: VetoRecord, note: String?, _ w: inout JSONWriter) {
            w.beginObject()
            w.field("id", string: v.id)
            w.field("citation", string: v.citation)
            w.field("title", string: v.title)
            if let note { w.field("note", string: note) }
            w.endObject()
        }
        func hits(_ xs: [VetoRecord.Hit], _ w: inout JSONWriter) {
            w.beginArray()
            for h in xs { w.element { veto(h.veto, note: h.note, &$0) } }
            w.endArray()
        }
        func strings(_ xs: [String], _ w: inout JSONWriter) {
            w.beginArray()
            for x in xs { w.element { $0.string(x) } }
            w.endArray()
        }
        func bandChanges(_ changes: [Comparison.BandChange], _ w: inout JSONWriter) {
            w.beginArray()
            for b in changes {
                w.element { w in
                    w.beginObject()
                    w.field("band", string: b.band)
                    w.field("entered") { strings(b.entered, &$0) }
                    w.field("left") { strings(b.left, &$0) }
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.beginObject()
        w.field("a") { side(c.a, &$0) }
        w.field("b") { side(c.b, &$0) }
        w.field("units") { w in
            w.beginArray()
            for u in c.units {
                w.element { w in
                    w.beginObject()
                    w.field("unit", string: u.unit)
                    w.field("name", string: u.name)
                    w.field("total_a") { w in if let t = u.a?.total { w.number(t) } else { w.raw("null") } }
                    w.field("total_b") { w in if let t = u.b?.total { w.number(t) } else { w.raw("null") } }
                    w.field("delta") { $0.number(u.delta) }
                    w.field("rank_a") { w in if let r = u.a?.rank { w.number(r) } else { w.raw("null") } }
                    w.field("rank_b") { w in if let r = u.b?.rank { w.number(r) } else { w.raw("null") } }
                    if c.grouped {
                        w.field("group_a") { w in if let g = u.a?.group { w.string(g) } else { w.raw("null") } }
                        w.field("group_b") { w in if let g = u.b?.group { w.string(g) } else { w.raw("null") } }
                        w.field("group_changed") { $0.raw(u.groupChanged ? "true" : "false") }
                    }
                    w.field("bands_a") { strings(u.a?.bands ?? [], &$0) }
                    w.field("bands_b") { strings(u.b?.bands ?? [], &$0) }
                    w.field("entered") { strings(u.bandsEntered, &$0) }
                    w.field("left") { strings(u.bandsLeft, &$0) }
                    if c.hasVetoes {
                        w.field("vetoes_a") { hits(u.a?.vetoes ?? [], &$0) }
                        w.field("vetoes_b") { hits(u.b?.vetoes ?? [], &$0) }
                        w.field("vetoes_gained") { hits(u.vetoesGained, &$0) }
                        w.field("vetoes_lost") { hits(u.vetoesLost, &$0) }
                    }
                    w.field("rules") { w in
                        w.beginArray()
                        for r in u.byRule {
                            w.element { w in
                                w.beginObject()
                                w.field("rule", string: r.key)
                                w.field("delta") { $0.number(r.delta) }
                                w.endObject()
                            }
                        }
                        w.endArray()
                    }
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.field("bands") { bandChanges(c.bandChanges, &$0) }
        if c.grouped {
            w.field("groups") { w in
                w.beginArray()
                for section in c.groupChanges {
                    w.element { w in
                        w.beginObject()
                        w.field("group") { w in if let g = section.group { w.string(g) } else { w.raw("null") } }
                        w.field("label") { w in if let l = section.label { w.string(l) } else { w.raw("null") } }
                        w.field("bands") { bandChanges(section.bands, &$0) }
                        w.endObject()
                    }
                }
                w.endArray()
            }
        }
        w.field("movers") { strings(c.largestMovers().map(\.unit), &$0) }
        w.endObject()
    }
}
