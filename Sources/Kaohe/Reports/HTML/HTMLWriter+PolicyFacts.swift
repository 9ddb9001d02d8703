import Foundation

extension HTMLWriter {
    /// The facts a printed result must carry: the policy, its source document, base, tie rule and hashes.
    mutating func policyFacts(_ p: Policy, dataSHA256: String?, _ labels: Labels, _ words: HTMLLabels) {
        element("dl", [("class", "meta")]) { w in
            w.element("dt", text: words.policy)
            w.element("dd", text: "\(p.title)（\(p.id)）")
            w.element("dt", text: words.year)
            w.element("dd", text: String(p.year))
            if let src = p.source, src.title != nil || src.file != nil {
                w.element("dt", text: words.source)
                let parts = [src.title.map { "《\($0)》" }, src.issued, src.file, src.url].compactMap { $0 }
                w.element("dd", text: parts.joined(separator: " · "))
            }
            w.element("dt", text: labels.base)
            w.element("dd", text: p.base.description)
            w.element("dt", text: words.ranking)
            w.element("dd", text: p.ranking == .dense ? words.dense : words.competition)
            w.element("dt", text: "sha256")
            w.element("dd", [("class", "hash")], text: p.sha256)
            if let dataSHA256 {
                w.element("dt", text: "\(words.dataHash) sha256")
                w.element("dd", [("class", "hash")], text: dataSHA256)
            }
        }
    }
}
