/// The workbench's answer to a what-if: the edited policy's results as `kaohe score --format json` gives them,
/// and the comparison of the unedited policy with the edited one as `kaohe compare --format json` gives it.
///
/// `{"results": [… score's "results" …], "score": {… score's other fields: policy, data, warnings, awards …},
/// "compare": {… compare's object, unedited → edited …}}`. The values are those of the two reports; only the
/// indentation follows the nesting.
public enum WhatIfReport {
    public static func jsonBytes(original: Scoresheet, edited: Scoresheet) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        ScoreReport.writeResults(edited, to: &w)
        w.field("score") { w in
            w.beginObject()
            ScoreReport.writeHead(edited, to: &w)
            w.endObject()
        }
        w.field("compare") { CompareReport.write(Assessment.compare(original, edited), to: &$0) }
        w.endObject()
        w.raw("\n")
        return w.bytes
    }
}
