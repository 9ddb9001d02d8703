/// No unit, or more than one unit, answers to the name or id asked for.
public struct UnitLookupError: Error, Sendable, CustomStringConvertible {
    public var query: String
    /// The data the unit was looked for in.
    public var data: String
    /// The ids of the units that share the name (two or more), or empty.
    public var sameName: [String]
    /// Units whose id or name contains the query: "id (name)".
    public var close: [String]
    /// How many units contain the query (`close` shows the first five).
    public var closeCount = 0

    public init(query: String, data: String, sameName: [String], close: [String]) {
        self.query = query
        self.data = data
        self.sameName = sameName
        self.close = close
        closeCount = close.count
    }

    /// `unit.ambiguous` or `unit.not-found`.
    public var code: String { sameName.isEmpty ? "unit.not-found" : "unit.ambiguous" }

    public var message: String {
        sameName.isEmpty ? "no unit '\(query)' in \(data)"
            : "\(sameName.count) units are named '\(query)' (\(sameName.joined(separator: ", ")))"
    }

    /// What to do: give the id, or the units whose id or name contains the query.
    public var hint: String? {
        if !sameName.isEmpty { return "give the unit's id" }
        guard !close.isEmpty else { return nil }
        let more = closeCount > close.count ? " and \(closeCount - close.count) more" : ""
        return "units whose id or name contains '\(query)': \(close.joined(separator: ", "))\(more); give one's id or exact name"
    }

    public var description: String { message + (hint.map { "; " + $0 } ?? "") }

    public var diagnostic: Diagnostic { Diagnostic(file: nil, code: code, message: message, hint: hint) }
}
