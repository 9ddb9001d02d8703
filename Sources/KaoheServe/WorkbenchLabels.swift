import Kaohe

/// Every word the workbench's pages show, per language (the reports' own words come from the library's
/// label tables). The what-if page's script gets the words it writes from `script`.
struct WorkbenchLabels: Sendable {
    var workbench: String
    var home: String
    var policies: String
    var datasets: String
    var policy: String
    var data: String
    var unit: String
    var score: String
    var whatIf: String
    var review: String
    var diff: String
    var compare: String
    var history: String
    var bulletinDownload: String
    var formDownload: String
    var upload: String
    var uploadHelp: String
    var datasetName: String
    var open: String
    var noPolicies: String
    var noDatasets: String
    var loadFailed: String
    var errorTitle: String
    var location: String
    var message: String
    var hint: String
    var editable: String
    var readOnly: String
    var param: String
    var value: String
    var policyParams: String
    var bands: String
    var saveAs: String
    var year: String
    var save: String
    var check: String
    var checkClean: String
    var tests: String
    var noTests: String
    var diffWithParent: String
    var noParent: String
    var oldPolicy: String
    var newPolicy: String
    var whatIfHelp: String
    /// What the what-if script writes, by key (see WhatIfScript).
    var script: [(String, String)]

    static func forLanguage(_ language: Language) -> WorkbenchLabels { language == .zh ? zh : en }

    static let zh = WorkbenchLabels(
        workbench: "考核工作台", home: "首页", policies: "考核办法", datasets: "数据集", policy: "考核办法", data: "数据",
        unit: "单位", score: "评分", whatIf: "参数模拟", review: "检查与测试", diff: "办法对比", compare: "结果对比", history: "历史记录", bulletinDownload: "下载通报", formDownload: "空白自查表", upload: "上传数据",
        uploadHelp: "选择新数据集的全部文件（CSV 表、工作簿、填好的自查表）：按本办法的数据要求逐个检查，全部通过才保存为新的数据集，否则列出每个文件、行或单元格的问题。",
        datasetName: "数据集名称",
        open: "打开", noPolicies: "根目录的 policies/ 下没有考核办法", noDatasets: "根目录下没有数据集", loadFailed: "无法加载",
        errorTitle: "无法完成", location: "位置", message: "问题", hint: "建议",
        editable: "可修改", readOnly: "只读", param: "参数", value: "取值", policyParams: "办法参数", bands: "档次",
        saveAs: "另存为新一年的考核办法", year: "年度", save: "保存", check: "检查（kaohe check）", checkClean: "没有发现问题",
        tests: "测试（kaohe test）", noTests: "没有测试文件", diffWithParent: "与上一版办法的差异（kaohe diff）",
        noParent: "此办法没有记录上一版（parent）", oldPolicy: "原办法", newPolicy: "新办法",
        whatIfHelp: "修改参数后，右侧即时显示与原办法相比的总分、名次、档次和按规则的变化。",
        script: [("moved", "名次或总分变化的单位"), ("none", "尚未修改参数：结果与原办法相同"), ("rank", "名次"),
                 ("unit", "单位"), ("total", "总分"), ("delta", "变化"), ("bands", "档次"), ("rules", "按规则"),
                 ("entered", "进入"), ("left", "离开"), ("band", "档次"), ("busy", "计算中…"), ("saved", "已保存："),
                 ("failed", "请求失败："), ("units", "个单位")])

    static let en = WorkbenchLabels(
        workbench: "Assessment workbench", home: "Home", policies: "Policies", datasets: "Data sets", policy: "Policy",
        data: "Data", unit: "Unit", score: "Score", whatIf: "What-if", review: "Check and test", diff: "Diff",
        compare: "Compare", history: "History", bulletinDownload: "Bulletin", formDownload: "Blank form", upload: "Upload data",
        uploadHelp: "Pick every file of the new data set (CSV tables, workbooks, filled self-check forms): they are checked against this policy's inputs, and kept as a new data set only if all pass; otherwise each problem is listed by file, line or cell.",
        datasetName: "Data set name", open: "Open", noPolicies: "no policies under the root's policies/",
        noDatasets: "no data sets under the root", loadFailed: "does not load", errorTitle: "Cannot do that",
        location: "Where", message: "Problem", hint: "Hint", editable: "editable", readOnly: "read-only",
        param: "Param", value: "Value", policyParams: "Policy params", bands: "Bands",
        saveAs: "Save as next year's policy", year: "Year", save: "Save", check: "Check (kaohe check)",
        checkClean: "no findings", tests: "Tests (kaohe test)", noTests: "no test file",
        diffWithParent: "Changes from the parent policy (kaohe diff)", noParent: "this policy records no parent",
        oldPolicy: "Old policy", newPolicy: "New policy",
        whatIfHelp: "Edit a value: the results on the right show, against the unedited policy, each unit's total, rank, bands and the change by rule.",
        script: [("moved", "units whose rank or total changed"), ("none", "no edits yet: the results are the policy's own"),
                 ("rank", "Rank"), ("unit", "Unit"), ("total", "Total"), ("delta", "Change"), ("bands", "Bands"),
                 ("rules", "By rule"), ("entered", "entered"), ("left", "left"), ("band", "Band"), ("busy", "scoring…"),
                 ("saved", "saved: "), ("failed", "request failed: "), ("units", "units")])
}
