extension LuaError {
    /// Where Lua's own message says the error was raised: it formats a position as `chunk:line: text` (the
    /// chunk name shortened to `...tail` when long). Read here, once, where the message leaves Lua; nil when
    /// the message has no position (errors raised by C functions or with level 0).
    public var position: (chunk: String, line: Int, text: String)? {
        Self.locate(message)
    }

    public static func locate(_ message: String) -> (chunk: String, line: Int, text: String)? {
        var search = message.startIndex
        while let colon = message[search...].firstIndex(of: ":") {
            let afterColon = message.index(after: colon)
            let digits = message[afterColon...].prefix { $0.isASCII && $0.isNumber }
            let rest = message[digits.endIndex...]
            if !digits.isEmpty, rest.hasPrefix(": "), let line = Int(digits) {
                return (String(message[..<colon]), line, String(rest.dropFirst(2)))
            }
            if message[..<colon].contains("\n") { return nil }
            search = afterColon
        }
        return nil
    }
}
