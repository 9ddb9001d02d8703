import Foundation
import Testing
@testable import Kaohe
import LuaRuntime
import KaoheTestSupport

/// Shared helpers for the domain tests (the repository's paths and temporary folders are KaoheTestSupport's).
enum Support {
    /// Writes `files` (name → contents) into a fresh folder and returns it.
    static func folder(_ files: [String: String]) -> String {
        let dir = TemporaryDirectory.make()
        for (name, text) in files {
            try! Data(text.utf8).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(name)))
        }
        return dir
    }

    /// Writes raw bytes files.
    static func folder(bytes files: [String: [UInt8]]) -> String {
        let dir = TemporaryDirectory.make()
        for (name, data) in files {
            try! Data(data).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(name)))
        }
        return dir
    }

    /// Writes a policy source to a temporary file and loads it.
    static func policy(_ source: String, name: String = "policy.lua", limits: SandboxLimits = SandboxLimits()) throws -> Policy {
        let dir = TemporaryDirectory.make()
        let file = (dir as NSString).appendingPathComponent(name)
        try Data(source.utf8).write(to: URL(fileURLWithPath: file))
        return try PolicyLoader.load(path: file, limits: limits)
    }

    static var ganzhou2023: Policy { get throws { try PolicyLoader.load(path: Repository.path("policies/ganzhou/2023.lua")) } }

    /// Scores a data folder (or JSON file) under a policy.
    static func score(_ policy: Policy, _ data: String, jobs: Int? = nil, limits: SandboxLimits = SandboxLimits()) throws -> Scoresheet {
        let dataset = try DatasetLoader.load(policy: policy, path: data)
        return try Scorer.score(policy: policy, data: dataset, options: Scorer.Options(jobs: jobs, limits: limits))
    }

    /// The Ganzhou 2023 tables with headers only, for tests that fill in a few rows.
    static let ganzhouHeaders: [String: String] = [
        "units.csv": "unit_id,name,kind,position_built,signage,smart_study_entry_ok,party_recommend_entry_ok,grading_ok\n",
        "study.csv": "unit_id,period,rate\n",
        "youth_home.csv": "unit_id,month,entered_day,registered,signed_in\n",
        "articles.csv": "unit_id,month,adopted,site_level,solicited\n",
        "volunteer.csv": "unit_id,level,volunteers,duration_bonus,news_link\n",
        "events.csv": "unit_id,kind,level\n",
    ]

    /// A Ganzhou data folder: headers for every table plus the given rows (file name → rows without header).
    static func ganzhouData(_ rows: [String: String]) -> String {
        var files = ganzhouHeaders
        for (name, body) in rows { files[name, default: ""] += body }
        return folder(files)
    }

    /// The points of one rule for one unit.
    static func points(_ sheet: Scoresheet, unit: String, rule: String) -> Points? {
        guard let u = sheet.data.index(ofUnit: unit) else { return nil }
        return sheet.items(of: u).first { $0.rule == rule }?.points
    }
}
