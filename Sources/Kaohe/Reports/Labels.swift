import Foundation

/// Words used in reports, in the policy's language (Chinese or English).
public struct Labels: Sendable {
    public var rank, unit, name, total, bands, base, adjustments, points, citation, rule, note, caps, params, data: String
    public var units, of, line, none, capApplied, raw, min, max: String
    public var change, subject, field, old, new, added, removed, changed: String
    public var delta, byRule, entered, left, movers, compared: String
    public var selfScore, verified, difference, completed, reason, problems: String

    public static let zh = Labels(
        rank: "排名", unit: "编号", name: "单位", total: "总分", bands: "等次", base: "基础分", adjustments: "加减分",
        points: "得分", citation: "条款", rule: "项目", note: "说明", caps: "上限/下限", params: "参数", data: "数据",
        units: "个单位", of: "/", line: "第%d行", none: "无", capApplied: "已按%@封顶", raw: "原始得分",
        min: "下限", max: "上限",
        change: "变更", subject: "对象", field: "项", old: "原值", new: "新值", added: "新增", removed: "删除", changed: "修改",
        delta: "变化", byRule: "按条款", entered: "进入", left: "退出", movers: "变化最大", compared: "比较",
        selfScore: "自查得分", verified: "核定得分", difference: "差", completed: "完成情况", reason: "未完成情况说明",
        problems: "问题")

    public static let en = Labels(
        rank: "Rank", unit: "Unit", name: "Name", total: "Total", bands: "Bands", base: "base", adjustments: "adjustments",
        points: "Points", citation: "Article", rule: "Rule", note: "Note", caps: "Caps", params: "params", data: "data",
        units: "units", of: "of", line: "line %d", none: "none", capApplied: "capped at %@", raw: "raw",
        min: "Min", max: "Max",
        change: "Change", subject: "Subject", field: "Field", old: "Old", new: "New", added: "added", removed: "removed",
        changed: "changed", delta: "Change", byRule: "By rule", entered: "entered", left: "left", movers: "Largest changes",
        compared: "Compared", selfScore: "Self", verified: "Verified", difference: "Diff", completed: "Completion",
        reason: "Explanation", problems: "Problems")

    public var isEnglish: Bool { rank == "Rank" }
    var listSeparator: String { isEnglish ? ", " : "、" }

    public static func forLanguage(_ language: String) -> Labels { language == "en" ? .en : .zh }

    func kind(_ k: PolicyDiff.Kind) -> String {
        switch k {
        case .added: return added
        case .removed: return removed
        case .changed: return changed
        }
    }

    func line(_ n: Int) -> String { line.replacingOccurrences(of: "%d", with: String(n)) }
    func capped(_ cap: String) -> String { capApplied.replacingOccurrences(of: "%@", with: cap) }
}
