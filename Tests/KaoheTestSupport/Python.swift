import Foundation
public import Testing

/// Runs Python scripts that use openpyxl (a real xlsx library: it fills kaohe's forms and opens its workbooks).
/// Nothing is installed at test time: `.ci/run` installs openpyxl, and a test that needs it fails when it is
/// missing, with the command that installs it.
public enum Python {
    /// `python3 arguments…` through /usr/bin/env.
    public static func run(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run("/usr/bin/env", ["python3"] + arguments)
    }

    /// nil when python3 imports openpyxl, else what is missing and the command that installs it.
    public static let openpyxlProblem: String? = {
        guard let probe = try? run(["-c", "import openpyxl"]), probe.status != 127 else {
            return "python3 is missing: install Python 3 (Debian: `apt-get install python3 python3-pip`), then run "
                + "`python3 -m pip install openpyxl` (or `bash .ci/run`, which installs everything the tests use)"
        }
        if probe.status == 0 { return nil }
        return "openpyxl is missing: run `python3 -m pip install openpyxl` (or `bash .ci/run`, which installs everything "
            + "the tests use); python3 said: \(probe.errText.split(separator: "\n").last ?? "")"
    }()

    /// Runs `script` with `arguments` and returns its standard output. Missing openpyxl is a recorded failure
    /// (nil is returned); a failing script is a thrown ToolError with its standard error.
    public static func openpyxl(_ script: String, _ arguments: [String] = [],
                                sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        if let problem = openpyxlProblem {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
            return nil
        }
        let r = try run(["-c", script] + arguments)
        guard r.status == 0 else { throw ToolError("python3 failed (\(r.status)): \(r.errText)") }
        return r.outText
    }
}
