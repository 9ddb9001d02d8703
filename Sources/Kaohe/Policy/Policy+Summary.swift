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
