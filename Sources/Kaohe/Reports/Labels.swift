import Foundation
/// Words used in reports, in the policy's language (Chinese or English). Every language-dependent word,
/// phrase and separator of the text reports is a field here; report code only fills them in.
public struct Labels: Sendable {
    public var language: Language
    public var rank, unit, name, total, bands, base, adjustments, points, citation, rule, note, caps, params, data: String
    public var units, of, line, none, capApplied, raw, min, max: String
    public var change, subject, field, old, new, added, removed, changed: String
    public var delta, byRule, entered, left, movers, compared: String
    public var selfScore, verified, difference, completed, reason, problems: String
    /// The policy's own params, which every rule reads (`score(u, p, shared)`).
    public var sharedParams: String
    /// Explain: a unit with the same total ({unit}), ordered by a tie-break key ({key}, {mine}, {theirs}).
    public var tieAhead, tieBehind, tieShared: String
    /// `kaohe rules`: the tie-break keys, in turn.
    public var tieBreak: String
    /// Groups and vetoes: a unit's group, the vetoes column, what a veto costs (取消评优资格), a band's places
    /// (名额) and score line, and a quota band that ties made hold more units ({band}, {places}, {held}).
    public var group, vetoes, vetoed, places, scoreLine, tiedOverPlaces: String
    /// `kaohe rules`: after the number of places a total is stated to.
    public var decimals: String
    /// The spreadsheet's remarks column (未提交自查表) and its two sheets.
    public var remarks, rankingSheet, itemsSheet: String
    /// A band's meaning after its count, `%@` the meaning; empty: the meaning is not shown (English).
    public var bandMeaning: String
    /// The self-check row of a unit that submitted nothing, in the rule column.
    public var everyRule: String
    /// After the count of self-check rows flagged.
    public var rowsToReview: String
    /// Between band labels and other short lists.
    public var listSeparator: String
    /// Between clauses ("entered …; left …", the points a notice lost).
    public var clauseSeparator: String
    /// After a lead word ("Largest changes: …").
    public var colon: String
    /// Around an aside: "（…）" in Chinese, " (…)" in English.
    public var open, close: String
    /// A data value that is empty, in `kaohe explain`.
    public var empty: String
    /// The CSV's column names, and the separator of band ids in a CSV cell.
    public var csv: CSVColumns
    public var csvListSeparator: String
    /// The self-check problems (`SelfCheck.Problem`).
    public var overClaimed, aboveMax, unexplained, unreported, outOfRange, notSubmitted: String
    /// Before each data warning; the warnings, `{who}`, `{file}` and `{unreadable}` filled in.
    public var warning, notSubmittedWarning, unreadableHint, unreadableFormWarning: String
    /// `kaohe history`: a run, a kaohe version that was not recorded, an empty history and the list's columns.
    public var run, notRecorded, noRuns: String
    public var runColumns: [String]

    /// The CSV header: the labels in Chinese; in English the machine names other tools read.
    public struct CSVColumns: Sendable {
        public var rank, unit, name, total, selfScore, difference, bands, remarks, group, vetoes: String
    }

    public static let zh = Labels(
        language: .zh,
        rank: "排名", unit: "编号", name: "单位", total: "总分", bands: "等次", base: "基础分", adjustments: "加减分",
        points: "得分", citation: "条款", rule: "项目", note: "说明", caps: "上限/下限", params: "参数", data: "数据",
        units: "个单位", of: "/", line: "第%d行", none: "无", capApplied: "已按%@封顶", raw: "原始得分",
        min: "下限", max: "上限",
        change: "变更", subject: "对象", field: "项", old: "原值", new: "新值", added: "新增", removed: "删除", changed: "修改",
        delta: "变化", byRule: "按条款", entered: "进入", left: "退出", movers: "变化最大", compared: "比较",
        selfScore: "自查得分", verified: "核定得分", difference: "差", completed: "完成情况", reason: "未完成情况说明",
        problems: "问题", sharedParams: "共用参数",
        tieAhead: "与{unit}总分相同，按{key}得分 {mine} > {theirs} 排在其前",
        tieBehind: "与{unit}总分相同，按{key}得分 {mine} < {theirs} 排在其后",
        tieShared: "与{unit}总分相同，名次并列", tieBreak: "总分相同时依次比较",
        group: "组别", vetoes: "一票否决", vetoed: "取消评优资格", places: "名额", scoreLine: "分数线",
        tiedOverPlaces: "{band}名额{places}个，因总分并列评出{held}个单位", decimals: "位小数",
        remarks: "备注", rankingSheet: "排名", itemsSheet: "明细",
        bandMeaning: "（%@）", everyRule: "（全部）", rowsToReview: "行需复核",
        listSeparator: "、", clauseSeparator: "；", colon: "：", open: "（", close: "）", empty: "（空）",
        csv: CSVColumns(rank: "排名", unit: "编号", name: "单位", total: "总分", selfScore: "自查得分", difference: "差",
                        bands: "等次", remarks: "备注", group: "组别", vetoes: "一票否决"),
        csvListSeparator: "、",
        overClaimed: "自查高于核定", aboveMax: "自查超过分值", unexplained: "未完成且无说明", unreported: "未填自查得分",
        outOfRange: "自查得分超出范围", notSubmitted: "未提交自查表",
        warning: "注意：",
        notSubmittedWarning: "{who}：未提交自查评分表（{file} 中没有该单位的自查表）",
        unreadableHint: "；{unreadable} 可能是该单位的表，但 kaohe 不能读取这种格式，请另存为 .xlsx",
        unreadableFormWarning: "{file}：kaohe 不能读取这种格式（.xls、.ods、.et），请另存为 .xlsx",
        run: "记录", notRecorded: "（未记录）", noRuns: "尚无保存的考核记录。",
        runColumns: ["记录", "时间（UTC）", "政策", "年度", "标签", "单位数", "政策 sha256", "数据 sha256"])

