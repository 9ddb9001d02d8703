/// No unit, or more than one unit, answers to the name or id asked for.
public struct UnitLookupError: Error, Sendable, CustomStringConvertible {
    public var query: String
    /// The data the unit was looked for in.
    public var data: String
    /// The ids of the units that share the name (two or more), or empty.
    public var sameName: [String]
    /// Units whose id or name contains the query: "id (name)".
    public var close: [String]

    public var description: String {
        if !sameName.isEmpty {
            return "\(sameName.count) units are named '\(query)' (\(sameName.joined(separator: ", "))); give the unit's id"
        }
        return "no unit '\(query)' in \(data)" + (close.isEmpty ? "" : "; did you mean \(close.joined(separator: ", "))?")
    }
}
