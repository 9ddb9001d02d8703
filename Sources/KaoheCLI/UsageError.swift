import Foundation
import Kaohe

/// A usage problem found once the command runs (not by argument parsing), reported with exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
