import Foundation

/// The repository's folder: the tests read the shipped policies, samples, fixtures and goldens from it.
public enum Repository {
    /// The repository root (this file is Tests/KaoheTestSupport/Repository.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `relative` (such as "policies/ganzhou/2023.lua") under the repository root.
    public static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }
}
