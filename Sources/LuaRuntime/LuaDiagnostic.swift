/// One problem the prelude found in a policy (check.lua lists the codes), e.g. line 12, "rule.duplicate-id",
/// "duplicate rule id 'study'". The file is the policy's; `line` is nil for a problem of the whole file.
public struct LuaDiagnostic: Sendable, Equatable, Codable {
    public var line: Int?
    /// A stable code, `kind.what` ("band.bad-fraction").
    public var code: String
    public var message: String

    public init(line: Int?, code: String, message: String) {
        self.line = line
        self.code = code
        self.message = message
    }
}
