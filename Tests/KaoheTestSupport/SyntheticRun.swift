public import Foundation
public import Kaohe

/// Made-up runs for the history store: the history tests save them, and so does kaohe-test-helper, the process
/// the kill test stops in the middle of a save (the test rebuilds the same run to check what was stored).
public enum SyntheticRun {
    /// The creation time of a synthetic run unless told otherwise.
    public static let t0 = Date(timeIntervalSince1970: 1_700_000_000.25)

    /// `units` units of `items` line items each; `notePadding` characters more in every note.
    public static func make(policySHA: String, dataSHA: String = "d", year: Int = 2023, jurisdiction: String? = "ganzhou",
                            createdAt: Date = t0, units: Int = 3, items: Int = 2, notePadding: Int = 0) -> RunRecord {
        let padding = String(repeating: "说明", count: notePadding / 2)
        let records = (0..<units).map { u in
            UnitRecord(unit: "U\(u)", name: "单位\(u)", total: Points(micro: Int64(100_000_000 - u * 1_500_000)), rank: u + 1,
                       bands: u >= units - units / 5 ? ["bottom20"] : [],
                       items: (0..<items).map { k in
                           ItemRecord(rule: "r\(k)", citation: "第\(k)条", title: "规则\(k)", points: Points(micro: Int64(u * 7 + k)),
                                      raw: Points(micro: Int64(u * 7 + k)), note: "note \(u).\(k)" + padding, cap: k == 1 ? "max 20" : nil)
                       })
        }
        return RunRecord(policyID: "p-\(year)", policyTitle: "P", policyYear: year, jurisdiction: jurisdiction,
                         policySHA256: policySHA, policySource: "return {}", dataSHA256: dataSHA, label: nil,
                         createdAt: createdAt, units: records)
    }
}
