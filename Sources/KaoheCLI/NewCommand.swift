import ArgumentParser
import Foundation
import Kaohe
import LuaRuntime

/// `kaohe new --from FILE --year YEAR`: start next year's policy from this year's.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write next year's policy from an existing one (same rules and params, id and year moved on).")

    @Option(name: .long, help: ArgumentHelp("The policy to start from.", valueName: "file"))
    var from: String

    @Option(name: .long, help: "The new policy's year.")
    var year: Int

    @Option(name: .long, help: ArgumentHelp("Where to write it (default: <year>.lua beside the old one).", valueName: "file"))
    var output: String?

    @OptionGroup var limits: LimitOptions

    func run() throws {
        let parent = try PolicyLoader.load(path: from, limits: try limits.limits())
        let target = output ?? ((from as NSString).deletingLastPathComponent as NSString).appendingPathComponent("\(year).lua")
        if FileManager.default.fileExists(atPath: target) {
            throw CLIError("\(target) already exists; kaohe new never overwrites a policy (choose another --output or remove the file)")
        }
        // the new file must load, with the new id, year and parent
        let (text, derived) = try PolicyDerivation.derived(from: parent, year: year, parentPath: from, target: target, limits: try limits.limits())
        try Self.createExclusively(target, Data(text.utf8))
        Console.current.write("wrote \(target) (\(derived.id), \(derived.rules.count) rules, parent \(parent.id)); review the checklist at its top\n")
        // the parent's tests come along (PolicyDerivation.tests says why)
        guard let parentTests = PolicyTestRun.testPath(forPolicy: from), let tests = PolicyTestRun.testPath(forPolicy: target),
              let body = FileManager.default.contents(atPath: parentTests) else { return }
        if FileManager.default.fileExists(atPath: tests) {
            Console.current.write("kept \(tests), which already exists (the tests of \(parentTests) were not copied)\n")
            return
        }
        try Self.createExclusively(tests, Data(PolicyDerivation.tests([UInt8](body), parent: parent, parentTests: parentTests, target: target)))
        Console.current.write("wrote \(tests) (the tests of \(parentTests); run `kaohe test \(target)`)\n")
    }

    /// Creates `path` only if it does not exist, so a file that appeared meanwhile is never overwritten.
    static func createExclusively(_ path: String, _ data: Data) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { throw CLIError("\(path) already exists; kaohe new never overwrites a file") }
            throw CLIError("\(path): cannot create the file: \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        try handle.close()
    }
}
