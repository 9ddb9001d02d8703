/// A tool the tests run (python3, a browser, LibreOffice, a built executable) failed or is missing; the message
/// says what ran and what to do.
public struct ToolError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
