import Foundation

/// Fresh folders under the system's temporary directory.
public enum TemporaryDirectory {
    /// Creates and returns a new folder named `prefix-<UUID>`.
    public static func make(_ prefix: String = "kaohe-test") -> String {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent(prefix + "-" + UUID().uuidString)
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
