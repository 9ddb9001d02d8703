import Kaohe

/// `/upload?policy=…`: pick the files of a new data set (CSV tables, workbooks, filled self-check forms);
/// the page's script reads them, POSTs them to `/api/upload` with the CSRF secret, and either goes on to the
/// score page of the new data set or lists each diagnostic (file and line, or workbook, sheet and cell).
struct UploadPage {
    var policy: Policy
    var policyPath: String
    var context: WorkbenchPage.Context

    func render() -> String {
        let words = context.words
        return WorkbenchPage.page(title: "\(policy.title) \(policy.year) · \(words.upload)", context, language: policy.language) { w in
            w.element("h1", text: "\(policy.title) \(policy.year) · \(words.upload)")
            w.element("p", text: words.uploadHelp)
            w.element("form", [("id", "upload-form"), ("data-policy", policyPath)]) { w in
                w.element("label") { w in
                    w.text(words.datasetName + " data/")
                    w.empty("input", [("name", "name"), ("required", "required")])
                }
                w.text(" ")
                w.empty("input", [("type", "file"), ("name", "files"), ("multiple", "multiple"), ("accept", ".csv,.xlsx"), ("required", "required")])
                w.text(" ")
                w.element("button", [("type", "submit"), ("id", "upload")], text: words.upload)
            }
            w.element("p", [("id", "upload-error"), ("class", "error")], text: "")
            w.element("table", [("id", "upload-diagnostics"), ("class", "diagnostics")], text: "")
            w.element("script") { $0.trusted(Self.script) }
        }
    }

    static let script = #"""
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var csrf = document.querySelector("nav.workbench").getAttribute("data-csrf");
  var out = document.getElementById("upload-error"), table = document.getElementById("upload-diagnostics");
  function read(file) {
    return new Promise(function (resolve, reject) {
      var r = new FileReader();
      r.onload = function () { resolve({ name: file.name, base64: String(r.result).replace(/^[^,]*,/, "") }); };
      r.onerror = function () { reject(r.error); };
      r.readAsDataURL(file);
    });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    out.textContent = ""; table.textContent = "";
    var files = Array.prototype.slice.call(form.querySelector("input[type=file]").files);
    Promise.all(files.map(read)).then(function (list) {
      return fetch("/api/upload", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Kaohe-CSRF": csrf },
        body: JSON.stringify({ policy: form.getAttribute("data-policy"), name: form.querySelector("input[name=name]").value, files: list })
      });
    }).then(function (r) { return r.json(); }).then(function (answer) {
      if (!answer.error) { window.location.href = answer.page; return; }
      out.textContent = answer.error.message;
      (answer.diagnostics || []).forEach(function (d) {
        var tr = document.createElement("tr");
        var at = d.file ? d.file + (d.line ? ":" + d.line : "") + (d.column ? ":" + d.column : "") : "";
        [at, d.message, d.hint || ""].forEach(function (t, i) {
          var td = document.createElement("td");
          if (i === 0) td.className = "loc";
          td.textContent = t;
          tr.appendChild(td);
        });
        table.appendChild(tr);
      });
    }).catch(function (x) { out.textContent = String(x); });
  });
})();
"""#
}
