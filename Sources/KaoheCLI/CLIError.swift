import Foundation
import Kaohe

/// A failure reported to the user with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    /// The diagnostic code it is reported with.
    var code: String
    init(_ message: String, code: String = "cli") {
        description = message
        self.code = code
    }
}
