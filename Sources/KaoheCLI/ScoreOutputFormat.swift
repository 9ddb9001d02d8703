import ArgumentParser
import Kaohe

/// The report formats, plus xlsx (a workbook: ranking and line items).
enum ScoreOutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json, markdown, selfcheck, html, xlsx

    /// The text report this format renders; nil for the workbook.
    var reportFormat: ScoreReport.Format? {
        switch self {
        case .table: .table
        case .csv: .csv
        case .json: .json
        case .markdown: .markdown
        case .selfcheck: .selfcheck
        case .html: .html
        case .xlsx: nil
        }
    }
}
