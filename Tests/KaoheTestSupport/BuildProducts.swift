import Foundation

/// The folder the running test binary was built into (`.build/debug`, or `.build-tsan/debug` with
/// `--scratch-path .build-tsan`): the executables built with the tests (`kaohe`, `kaohe-test-helper`) are there.
public enum BuildProducts {
    public static let directory: String = {
        #if os(macOS)
        // the tests are a bundle `<products>/kaohePackageTests.xctest`, loaded by xctest or swiftpm-testing-helper
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return (bundle.bundlePath as NSString).deletingLastPathComponent
        }
        #endif
        // Linux: the test binary itself is `<products>/kaohePackageTests.xctest`
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: binary).resolvingSymlinksInPath().deletingLastPathComponent().path
    }()

    /// The built executable `name`, or a ToolError saying how to build it.
    public static func executable(_ name: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ToolError("\(name) is not built in \(directory); run `swift build --build-tests` (with the same "
                            + "--scratch-path and --sanitize options as `swift test`)")
        }
        return path
    }
}
