import ArgumentParser
import Dispatch
import Foundation
import Kaohe
import LuaRuntime
import Synchronization

/// `--policy FILE`
struct PolicyOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The policy file (Lua), e.g. policies/ganzhou/2023.lua.", valueName: "file"))
    var policy: String
}

extension PolicyOption {
    /// What `--output` must not replace.
    var inputs: [OutputGuard.Input] { [.init(path: policy, what: "the policy")] }
}
