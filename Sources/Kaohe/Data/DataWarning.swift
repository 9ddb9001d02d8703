/// Something about the data that does not stop scoring but must be said wherever the results are shown:
/// a unit that submitted no self-check form, or a form file kaohe cannot read. Every report carries these
/// (a row, a line or a field), so "did not submit" is never a silent "—".
public struct DataWarning: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The unit has no rows in the self-check table: no form in the folder, or none in the CSV.
        case notSubmitted = "not-submitted"
        /// A file in the data folder that looks like a form but is not .xlsx (.xls, .ods, .et).
        case unreadableForm = "unreadable-form"
    }

    public var kind: Kind
    /// The unit's id, when the warning is about one unit.
    public var unit: String?
    /// Where kaohe looked (the folder or file), or the file that cannot be read.
    public var file: String
    /// A form file beside it that kaohe cannot read and that names the unit, if any.
    public var unreadable: String?

    public init(kind: Kind, unit: String?, file: String, unreadable: String? = nil) {
        self.kind = kind
        self.unit = unit
        self.file = file
        self.unreadable = unreadable
    }

    /// The warning as a sentence in the report's language; `name` is the unit's name.
    public func text(_ l: Labels, name: String) -> String {
        let who = unit.map { name.isEmpty ? $0 : "\($0) \(name)" } ?? ""
        switch kind {
        case .notSubmitted:
            return Labels.fill(l.notSubmittedWarning, ["who": who, "file": file])
                + (unreadable.map { Labels.fill(l.unreadableHint, ["unreadable": $0]) } ?? "")
        case .unreadableForm:
            return Labels.fill(l.unreadableFormWarning, ["file": file])
        }
    }

    /// One line per warning, "warning: …" (English) or "注意：…".
    static func lines(_ sheet: Scoresheet, _ l: Labels) -> [String] {
        sheet.data.warnings.map { w in
            let name = w.unit.flatMap { sheet.data.index(ofUnit: $0) }.map { sheet.data.names[$0] } ?? ""
            return l.warning + w.text(l, name: name)
        }
    }
}
