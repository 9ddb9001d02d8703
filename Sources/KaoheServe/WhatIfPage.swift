import Kaohe

/// `/whatif?policy=…&data=…`: the policy's params as a form (`WhatIfForm`), the results of the latest edit
/// against the unedited policy (drawn by `WhatIfScript` from `/api/whatif`), and saving the edits as next
/// year's policy (`/api/save`).
struct WhatIfPage {
    var policy: Policy
    var policyPath: String
    var dataPath: String
    var context: WorkbenchPage.Context

    func render() -> String {
        let words = context.words
        let form = WhatIfForm(policy, words: words)
        return WorkbenchPage.page(title: "\(policy.title) \(policy.year) · \(words.whatIf)", context, language: policy.language) { w in
            w.element("h1", text: "\(policy.title) \(policy.year) · \(words.whatIf)")
            w.element("p", text: words.whatIfHelp)
            w.element("div", [("class", "whatif")]) { w in
                w.element("form", [("id", "whatif-form"), ("data-policy", policyPath), ("data-data", dataPath)]) { w in
                    for section in form.sections { fieldset(&w, section) }
                }
                w.element("section") { w in
                    w.element("p", [("id", "whatif-status")], text: "")
                    w.element("p", [("id", "whatif-error"), ("class", "error")], text: "")
                    w.element("div", [("id", "whatif-results"), ("data-edits", ""), ("data-answer", "0"), ("data-words", Self.json(words.script)),
                                      ("data-rules", Self.json(policy.rules.map { ($0.id, $0.title) })),
                                      ("data-bands", Self.json(policy.bands.map { ($0.id, $0.label) }))], text: "")
                    w.element("form", [("id", "save-form")]) { w in
                        w.element("h2", text: words.saveAs)
                        w.element("label") { w in
                            w.text(words.year + " ")
                            w.empty("input", [("name", "year"), ("value", String(policy.year + 1)), ("inputmode", "numeric"),
                                              ("pattern", "[0-9]{4}"), ("size", "6")])
                        }
                        w.text(" policies/\(policy.jurisdiction ?? "?")/<\(words.year)>.lua ")
                        w.element("button", [("type", "submit"), ("id", "save")], text: words.save)
                        w.element("p", [("id", "save-error")], text: "")
                    }
                }
            }
            w.element("script") { $0.trusted(WhatIfScript.source) }
        }
    }

    private func fieldset(_ w: inout HTMLWriter, _ section: WhatIfForm.Section) {
        w.element("fieldset", [("data-section", section.key)]) { w in
            w.element("legend", text: section.title)
            for f in section.fields {
                w.element("div", [("class", "field")]) { w in
                    let id = "f-\(section.key)-\(f.path)"
                    w.element("label", [("for", id)]) { $0.element("code", text: f.path) }
                    if let why = f.readOnly {
                        w.element("span", text: f.value.map { $0.text() } ?? "—")
                        w.element("span", [("class", "why")], text: "\(context.words.readOnly): \(why)")
                    } else {
                        w.empty("input", [("id", id), ("data-key", f.key), ("data-path", f.path)] + Self.input(f.value ?? .null))
                        w.element("span", [("class", "field-error")], text: "")
                    }
                }
            }
        }
    }

    /// The input's attributes for a value: its kind, the original (what "unchanged" means) and the value.
    static func input(_ v: JSONValue) -> [(String, String)] {
        switch v {
        case .bool(let b):
            return [("type", "checkbox"), ("data-kind", "bool"), ("data-original", b ? "true" : "false")] + (b ? [("checked", "checked")] : [])
        case .number:
            return [("type", "text"), ("inputmode", "decimal"), ("data-kind", "number"), ("data-original", v.text()), ("value", v.text())]
        default:
            return [("type", "text"), ("data-kind", "string"), ("data-original", v.text()), ("value", v.text())]
        }
    }

    /// `{"key": "text", …}` (for the script, in an attribute).
    static func json(_ pairs: [(String, String)]) -> String {
        var w = JSONWriter()
        w.beginObject()
        for (k, v) in pairs { w.field(k, string: v) }
        w.endObject()
        return w.output
    }
}
