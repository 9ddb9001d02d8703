import Foundation
import Testing
import KaoheTestSupport

/// Same policy, same data ⇒ the same bytes, whatever --jobs is and from one run of the built `kaohe` to the next
/// (separate processes, so heap addresses, hash seeds and thread timing all differ between them). Every shipped
/// policy on every data set shipped beside it, in every format a bulletin is made from; and an order-sensitive
/// policy, which is refused at load with the same message every time.
@Suite(.serialized) struct DeterminismTests {
    static let sets: [(policy: String, data: String)] = [
        ("policies/ganzhou/2023.lua", "policies/ganzhou/sample-2023"),
        ("policies/ganzhou/2024.lua", "policies/ganzhou/sample-2024"),
        ("policies/guangyuan/2014.lua", "policies/guangyuan/sample-2014"),
        ("policies/guangyuan/2014.lua", "policies/guangyuan/sample-2014-forms"),
    ]

    /// Runs the built CLI with no standard input; returns its status, standard output and standard error.
    static func kaohe(_ arguments: [String]) throws -> (status: Int32, out: Data, err: Data) {
        let r = try Subprocess.run(try ExitCodeTests.executable(), arguments, directory: Repository.root)
        return (r.status, r.out, r.err)
    }

    @Test(arguments: sets.indices)
    func shippedPoliciesGiveTheSameBytesForEveryJobCountAndRun(set: Int) throws {
        let (policy, data) = Self.sets[set]
        for format in ["json", "csv", "html", "markdown"] {
            var outputs: [Data] = []
            for jobs in ["1", "2", "1", "2", "3", "1"] {
                let run = try Self.kaohe(["score", "--policy", policy, "--data", data, "--format", format, "--jobs", jobs])
                #expect(run.status == 0, "\(policy) on \(data): \(String(decoding: run.err, as: UTF8.self))")
                outputs.append(run.out)
            }
            #expect(outputs[0].count > 150, "\(policy) on \(data) --format \(format) printed too little")
            for (i, output) in outputs.enumerated().dropFirst() {
                #expect(output == outputs[0], "\(policy) on \(data) --format \(format): run \(i + 1) differs from run 1")
            }
        }
    }

    /// A policy whose points depend on the order units are scored in (a file-level counter) gave different points
    /// for --jobs 1 and --jobs 2; it is refused, with the same message and status on every run.
    @Test func anOrderSensitivePolicyIsRefusedTheSameWayEveryRun() throws {
        let dir = TemporaryDirectory.make("kaohe-order")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try String(contentsOfFile: Repository.root + "/policies/ganzhou/2023.lua", encoding: .utf8)
        let counter = source.replacingOccurrences(of: "return {", with: "local seen = 0\nlocal function next_seen() seen = seen + 1 return seen end\nreturn {\n  -- order-sensitive\n", range: source.range(of: "return {"))
        let rule = counter.replacingOccurrences(of: "rules = {", with: "rules = {\n    { id = \"order\", title = \"Order\", score = function(u) return next_seen() % 3 end },", range: counter.range(of: "rules = {"))
        #expect(rule != source)
        try Data(rule.utf8).write(to: URL(fileURLWithPath: dir + "/order.lua"))
        var errors: [Data] = []
        for jobs in ["1", "2", "1"] {
            let run = try Self.kaohe(["score", "--policy", dir + "/order.lua", "--data", "policies/ganzhou/sample-2023", "--jobs", jobs])
            #expect(run.status == 1)
            #expect(run.out.isEmpty)
            errors.append(run.err)
        }
        let message = String(decoding: errors[0], as: UTF8.self)
        #expect(message.contains("order.lua:12: error: rule 'order' writes to 'seen'"), "\(message)")
        #expect(errors.allSatisfy { $0 == errors[0] })
    }
}
