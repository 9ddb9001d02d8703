public import Foundation

/// A run as `history list` shows it: no units, just their count.
public struct RunSummary: Sendable, Equatable {
    public var id: Int64
    public var policyID: String
    public var policyYear: Int
    public var jurisdiction: String?
    public var policySHA256: String
    public var dataSHA256: String
    public var label: String?
    public var createdAt: Date
    public var unitCount: Int

    /// A summary from its parts.
    public init(id: Int64, policyID: String, policyYear: Int, jurisdiction: String?, policySHA256: String,
                dataSHA256: String, label: String?, createdAt: Date, unitCount: Int) {
        self.id = id
        self.policyID = policyID
        self.policyYear = policyYear
        self.jurisdiction = jurisdiction
        self.policySHA256 = policySHA256
        self.dataSHA256 = dataSHA256
        self.label = label
        self.createdAt = createdAt
        self.unitCount = unitCount
    }
}
