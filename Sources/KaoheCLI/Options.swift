import ArgumentParser
import Dispatch
import Foundation
import Kaohe
import LuaRuntime
import Synchronization

extension PolicyOption {
    /// What `--output` must not replace.
    var inputs: [OutputGuard.Input] { [.init(path: policy, what: "the policy")] }
}

/// `--encoding NAME`.
func encodingOption(_ name: String) throws -> TextEncoding {
    guard let e = TextEncoding(name: name) else {
        throw ValidationError("unknown encoding '\(name)'; use auto, utf-8 or gb18030")
    }
    return e
}

extension LimitOptions {
    /// The library's options for a run with these limits; phases are timed with KAOHE_TIMING=1.
    func assessment(jobs: Int? = nil, notes: Bool = true, encoding: TextEncoding = .auto) throws -> Assessment.Options {
        let clock = PhaseClock()
        let phaseEnded: (@Sendable (String) -> Void)? = clock.enabled ? { @Sendable name in clock.lap(name) } : nil
        return Assessment.Options(jobs: jobs, limits: try limits(), notes: notes, encoding: encoding, phaseEnded: phaseEnded)
    }
}

/// Prints what the run noted (band ties, history bands it could not settle) to standard error.
func printNotices(_ sheet: Scoresheet) {
    for notice in sheet.notices { Console.current.error(notice.compilerStyle) }
}
