/// The policy's rules: citation, title, point range and params.
public enum RulesReport {
    public enum Format: String, CaseIterable, Sendable {
        case table, json, markdown
    }

    public static func render(_ policy: Policy, format: Format, language: Language? = nil) -> String {
        let l = Labels.forLanguage(language ?? policy.language)
        switch format {
        case .table: return TerminalText.escaped(table(policy, l), keepingLineBreaks: true)
        case .markdown: return markdown(policy, l)
        case .json: return json(policy)
        }
    }

    static func bound(_ v: Double?) -> String { v.map { JSONValue.numberText($0) } ?? "—" }

    static func paramsText(_ v: JSONValue) -> String {
        if case .object(let o) = v, o.isEmpty { return "" }
        let t = v.text(bare: false)
        return t.hasPrefix("{") ? String(t.dropFirst().dropLast()) : t
    }

    static func header(_ policy: Policy) -> String {
        var s = "\(policy.title) \(policy.year)（\(policy.id)）"
        if let src = policy.source?.title { s += " · \(src)" }
        return s
    }

    static func table(_ policy: Policy, _ l: Labels) -> String {
        var rows = [["#", l.citation, l.rule, l.min, l.max]]
        for (i, r) in policy.rules.enumerated() {
            let range = policy.pointRange(of: r)
            rows.append([String(i + 1), r.citation, TextWidth.truncate(TerminalText.escaped(r.title), to: 44), bound(range.min), bound(range.max)])
        }
        var out = header(policy) + "\n"
        out += "\(l.base) \(policy.base) · \(policy.ranking == .competition ? "competition (1224)" : "dense (1223, 中国式排名)")"
        if !policy.bands.isEmpty { out += " · " + policy.bands.map { "\($0.label)" }.joined(separator: l.listSeparator) }
        out += "\n"
        let shared = paramsText(policy.params)
        if !shared.isEmpty { out += "\(l.sharedParams)\(l.colon)\(TerminalText.escaped(shared))\n" }
        if !policy.tieBreak.isEmpty {
            out += "\(l.tieBreak)\(l.colon)" + TerminalText.escaped(policy.tieBreak.map { key in
                policy.rule(key.id).map { $0.citation.isEmpty ? $0.id : "\($0.citation)（\($0.id)）" }
                    ?? policy.section(key.id).map { "\($0.title)（\($0.id)）" } ?? key.id
            }.joined(separator: l.listSeparator)) + "\n"
        }
        for line in awardLines(policy, l) { out += TerminalText.escaped(line) + "\n" }
        // each rule's params on the lines under it, where they have room
        let lines = TextWidth.table(rows, alignments: [.right, .left, .left, .right, .right]).split(separator: "\n")
        out += lines[0] + "\n"
        for (i, r) in policy.rules.enumerated() {
            out += lines[i + 1] + "\n"
            let params = paramsText(r.params)
            if !params.isEmpty { out += "     \(l.params)\(l.colon)\(TerminalText.escaped(params))\n" }
        }
        let maxima = policy.rules.compactMap { policy.pointRange(of: $0).max }
        if maxima.count == policy.rules.count {
            let sum = maxima.reduce(Points.zero) { $0 + Points($1) }
            out += "\(policy.rules.count) rules · Σ \(l.max) = \(sum)\n"
        } else {
            out += "\(policy.rules.count) rules\n"
        }
        return out
    }

    static func markdown(_ policy: Policy, _ l: Labels) -> String {
        let md = MarkdownText.text
        var out = "# \(md(header(policy)))\n\n"
        let shared = paramsText(policy.params)
        if !shared.isEmpty { out += "\(l.sharedParams)\(l.colon)\(MarkdownText.code(shared))\n\n" }
        out += "| # | \(l.citation) | \(l.rule) | \(l.min) | \(l.max) | \(l.params) |\n|---:|---|---|---:|---:|---|\n"
        for (i, r) in policy.rules.enumerated() {
            let range = policy.pointRange(of: r)
            out += "| \(i + 1) | \(md(r.citation)) | \(md(r.title)) | \(bound(range.min)) | \(bound(range.max)) | \(MarkdownText.code(paramsText(r.params))) |\n"
        }
        return out
    }

    static func json(_ policy: Policy) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("policy") { w in
            w.beginObject()
            w.field("id", string: policy.id)
            w.field("title", string: policy.title)
            w.field("year") { $0.number(policy.year) }
            w.field("jurisdiction", string: policy.jurisdiction)
            w.field("language", string: policy.language.rawValue)
            w.field("source") { w in
                w.beginObject()
                w.field("title", string: policy.source?.title)
                w.field("issued", string: policy.source?.issued)
                w.field("file", string: policy.source?.file)
                w.endObject()
            }
            w.field("sha256", string: policy.sha256)
            w.field("base") { $0.number(policy.base) }
            w.field("ranking", string: policy.ranking.rawValue)
            w.field("params") { policy.params.write(to: &$0) }
            if !policy.tieBreak.isEmpty {
                w.field("tie_break") { w in
                    w.beginArray()
                    for key in policy.tieBreak {
                        w.element { w in
                            w.beginObject()
                            w.field("id", string: key.id)
                            w.field("kind", string: key.kind.rawValue)
                            w.endObject()
                        }
                    }
                    w.endArray()
                }
            }
            writeAwards(policy, to: &w)
            w.field("bands") { w in
                w.beginArray()
                for b in policy.bands {
                    w.element { w in
                        w.beginObject()
                        w.field("id", string: b.id)
                        w.field("label", string: b.label)
                        w.field("from", string: b.from?.rawValue ?? "")
                        w.field("fraction") { $0.optionalNumber(b.fraction) }
                        w.field("meaning", string: b.meaning)
                        if b.isHistory {
                            w.field("band", string: b.band)
                            w.field("years") { $0.number(b.years ?? 0) }
                        }
                        if let c = b.count { w.field("count") { $0.number(c) } }
                        if let a = b.after { w.field("after", string: a) }
                        if let a = b.atLeast { w.field("at_least") { $0.number(a) } }
                        if let r = b.round, r != .floor { w.field("round", string: r.rawValue) }
                        if let m = b.minTotal { w.field("min_total") { $0.optionalNumber(m) } }
                        if let m = b.maxTotal { w.field("max_total") { $0.optionalNumber(m) } }
                        if b.award { w.field("award") { $0.raw("true") } }
                        w.endObject()
                    }
                }
                w.endArray()
            }
            w.field("inputs") { w in
                w.beginObject()
                for input in policy.inputs {
                    w.field(input.name) { w in
                        w.beginArray()
                        for c in input.columns { w.element { $0.string(c.spec) } }
                        w.endArray()
                    }
                }
                w.endObject()
            }
            w.endObject()
        }
        w.field("rules") { w in
            w.beginArray()
            for r in policy.rules {
                let range = policy.pointRange(of: r)
                w.element { w in
                    w.beginObject()
                    w.field("id", string: r.id)
                    w.field("citation", string: r.citation)
                    w.field("title", string: r.title)
                    w.field("min") { $0.optionalNumber(range.min) }
                    w.field("max") { $0.optionalNumber(range.max) }
                    w.field("params") { r.params.write(to: &$0) }
                    w.field("section", string: r.section)
                    w.field("capped") { $0.raw(r.min != nil || r.max != nil ? "true" : "false") }
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.endObject()
        return w.output + "\n"
    }
}
