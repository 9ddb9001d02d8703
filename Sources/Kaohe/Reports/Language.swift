/// The language of a report: Chinese (the default) or English.
public enum Language: String, Sendable, CaseIterable, Codable {
    case zh, en
}