    public static let en = Labels(
        language: .en,
        rank: "Rank", unit: "Unit", name: "Name", total: "Total", bands: "Bands", base: "base", adjustments: "adjustments",
        points: "Points", citation: "Article", rule: "Rule", note: "Note", caps: "Caps", params: "params", data: "data",
        units: "units", of: "of", line: "line %d", none: "none", capApplied: "capped at %@", raw: "raw",
        min: "Min", max: "Max",
        change: "Change", subject: "Subject", field: "Field", old: "Old", new: "New", added: "added", removed: "removed",
        changed: "changed", delta: "Change", byRule: "By rule", entered: "entered", left: "left", movers: "Largest changes",
        compared: "Compared", selfScore: "Self", verified: "Verified", difference: "Diff", completed: "Completion",
        reason: "Explanation", problems: "Problems", sharedParams: "Shared params",
        tieAhead: "same total as {unit}: ahead on {key} ({mine} > {theirs})",
        tieBehind: "same total as {unit}: behind on {key} ({mine} < {theirs})",
        tieShared: "same total as {unit}: rank shared", tieBreak: "Equal totals ordered by",
        group: "Group", vetoes: "Vetoes", vetoed: "not eligible for awards", places: "places", scoreLine: "score line",
        tiedOverPlaces: "{band} has {places} places but holds {held} units, tied at the cut", decimals: "decimals",
        remarks: "Remarks", rankingSheet: "Ranking", itemsSheet: "Line items",
        bandMeaning: "", everyRule: "(every rule)", rowsToReview: "rows to review",
        listSeparator: ", ", clauseSeparator: "; ", colon: ": ", open: " (", close: ")", empty: "(empty)",
        csv: CSVColumns(rank: "rank", unit: "unit", name: "name", total: "total", selfScore: "self", difference: "difference",
                        bands: "bands", remarks: "remarks", group: "group", vetoes: "vetoes"),
        csvListSeparator: ";",
        overClaimed: "over-claimed", aboveMax: "above max", unexplained: "unexplained", unreported: "no self score",
        outOfRange: "self score out of range", notSubmitted: "not submitted",
        warning: "warning: ",
        notSubmittedWarning: "{who}: no self-check form submitted (none for this unit in {file})",
        unreadableHint: "; {unreadable} may be it, but kaohe cannot read that format: save it as .xlsx",
        unreadableFormWarning: "{file}: kaohe cannot read this format (.xls, .ods, .et); save it as .xlsx",
        run: "Run", notRecorded: "(not recorded)", noRuns: "No saved runs.",
        runColumns: ["Run", "Time (UTC)", "Policy", "Year", "Label", "Units", "Policy sha256", "Data sha256"])

    public static func forLanguage(_ language: Language) -> Labels {
        switch language {
        case .zh: return .zh
        case .en: return .en
        }
    }

    func kind(_ k: PolicyDiff.Kind) -> String {
        switch k {
        case .added: return added
        case .removed: return removed
        case .changed: return changed
        }
    }

    func problem(_ p: SelfCheck.Problem) -> String {
        switch p {
        case .overClaimed: return overClaimed
        case .aboveMax: return aboveMax
        case .unexplained: return unexplained
        case .unreported: return unreported
        case .outOfRange: return outOfRange
        case .notSubmitted: return notSubmitted
        }
    }

    /// `s` as an aside: "（s）" or " (s)".
    func paren(_ s: String) -> String { open + s + close }

    func line(_ n: Int) -> String { line.replacingOccurrences(of: "%d", with: String(n)) }
    func capped(_ cap: String) -> String { capApplied.replacingOccurrences(of: "%@", with: cap) }
    /// `bandMeaning` filled in; empty when the language shows no meaning.
    func meaning(_ m: String?) -> String {
        guard let m, !bandMeaning.isEmpty else { return "" }
        return bandMeaning.replacingOccurrences(of: "%@", with: m)
    }

    /// `template` with each `{key}` replaced by its value, in one pass (a value is never read as a key).
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[rest.index(after: open)..<close])] else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

// MARK: - Words of `compare` and `history` for groups and vetoes (kept apart from the table above)

extension Labels {
    /// `compare` and `history show`: units whose group changed, vetoes gained and lost, a side that does not
    /// rank within groups (`{side}` its label), and the line listing a run's vetoed units.
    struct GroupWords: Sendable {
        var groupChanges, vetoGained, vetoLost, ungroupedSide: String
    }

    static let groupWordsZh = GroupWords(groupChanges: "组别变化", vetoGained: "新增", vetoLost: "解除",
                                         ungroupedSide: "{side} 不分组，其排名为全部单位中的名次")
    static let groupWordsEn = GroupWords(groupChanges: "Group changes", vetoGained: "new", vetoLost: "lifted",
                                         ungroupedSide: "{side} has no groups: its ranks are among all units")

    var groupWords: GroupWords { language == .zh ? Self.groupWordsZh : Self.groupWordsEn }
}
