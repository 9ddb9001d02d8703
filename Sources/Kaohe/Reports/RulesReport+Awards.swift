/// `kaohe rules` on groups, vetoes and the total's rounding.
extension RulesReport {
    /// "组别：kind（乡镇、街道）", "总分：保留1位小数（half-up）", "一票否决：第十七条之一 团费收缴率低于90%（dues）" lines.
    static func awardLines(_ policy: Policy, _ l: Labels) -> [String] {
        var out: [String] = []
        if let g = policy.groups { out.append("\(l.group)\(l.colon)\(g.by)\(l.paren(g.labels.joined(separator: l.listSeparator)))") }
        if let t = policy.total { out.append("\(l.total)\(l.colon)\(t.decimals) \(l.decimals)\(l.paren(t.rounding.rawValue))") }
        for v in policy.vetoes {
            out.append("\(l.vetoes)\(l.colon)" + v.heading + l.paren(v.id))
        }
        return out
    }

    /// `"groups"`, `"total"` and `"vetoes"` of the policy, when it has them.
    static func writeAwards(_ policy: Policy, to w: inout JSONWriter) {
        if let g = policy.groups { w.field("groups") { g.write(to: &$0) } }
        if let t = policy.total {
            w.field("total") { w in
                w.beginObject()
                w.field("decimals") { $0.number(t.decimals) }
                w.field("rounding", string: t.rounding.rawValue)
                w.endObject()
            }
        }
        if !policy.vetoes.isEmpty {
            w.field("vetoes") { w in
                w.beginArray()
                for v in policy.vetoes {
                    w.element { w in
                        w.beginObject()
                        w.field("id", string: v.id)
                        w.field("citation", string: v.citation)
                        w.field("title", string: v.title)
                        w.field("params") { v.params.write(to: &$0) }
                        w.endObject()
                    }
                }
                w.endArray()
            }
        }
    }
}
