import ArgumentParser
import Foundation
import Kaohe

/// `kaohe form`: blank self-check forms (自查评分表) as .xlsx, one per unit.
struct FormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form",
        abstract: "Write blank self-check forms (.xlsx) for a self-check policy, one per unit.",
        discussion: "With --data, units and their own targets come from the data; otherwise give --unit. Filled forms in a --data folder are read back as the policy's self-check table.")

    @OptionGroup var policy: PolicyOption

    @Option(name: .long, help: ArgumentHelp("Only this unit (its id).", valueName: "id"))
    var unit: String?

    @Option(name: .long, help: ArgumentHelp("Data with the units (and their targets).", valueName: "path"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("A folder (one form per unit) or FILE.xlsx (one unit).", valueName: "path"))
    var output: String

    @Flag(name: .long, help: "Replace forms that already exist (they may have been filled in).")
    var force = false

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if unit == nil && data == nil { throw ValidationError("give --unit ID, or --data with the units") }
    }

    func run() throws {
        let inputs = policy.inputs + [OutputGuard.Input(path: data, what: "the data")]
        try OutputGuard.check(output, inputs, folder: !output.lowercased().hasSuffix(".xlsx"))
        let loaded = try Assessment.policy(policy.policy, limits: try limits.limits())
        guard loaded.selfcheck != nil else {
            throw CLIError("\(policy.policy): the policy has no self-check table (policy field `selfcheck`), so it has no form")
        }
        let dataset = try data.map { try Assessment.data($0, policy: loaded) }
        var units: [(id: String, name: String)]
        if let dataset {
            units = zip(dataset.unitIDs, dataset.names).map { ($0, $1) }
            if let unit {
                let u = try Assessment.unit(unit, in: dataset)
                units = [(dataset.unitIDs[u], dataset.names[u])]
            }
        } else {
            units = [(unit!, unit!)]   // validate() requires --unit when there is no --data
        }
        if output.lowercased().hasSuffix(".xlsx") {
            guard units.count == 1 else { throw UsageError("\(units.count) units: give --unit, or a folder as --output") }
            try refuseExisting([output])
            let form = SelfCheckForms.form(policy: loaded, unitID: units[0].id, unitName: units[0].name, data: dataset)
            try emit(data: try form.workbook().data(), to: output)
            Console.current.write("wrote \(output)\n")
            return
        }
        let files = Self.fileNames(units).map { (output as NSString).appendingPathComponent($0) }
        for file in files { try OutputGuard.check(file, inputs) }
        try refuseExisting(files)
        // every form lands directly in the folder, also through a link planted under a form's name
        let folder = OutputGuard.resolved(output)
        for file in files where (OutputGuard.resolved(file) as NSString).deletingLastPathComponent != folder {
            throw CLIError("\(file) leads out of \(output) (to \(OutputGuard.resolved(file))); nothing was written. Remove it, or choose another --output")
        }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw CLIError("\(output): cannot create the folder for the forms: \(fileErrorReason(error))")
        }
        for (u, file) in zip(units, files) {
            let form = SelfCheckForms.form(policy: loaded, unitID: u.id, unitName: u.name, data: dataset)
            try emit(data: try form.workbook().data(), to: file)
        }
        Console.current.write("wrote \(units.count) form\(units.count == 1 ? "" : "s") to \(output)\n")
    }

    /// "<id>-<name>.xlsx" for each unit, made safe with `FileName.safe` (ids and names are data: `../x` must not
    /// leave the folder); names that come out the same (also in another case, for case-insensitive file systems)
    /// get "-2", "-3", … so that no form replaces another.
    static func fileNames(_ units: [(id: String, name: String)]) -> [String] {
        var seen = Set<String>()
        return units.map { u in
            let stem = "\(u.id)-\(u.name)"
            var name = FileName.safe(stem, extension: "xlsx"), n = 1
            while !seen.insert(name.lowercased()).inserted {
                n += 1
                name = FileName.safe(stem, extension: "xlsx").dropLast(5) + "-\(n).xlsx"
            }
            return name
        }
    }

    /// A form already there may have come back filled in: replacing it takes --force. Checked for every
    /// form before any is written.
    private func refuseExisting(_ files: [String]) throws {
        guard !force else { return }
        let existing = files.filter { FileManager.default.fileExists(atPath: $0) }
        guard let first = existing.first else { return }
        let more = existing.count > 1 ? " and \(existing.count - 1) more" : ""
        throw CLIError("\(first)\(more) already exist\(existing.count > 1 ? "" : "s") and may have been filled in; nothing was written. Move \(existing.count > 1 ? "them" : "it") away, choose another --output, or give --force to replace \(existing.count > 1 ? "them" : "it")")
    }
}
