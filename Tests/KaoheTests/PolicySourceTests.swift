import Foundation
@testable import Kaohe
import KaoheTestSupport
import Testing

/// The what-if rewriter: literals found in the policy's text and replaced, every other byte kept.
@Suite struct PolicySourceTests {
    static let shipped: [String] = {
        let dir = Repository.path("policies")
        let files = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".lua") && !$0.hasSuffix("_test.lua") }.sorted().map { "policies/" + $0 }
    }()

    static func source(_ text: String, path: String = "p.lua") throws -> PolicySource {
        try PolicySource(bytes: Array(text.utf8), path: path)
    }

    static func edit(_ rule: String, _ path: String, _ value: JSONValue) -> PolicyEdit {
        PolicyEdit(.rule(rule), ParamPath(path)!, value)
    }

    /// A value of the same type as `v`, but different.
    static func other(_ v: JSONValue) -> JSONValue? {
        switch v {
        case .number(let n): return .number(n == n.rounded() ? n + 1 : n + 0.125)
        case .string(let s): return .string(s + "·改")
        case .bool(let b): return .bool(!b)
        default: return nil
        }
    }

    /// Every param leaf of every rule, and the policy's own params, of every shipped policy: a literal keeps its
    /// bytes when set to its own value, and a changed value makes `PolicyDiff` report exactly that change.
    @Test(arguments: shipped)
    func everyLiteralOfAShippedPolicy(_ file: String) throws {
        let original = try PolicyLoader.load(path: Repository.path(file))
        let source = try PolicySource(bytes: original.sourceBytes, path: original.path)
        var edited = 0
        var refusals: Set<PolicyEditError.Reason> = []
        var targets: [(PolicyEdit.Target, JSONValue, String)] = original.rules.map { (.rule($0.id), $0.params, "rule") }
        targets.append((.policy, original.params, "params"))
        for (target, params, area) in targets {
            for (path, _) in PolicyDiff.flatten(params, "") {
                let p = try #require(ParamPath(path), "\(path)")
                let current = try #require(p.value(in: params))
                let located: PolicySource.Located
                do {
                    located = try source.locate(PolicyEdit(target, p, current))
                } catch {
                    refusals.insert(error.reason)
                    continue
                }
                #expect(located.value == current, "\(file) \(target) \(path)")
                #expect(try source.applying([PolicyEdit(target, p, current)]) == original.sourceBytes)
                guard let new = PolicySourceTests.other(current) else { continue }
                let result = try PolicySource.edited(original, [PolicyEdit(target, p, new)])
                let diff = PolicyDiff(old: original, new: result.policy)
                let subject: String
                if case .rule(let id) = target { subject = id } else { subject = "" }
                #expect(diff.changes.map { "\($0.area) \($0.subject) \($0.field)" } == ["\(area) \(subject) params.\(path)"], "\(file) \(path)")
                #expect(diff.changes.first?.new == new.text(bare: false))
                // only the literal's bytes differ
                let a = original.sourceBytes, b = result.bytes
                let prefix = zip(a, b).prefix { $0 == $1 }.count
                let suffix = zip(a.reversed(), b.reversed()).prefix { $0 == $1 }.count
                #expect(prefix >= located.range.lowerBound && suffix >= a.count - located.range.upperBound)
                edited += 1
            }
        }
        if file.hasPrefix("policies/guangyuan/") {
            // its rules are built by a function (`indicator{…}`): nothing is written in place, every edit refused
            #expect(edited == 0 && refusals == [.notLiteral])
        } else {
            #expect(edited >= 5, "\(file): only \(edited) literals edited")
        }
    }

    @Test func theStudyThresholdOfGanzhou2023() throws {
        let original = try PolicyLoader.load(path: Repository.path("policies/ganzhou/2023.lua"))
        let result = try PolicySource.edited(original, [PolicySourceTests.edit("study", "tiers[2].below", .number(110))])
        let text = String(decoding: result.bytes, as: UTF8.self)
        #expect(text.contains("{ below = 110, points = 0, label = \"参学率100%—120%\" }"))
        #expect(text == String(decoding: original.sourceBytes, as: UTF8.self)
            .replacingOccurrences(of: "{ below = 120, points = 0", with: "{ below = 110, points = 0"))
    }

    static let tricky = """
    -- a comment with { braces } and "quotes" and 'more' }
    --[==[ a long comment
      rules = { { id = "study", params = { x = 1 } } }
    ]==]
    local LEVEL = { a = "甲" }
    local function f() return { nope = 1 } end
    return {
      id = "t", title = [[长标题 with } and "]], -- trailing { comment
      params = { rate = 0x10, big = 1e3, half = .5, neg = - 2, s = 'it\\'s', flag = true; },
      rules = {
        { id = "other", params = { v = 9 } };
        {
          id = "study", title = "学习",
          params = {
            tiers = { { below = 100, points = -2 }, { below = 120, points = 0, }, { points = 2 }, },
            ["quoted key"] = 3, ["plain"] = 4, [2] = "two",
            level = LEVEL.a, expr = 2 * 3, call = f(), fn = function() return { 1, 2 } end, after = 7,
            name = "单位“甲”", long = [=[多行
    文本]=],
          },
        },
      },
    }
    """

    @Test(arguments: [
        ("policy", "rate", "0x10", JSONValue.number(16)),
        ("policy", "big", "1e3", .number(1000)),
        ("policy", "half", ".5", .number(0.5)),
        ("policy", "neg", "- 2", .number(-2)),
        ("policy", "s", "'it\\'s'", .string("it's")),
        ("policy", "flag", "true", .bool(true)),
        ("study", "tiers[1].points", "-2", .number(-2)),
        ("study", "tiers[2].below", "120", .number(120)),
        ("study", "tiers[3].points", "2", .number(2)),
        ("study", "plain", "4", .number(4)),
        ("study", "after", "7", .number(7)),
        ("study", "name", "\"单位“甲”\"", .string("单位“甲”")),
        ("study", "long", "[=[多行\n文本]=]", .string("多行\n文本")),
        ("other", "v", "9", .number(9)),
    ])
    func locatesLiterals(_ rule: String, _ path: String, _ text: String, _ value: JSONValue) throws {
        let source = try PolicySourceTests.source(PolicySourceTests.tricky)
        let target: PolicyEdit.Target = rule == "policy" ? .policy : .rule(rule)
        let at = try source.locate(PolicyEdit(target, ParamPath(path)!, value))
        #expect(String(decoding: source.bytes[at.range], as: UTF8.self) == text)
        #expect(at.value == value)
        #expect(try source.applying([PolicyEdit(target, ParamPath(path)!, value)]) == source.bytes)
    }

    @Test(arguments: [
        (JSONValue.number(110), "110"), (.number(110.5), "110.5"), (.number(0.25), "0.25"), (.number(-3), "-3"),
        (.number(1e-5), "1e-05"), (.string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\""), (.string("青年"), "\"青年\""),
    ])
    func writesNewValues(_ value: JSONValue, _ text: String) throws {
        let path = value.isString ? "name" : "after"
        let source = try PolicySourceTests.source(PolicySourceTests.tricky)
        let out = try source.applying([PolicySourceTests.edit("study", path, value)])
        let old = path == "name" ? "name = \"单位“甲”\"" : "after = 7"
        let new = (path == "name" ? "name = " : "after = ") + text
        #expect(String(decoding: out, as: UTF8.self) == PolicySourceTests.tricky.replacingOccurrences(of: old, with: new))
    }

    @Test func floatLiteralsStayFloats() throws {
        let source = try PolicySourceTests.source("return { params = { f = 0.5, i = 3 } }")
        let out = try source.applying([PolicyEdit(.policy, ParamPath("f")!, .number(2)), PolicyEdit(.policy, ParamPath("i")!, .number(2.5))])
        #expect(String(decoding: out, as: UTF8.self) == "return { params = { f = 2.0, i = 2.5 } }")
    }

    @Test func crlfAndTrailingSemicolonAreKept() throws {
        let text = "-- x\r\nreturn {\r\n  params = { a = 1; b = \"q\"; };\r\n};\r\n"
        let source = try PolicySourceTests.source(text)
        let out = try source.applying([PolicyEdit(.policy, ParamPath("b")!, .string("r"))])
        #expect(String(decoding: out, as: UTF8.self) == text.replacingOccurrences(of: "\"q\"", with: "\"r\""))
        #expect(try source.locate(PolicyEdit(.policy, ParamPath("b")!, .string("r"))).line == 3)
    }

    @Test func aCRLFPolicyLoadsEditedWithOneChange() throws {
        let path = Repository.path("policies/ganzhou/2023.lua")
        let crlf = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\n", with: "\r\n")
        let original = try PolicyLoader.load(bytes: Array(crlf.utf8), path: "policies/ganzhou/2023.lua")
        let result = try PolicySource.edited(original, [PolicySourceTests.edit("study", "tiers[2].below", .number(110))])
        #expect(String(decoding: result.bytes, as: UTF8.self) == crlf.replacingOccurrences(of: "below = 120", with: "below = 110"))
        #expect(PolicyDiff(old: original, new: result.policy).changes.map(\.field) == ["params.tiers[2].below"])
    }

    struct Refusal: Sendable, CustomStringConvertible {
        var edit: PolicyEdit
        var reason: PolicyEditError.Reason
        var line: Int?
        var description: String { "\(edit) → \(reason.rawValue)" }
    }

    static let refusals: [Refusal] = [
        Refusal(edit: edit("nope", "x", .number(1)), reason: .unknownRule, line: 10),
        Refusal(edit: edit("study", "missing", .number(1)), reason: .unknownParam, line: 14),
        Refusal(edit: edit("study", "tiers[4].below", .number(1)), reason: .unknownParam, line: 15),
        Refusal(edit: edit("study", "tiers[3].below", .number(1)), reason: .unknownParam, line: 15),
        Refusal(edit: edit("study", "level", .string("x")), reason: .notLiteral, line: 17),
        Refusal(edit: edit("study", "expr", .number(1)), reason: .notLiteral, line: 17),
        Refusal(edit: edit("study", "call", .number(1)), reason: .notLiteral, line: 17),
        Refusal(edit: edit("study", "fn", .number(1)), reason: .notLiteral, line: 17),
        Refusal(edit: edit("study", "tiers", .number(1)), reason: .notLiteral, line: 15),
        Refusal(edit: edit("study", "after.x", .number(1)), reason: .notLiteral, line: 17),
        Refusal(edit: edit("study", "after", .string("7")), reason: .wrongType, line: 17),
        Refusal(edit: edit("study", "name", .number(7)), reason: .wrongType, line: 18),
        Refusal(edit: edit("study", "after", .bool(true)), reason: .wrongType, line: 17),
        Refusal(edit: edit("study", "after", .null), reason: .unsupportedValue, line: 17),
        Refusal(edit: edit("study", "after", .array([])), reason: .unsupportedValue, line: 17),
        Refusal(edit: PolicyEdit(.band("top"), ParamPath("fraction")!, .number(1)), reason: .unknownBand, line: 7),
        Refusal(edit: PolicyEdit(.policy, ParamPath("nothing")!, .number(1)), reason: .unknownParam, line: 9),
    ]

    @Test(arguments: refusals)
    func refuses(_ r: Refusal) throws {
        let source = try PolicySourceTests.source(PolicySourceTests.tricky)
        let error = #expect(throws: PolicyEditError.self) { try source.applying([r.edit]) }
        #expect(error?.reason == r.reason, "\(error?.description ?? "")")
        #expect(error?.diagnostics.first?.line == r.line, "\(error?.description ?? "")")
        #expect(error?.diagnostics.first?.file == "p.lua")
        #expect(error?.edit == r.edit)
    }

    @Test func refusesTheSameValueTwice() throws {
        let source = try PolicySourceTests.source(PolicySourceTests.tricky)
        let e = PolicySourceTests.edit("study", "after", .number(8))
        #expect(throws: PolicyEditError.self) { try source.applying([e, e]) }
    }

    @Test(arguments: ["local t = { params = { a = 1 } }\nreturn t", "return { a = 1 } .. x", "return { a = 'unfinished }", "x = 1"])
    func refusesWhatItCannotRead(_ text: String) {
        let error = #expect(throws: PolicyEditError.self) { _ = try PolicySourceTests.source(text) }
        #expect(error?.reason == .unparsable)
    }

    @Test func bandFields() throws {
        let original = try PolicyLoader.load(path: Repository.path("policies/ganzhou/2023.lua"))
        let edited = try PolicySource.edited(original, [PolicyEdit(.band("top20"), ParamPath("fraction")!, .number(0.25))])
        #expect(PolicyDiff(old: original, new: edited.policy).changes.map { "\($0.subject) \($0.field) \($0.new ?? "")" } == ["top20 fraction 0.25"])
        let label = #expect(throws: PolicyEditError.self) {
            try PolicySource.edited(original, [PolicyEdit(.band("top20"), ParamPath("label")!, .string("x"))])
        }
        #expect(label?.reason == .bandField)
        let count = #expect(throws: PolicyEditError.self) {
            try PolicySource.edited(original, [PolicyEdit(.band("top20"), ParamPath("count")!, .number(3))])
        }
        #expect(count?.reason == .unknownParam)
    }

    /// A param written on its score function's line: editing it changes the function's text too, which
    /// `kaohe diff` reports, so the edit is refused rather than previewed as a params change only.
    @Test func anEditThatChangesMoreThanTheValueIsRefused() throws {
        let text = """
        return {
          id = "one-line", title = "t", year = 2026, language = "zh", base = 0,
          inputs = { units = { "unit_id: text", "name: text" } },
          rules = {
            { id = "r", citation = "c", title = "t", params = { n = 1 }, score = function(u, p) return p.n end },
          },
        }
        """
        let original = try PolicyLoader.load(bytes: Array(text.utf8), path: "one-line.lua")
        let error = #expect(throws: PolicyEditError.self) {
            try PolicySource.edited(original, [PolicySourceTests.edit("r", "n", .number(2))])
        }
        #expect(error?.reason == .unexpectedChange, "\(error?.description ?? "")")
        #expect(error?.diagnostics.first?.message.contains("score") == true, "\(error?.description ?? "")")
    }

    @Test func anExplicitIndexKeyIsAPosition() throws {
        let source = try PolicySourceTests.source(PolicySourceTests.tricky)
        let at = try source.locate(PolicySourceTests.edit("study", "[2]", .string("two")))
        #expect(String(decoding: source.bytes[at.range], as: UTF8.self) == "\"two\"")
    }

    /// The loader's own validation refuses a bad value, and `check`'s band overlap is refused too.
    @Test func invalidValuesAreRefusedWithTheLoadersMessage() throws {
        let original = try PolicyLoader.load(path: Repository.path("policies/ganzhou/2023.lua"))
        let negative = PolicyEdit(.band("top20"), ParamPath("fraction")!, .number(-0.2))
        let e1 = #expect(throws: PolicyEditError.self) { try PolicySource.edited(original, [negative]) }
        #expect(e1?.reason == .invalid)
        #expect(e1?.edit == negative)
        #expect(e1?.diagnostics.first?.file == original.path)
        let overlap = PolicyEdit(.band("top20"), ParamPath("fraction")!, .number(0.9))
        let e2 = #expect(throws: PolicyEditError.self) { try PolicySource.edited(original, [overlap]) }
        #expect(e2?.reason == .invalid)
        #expect(e2?.diagnostics.map(\.code) == ["check.bands-overlap"])
        // with two edits, the one that fails alone is named
        let fine = PolicySourceTests.edit("study", "tiers[2].below", .number(110))
        let e3 = #expect(throws: PolicyEditError.self) { try PolicySource.edited(original, [fine, negative]) }
        #expect(e3?.edit == negative)
    }
}

extension JSONValue {
    var isString: Bool { if case .string = self { true } else { false } }
}
