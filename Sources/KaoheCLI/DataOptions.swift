import ArgumentParser
import Dispatch
import Foundation
import Kaohe
import LuaRuntime
import Synchronization

/// `--data PATH [--encoding E]`
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A folder with one <table>.csv (or <table>.xlsx) per declared table and any filled self-check forms, an .xlsx workbook with one sheet per table, or a .json file.", valueName: "path"))
    var data: String

    @Option(name: .long, help: ArgumentHelp("CSV encoding: auto, utf-8 or gb18030 (GBK files from Excel/WPS).", valueName: "name"))
    var encoding: String = "auto"

    /// What `--output` must not replace.
    var inputs: [OutputGuard.Input] { [.init(path: data, what: "the data")] }

    func validate() throws { _ = try textEncoding() }

    func textEncoding() throws -> TextEncoding { try encodingOption(encoding) }
}

/// `--encoding NAME`.
func encodingOption(_ name: String) throws -> TextEncoding {
    guard let e = TextEncoding(name: name) else {
        throw ValidationError("unknown encoding '\(name)'; use auto, utf-8 or gb18030")
    }
    return e
}
