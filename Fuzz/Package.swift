// swift-tools-version:6.0
// libFuzzer targets for kaohe's readers: build and run with scripts/fuzz (see its header).
import PackageDescription

let package = Package(
    name: "kaohe-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "kaohe", path: "..")],
    targets: ["FuzzCSV", "FuzzJSON", "FuzzXLSX", "FuzzPolicy"].map {
        .executableTarget(name: $0, dependencies: [.product(name: "Kaohe", package: "kaohe")])
    }
)
