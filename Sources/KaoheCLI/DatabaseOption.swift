import ArgumentParser
import Foundation
import Kaohe

/// `--db PATH`: the history database (default .kaohe/history.sqlite under the working directory).
struct DatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The history database.", valueName: "path"))
    var path: String = RunStore.defaultPath
}
