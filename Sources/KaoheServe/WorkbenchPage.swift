import Foundation
import Kaohe

/// The shell of the workbench's pages: the bar at the top (links between the pages of one policy and data
/// set, a unit picker, and the CSRF secret as `data-csrf` for the page's script), around either a report of
/// the library (the bulletin, a notice, a diff, a comparison: their own documents, with the bar put at the
/// start of their body and its style at the end of their head) or a page of the workbench's own.
enum WorkbenchPage {
    /// What one page shows the bar: the policy and data it is about, the units to pick from.
    struct Context {
        var csrf: String
        var words: WorkbenchLabels
        var policy: String?
        var data: String?
        var units: [(id: String, name: String)] = []
        var unit: String?
        /// Whether the policy has self-check forms (a unit's page then links its blank form).
        var forms = false
    }

    /// The bar's, the forms' and the what-if's style (kaohe's own CSS, added to the report's).
    static let style = """
    nav.workbench{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;padding:.5rem .8rem;margin:0 0 1rem;\
    background:#1f3a5f;color:#fff;font-size:.95rem}
    nav.workbench a{color:#fff}nav.workbench .where{opacity:.8;font-size:.85rem}
    nav.workbench form{display:inline-flex;gap:.3rem;align-items:center;margin:0}
    @media print{nav.workbench{display:none}}
    .wb-list td,.wb-list th{padding:.2rem .6rem;text-align:left}
    .diagnostics td{vertical-align:top;padding:.2rem .6rem}.diagnostics .loc{font-family:monospace;white-space:nowrap}
    body:has(.whatif){max-width:1400px}
    .whatif{display:grid;grid-template-columns:minmax(18rem,32rem) 1fr;gap:1.5rem;align-items:start}
    .whatif fieldset{margin:0 0 .8rem;border:1px solid #ccd;padding:.3rem .6rem}
    .whatif legend{font-weight:bold}.whatif .field{display:grid;grid-template-columns:11rem 1fr;gap:.4rem;margin:.15rem 0}
    .whatif .field code{font-size:.85rem}.whatif input.changed{background:#fff6d6}.whatif input.invalid{outline:2px solid #c62828}
    .whatif .field-error,.error,#save-error{color:#c62828;white-space:pre-wrap;grid-column:1/-1;font-size:.85rem}
    .whatif .why{color:#666;font-size:.8rem;grid-column:1/-1}
    .whatif-units td,.whatif-units th{padding:.15rem .5rem}.whatif-units tr.moved{background:#fff6d6}
    .plus,.up{color:#2e7d32}.minus,.down{color:#c62828}.num{text-align:right}
    pre.test-output{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:.85rem}
    """

    static func link(_ path: String, _ query: [(String, String?)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        let pairs = query.compactMap { k, v in v.map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" } }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    static func bar(_ c: Context) -> HTMLWriter {
        var w = HTMLWriter()
        w.element("nav", [("class", "workbench"), ("data-csrf", c.csrf)]) { w in
            w.element("strong", text: c.words.workbench)
            w.element("a", [("href", "/")], text: c.words.home)
            w.element("a", [("href", "/history")], text: c.words.history)
            if let policy = c.policy, let data = c.data {
                let q = [("policy", Optional(policy)), ("data", Optional(data))]
                w.element("a", [("href", link("/score", q))], text: c.words.score)
                w.element("a", [("href", link("/whatif", q))], text: c.words.whatIf)
                w.element("a", [("href", link("/policy", q))], text: c.words.review)
                w.element("a", [("href", link("/download/bulletin", q))], text: c.words.bulletinDownload)
                w.element("a", [("href", link("/download/xlsx", q))], text: "xlsx")
                if c.forms, let unit = c.unit {
                    w.element("a", [("href", link("/download/form", q + [("unit", unit)]))], text: c.words.formDownload)
                }
                if !c.units.isEmpty {
                    w.element("form", [("method", "get"), ("action", "/unit")]) { w in
                        w.empty("input", [("type", "hidden"), ("name", "policy"), ("value", policy)])
                        w.empty("input", [("type", "hidden"), ("name", "data"), ("value", data)])
                        w.element("select", [("name", "unit"), ("aria-label", c.words.unit)]) { w in
                            for u in c.units {
                                w.element("option", [("value", u.id)] + (u.id == c.unit ? [("selected", "selected")] : []), text: "\(u.id) \(u.name)")
                            }
                        }
                        w.element("button", [("type", "submit")], text: c.words.unit)
                    }
                }
                w.element("span", [("class", "where")], text: "\(policy) · \(data)")
            } else if let policy = c.policy {
                w.element("span", [("class", "where")], text: policy)
            }
        }
        w.newline()
        return w
    }

    /// A report's document with the bar at the start of its body and the workbench's style in its head;
    /// `lead`: more of the workbench's own, after the bar.
    static func framed(_ document: String, _ c: Context, lead: HTMLWriter? = nil) -> String {
        var top = bar(c)
        if let lead { top.append(lead) }
        var out = document
        // the library writes "<head>…</head>" and "<body>" once, before any text (all of which is escaped)
        if let head = out.range(of: "</head>") { out.replaceSubrange(head, with: "<style>" + style + "</style></head>") }
        if let body = out.range(of: "<body>") { out.replaceSubrange(body, with: "<body>" + top.output) }
        return out
    }

    /// A page of the workbench's own.
    static func page(title: String, _ c: Context, language: Language, _ body: (inout HTMLWriter) -> Void) -> String {
        HTMLWriter.document(title: "\(title) · \(c.words.workbench)", lang: language.htmlLang, extraStyle: style) { w in
            w.append(bar(c))
            w.element("main") { w in body(&w) }
        }
    }

    /// An error as a page: the message and each diagnostic compiler-style (`file:line:column`, or
    /// `file.xlsx[sheet]!C17`), with its hint.
    static func error(_ e: WorkbenchError, _ c: Context, language: Language) -> String {
        page(title: c.words.errorTitle, c, language: language) { w in
            w.element("h1", text: c.words.errorTitle)
            w.element("p", [("class", "error"), ("data-code", e.code)], text: e.message)
            diagnostics(&w, e.diagnostics, c.words)
        }
    }

    static func diagnostics(_ w: inout HTMLWriter, _ list: [Diagnostic], _ words: WorkbenchLabels) {
        guard !list.isEmpty else { return }
        w.element("table", [("class", "diagnostics")]) { w in
            w.element("thead") { w in
                w.element("tr") { w in
                    for h in [words.location, "", words.message, words.hint] { w.element("th", text: h) }
                }
            }
            w.element("tbody") { w in
                for d in list {
                    w.element("tr", [("data-code", d.code)]) { w in
                        w.element("td", [("class", "loc")], text: d.location)
                        w.element("td", [("class", d.severity == .error ? "minus" : "")], text: d.severity.rawValue)
                        w.element("td", text: d.message)
                        w.element("td", text: d.hint ?? "")
                    }
                    w.newline()
                }
            }
        }
    }
}
