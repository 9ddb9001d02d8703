// swift-tools-version:6.0
import PackageDescription

// Warnings are errors for kaohe's own C when KAOHE_STRICT_C=1 (CI sets it): `unsafeFlags` would make the
// library unusable as a versioned dependency, so they are never set for a package that depends on kaohe.
let strictC: [CSetting] = Context.environment["KAOHE_STRICT_C"] == "1" ? [.unsafeFlags(["-Wall", "-Wextra", "-Werror"])] : []
// The workbench (`kaohe serve`, Hummingbird over SwiftNIO) is left out when KAOHE_WORKBENCH=0: the sanitizer runs in
// .ci/run set it, so they need not build SwiftNIO; `kaohe serve` then says how to get it.
let workbench = Context.environment["KAOHE_WORKBENCH"] != "0"

let package = Package(
    name: "kaohe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kaohe", targets: ["kaohe"]),
        .library(name: "Kaohe", targets: ["Kaohe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ] + (workbench ? [.package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
                      .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
                      .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
                      .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0")] : []),
    targets: [
        // Lua 5.4 from the system (Debian: liblua5.4-dev).
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // libxml2 from the system (Debian: libxml2-dev): its streaming reader parses workbook parts of any
        // size (Foundation's XMLParser stops at libxml2's 10 MB limit and cannot lift it).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The pull reader over libxml2 that the xlsx reader uses (libxml2's headers stay in C).
        .target(name: "CKaoheXML", dependencies: ["CLibXML2"], cSettings: strictC),
        // stat, lstat and fstat into a struct of kaohe's own (which Swift module owns `struct stat` on Linux
        // varies with header order)
        .target(name: "CKaoheFile", cSettings: strictC),
        // The sandbox core in C: allocator with a cap, watchdog + hook, read-only data views,
        // the scoring loop and the budgeted pattern matcher. Errors raised here never cross a Swift frame.
        .target(name: "CKaoheLua", dependencies: ["CLua"], cSettings: strictC),
        .target(
            name: "LuaRuntime",
            dependencies: ["CKaoheLua", "CLua"],
            // the prelude's parts (LuaSandbox.preludeParts loads them, in order)
            resources: ["determinism", "freeze", "safe_stdlib", "helpers", "globals", "json", "schema", "check", "host",
                        "testing"].map { .embedInCode("prelude/\($0).lua") }
        ),
        .target(
            name: "Kaohe",
            dependencies: [
                "LuaRuntime",
                "CKaoheXML",
                "CKaoheFile",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "KaoheCLI",
            dependencies: ["Kaohe", "LuaRuntime", "CKaoheFile", .product(name: "ArgumentParser", package: "swift-argument-parser")]
                + (workbench ? ["KaoheServe"] : [])
        ),
        .executableTarget(name: "kaohe", dependencies: ["KaoheCLI"]),
        // What the test targets share: the repository's paths, temporary folders, golden files (HTML in lines, a
        // line diff on failure), running tools (python3 with openpyxl, the built executables) and synthetic runs.
        .target(name: "KaoheTestSupport", dependencies: ["Kaohe"], path: "Tests/KaoheTestSupport"),
        // The process HistoryTests kills in the middle of a save (a fork of the multithreaded test process
        // must not run Swift or SQLite code).
        .executableTarget(name: "kaohe-test-helper", dependencies: ["Kaohe", "KaoheTestSupport"], path: "Tests/KaoheTestHelper"),
        .testTarget(name: "LuaRuntimeTests", dependencies: ["LuaRuntime"]),
        // Fixtures/libreoffice: workbooks LibreOffice wrote (scripts/gen-lo-fixtures); Fixtures/seeds: the policies'
        // source documents; GRDB for the history tests' SQL; kaohe-test-helper is started by the kill test
        .testTarget(name: "KaoheTests", dependencies: ["Kaohe", "LuaRuntime", "KaoheTestSupport", "kaohe-test-helper",
                                                      .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Fixtures"]),
        // ZIPFoundation's inflate decodes the PNGs the browser test renders (and opens the workbooks);
        // ArgumentParser and LuaRuntime for the error types the exit-code tests classify
        .testTarget(name: "KaoheCLITests", dependencies: ["KaoheCLI", "Kaohe", "LuaRuntime", "KaoheTestSupport", "CKaoheFile",
                                                         .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                    exclude: ["Goldens", "Fixtures"]),
    ]
)

if workbench {
    package.targets += [
        // The workbench server: the JSON API over the library (discovery, what-if), on Hummingbird 2
        // (NIOCore for the listening channel's port, Logging for the server's logger, HTTPTypes for header names)
        .target(name: "KaoheServe", dependencies: ["Kaohe", .product(name: "Hummingbird", package: "hummingbird"),
                                                   .product(name: "NIOCore", package: "swift-nio"),
                                                   .product(name: "Logging", package: "swift-log"),
                                                   .product(name: "HTTPTypes", package: "swift-http-types")]),
        .testTarget(name: "KaoheServeTests", dependencies: ["KaoheServe", "Kaohe", "KaoheTestSupport",
                                                           .product(name: "Hummingbird", package: "hummingbird"),
                                                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                           .product(name: "HTTPTypes", package: "swift-http-types")]),
    ]
}

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    // an import is internal unless it says `public import`, and a member is visible only where its module
    // is imported: the compiler keeps each target's boundary (Kaohe's API shows no LuaRuntime type)
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
