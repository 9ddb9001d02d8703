import Foundation

/// A one-vote veto (一票否决) of a stored run's policy: its id, the article it implements and its title.
public struct VetoRecord: Sendable, Equatable {
    public var id: String
    public var citation: String
    public var title: String

    /// A veto that barred a unit from award bands, with the note its `when` function gave.
    public struct Hit: Sendable, Equatable {
        public var veto: VetoRecord
        public var note: String

        public init(veto: VetoRecord, note: String) {
            self.veto = veto
            self.note = note
        }

        /// The stored form of a scoresheet's veto hit.
        public init(_ hit: Scoresheet.VetoHit) {
            self.init(veto: VetoRecord(hit.veto), note: hit.note)
        }
    }

    /// A veto from its parts.
    public init(id: String, citation: String, title: String) {
        self.id = id
        self.citation = citation
        self.title = title
    }

    /// The stored form of a policy's veto.
    public init(_ veto: Policy.Veto) {
        self.init(id: veto.id, citation: veto.citation, title: veto.title)
    }

    /// "第九条 团费收缴率低于90%": the citation and title, as people read a veto.
    public var name: String { [citation, title].filter { !$0.isEmpty }.joined(separator: " ") }
}
