import Foundation

extension Policy {
    /// What results need to say about the policy that produced them.
    public struct Summary: Sendable, Equatable {
        public var id: String
        public var title: String
        public var year: Int
        public var sha256: String

        public init(id: String, title: String, year: Int, sha256: String) {
            self.id = id
            self.title = title
            self.year = year
            self.sha256 = sha256
        }

        public init(_ p: Policy) { self.init(id: p.id, title: p.title, year: p.year, sha256: p.sha256) }
    }
}

extension Policy {
    /// What the data loader reads from the policy: its inputs, groups and self-check spec (and, for a
    /// self-check policy, the rules that read filled forms). Two policies with the same signature read the
    /// same files into the same `Dataset`, so a data set loaded for one serves the other (the workbench keeps
    /// data sets by it).
    public var dataSignature: String {
        struct Signature: Encodable {
            var inputs: [Policy.Input]
            var groups: Policy.Groups?
            var selfcheck: Policy.SelfCheckSpec?
            var rules: [String: JSONValue]?
        }
        let s = Signature(inputs: inputs, groups: groups, selfcheck: selfcheck,
                          rules: selfcheck == nil ? nil : Dictionary(rules.map { ($0.id, $0.params) }, uniquingKeysWith: { a, _ in a }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(s)) ?? Data(sha256.utf8), as: UTF8.self)
    }
}
