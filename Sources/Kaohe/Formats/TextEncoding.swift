import Foundation
import Glibc

/// Character encodings accepted for CSV input.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8 (with or without a BOM) when the bytes are valid UTF-8, else GB18030 (which covers GBK).
    case auto
    case utf8 = "utf-8"
    case gb18030

    public init?(name: String) {
        switch name.lowercased() {
        case "auto": self = .auto
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }
}
