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
        let text = try PolicyDerivation.derive(from: parent, year: year, parentPath: from, target: target)
        // the new file must load, with the new id, year and parent
        let sandbox = try LuaRuntime.LuaSandbox(limits: try limits.limits())
        let derived = try PolicyLoader.load(bytes: Array(text.utf8), path: target, in: sandbox)
        guard derived.year == year, derived.parent?.id == parent.id else {
            throw CLIError("internal error: the derived policy did not load with year \(year) and parent \(parent.id)")
        }
        // create exclusively, so a file that appeared meanwhile is not overwritten
        guard FileManager.default.createFile(atPath: target, contents: nil),
              let handle = FileHandle(forWritingAtPath: target) else {
            throw CLIError("\(target): cannot create the file")
        }
        handle.write(Data(text.utf8))
        try handle.close()
        Console.current.write("wrote \(target) (\(derived.id), \(derived.rules.count) rules, parent \(parent.id)); review the checklist at its top\n")
    }
}
