import Foundation
import Kaohe

/// File names made from data (a unit's id and name): one path component that is safe on Linux, macOS and
/// Windows and cannot leave the folder it is put in.
enum FileName {
    /// Characters Windows does not allow in names, and path separators everywhere.
    static let forbidden: Set<Unicode.Scalar> = ["/", "\\", "<", ">", ":", "\"", "|", "?", "*"]
    /// Device names Windows reserves, with or without an extension.
    static let reserved = Set(["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })
    /// At most this many UTF-8 bytes before the extension (file systems allow 255 in all).
    static let maxBytes = 200

    /// `stem` made safe, with `.ext` appended: path separators, `<>:"\|?*`, control and bidi characters become
    /// `_`; a leading dot or dash becomes `_` (so no `..`, no hidden file, nothing that reads as an option); a
    /// Windows device name (CON, NUL, COM1, …) gets a leading `_`; the stem is cut to `maxBytes`.
    static func safe(_ stem: String, extension ext: String) -> String {
        var scalars = String.UnicodeScalarView()
        for u in stem.unicodeScalars {
            scalars.append(forbidden.contains(u) || TerminalText.isUnsafe(u) ? "_" : u)
        }
        var s = String(scalars)
        if s.isEmpty { s = "_" }
        if s.hasPrefix(".") || s.hasPrefix("-") { s = "_" + s.dropFirst() }
        let base = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .trimmingCharacters(in: .whitespaces).uppercased()
        if reserved.contains(base) { s = "_" + s }
        if s.utf8.count > maxBytes {
            var cut = ""
            for ch in s {
                if cut.utf8.count + String(ch).utf8.count > maxBytes { break }
                cut.append(ch)
            }
            s = cut
        }
        return s + "." + ext
    }
}
