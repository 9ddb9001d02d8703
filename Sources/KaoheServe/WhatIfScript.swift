/// The what-if page's script (vanilla, inline, no library): each edit of the form, debounced, POSTs every
/// changed value to `/api/whatif` with the page's CSRF secret, and the answer's `compare` (unedited →
/// edited) is drawn into the results: each unit's new total and rank, its move, the bands entered and left
/// and the change by rule. Every answer carries the number of the request it answers; one that is not the
/// latest is dropped, so a slow answer never overwrites a newer one. An error is shown next to the field it
/// names (`error.param`), with its diagnostics. Text from the answer is set as text, never as HTML.
/// `#whatif-results` gets `data-edits` (how many values the shown results change) once drawn, and
/// `data-answer` (the number of the request whose answer is shown, results or error) after each answer.
enum WhatIfScript {
    static let source = #"""
(function () {
  "use strict";
  var form = document.getElementById("whatif-form");
  var results = document.getElementById("whatif-results");
  var status = document.getElementById("whatif-status");
  var general = document.getElementById("whatif-error");
  var csrf = document.querySelector("nav.workbench").getAttribute("data-csrf");
  var words = JSON.parse(results.getAttribute("data-words"));
  var rules = JSON.parse(results.getAttribute("data-rules"));
  var bands = JSON.parse(results.getAttribute("data-bands"));
  var policy = form.getAttribute("data-policy"), data = form.getAttribute("data-data");
  var seq = 0, timer = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function inputs() { return Array.prototype.slice.call(form.querySelectorAll("input[data-key]")); }
  function valueOf(i) {
    if (i.type === "checkbox") return i.checked;
    if (i.getAttribute("data-kind") === "number") {
      var t = i.value.trim(), n = Number(t);
      return t !== "" && isFinite(n) ? n : i.value;  // not a number: the server says why, next to the field
    }
    return i.value;
  }
  function original(i) {
    var k = i.getAttribute("data-kind"), o = i.getAttribute("data-original");
    return k === "number" ? Number(o) : k === "bool" ? o === "true" : o;
  }
  function edits() {
    var params = {}, count = 0;
    inputs().forEach(function (i) {
      var v = valueOf(i), same = v === original(i);
      i.classList.toggle("changed", !same);
      if (same) return;
      var key = i.getAttribute("data-key");
      (params[key] = params[key] || {})[i.getAttribute("data-path")] = v;
      count++;
    });
    return { params: params, count: count };
  }
  function clearErrors() {
    general.textContent = "";
    form.querySelectorAll(".field-error").forEach(function (e) { e.textContent = ""; });
    form.querySelectorAll("input.invalid").forEach(function (i) { i.classList.remove("invalid"); });
  }
  function errorText(answer) {
    var err = answer.error || {};
    var lines = (answer.diagnostics || []).map(function (d) {
      var at = d.file ? d.file + (d.line ? ":" + d.line : "") + (d.column ? ":" + d.column : "") + ": " : "";
      return at + d.message + (d.hint ? "; " + d.hint : "");
    });
    return [err.message || ""].concat(lines).join("\n");
  }
  function showError(answer, fallback) {
    var p = (answer.error || {}).param, where = null;
    if (p) inputs().forEach(function (i) {
      if (i.getAttribute("data-key") === p.key && i.getAttribute("data-path") === p.path) where = i;
    });
    if (where) where.classList.add("invalid");
    (where ? where.parentNode.querySelector(".field-error") : fallback).textContent = errorText(answer);
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Kaohe-CSRF": csrf },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  }
  function signed(x) { return (x > 0 ? "+" : "") + x; }
  function bandName(id) { return bands[id] || id; }

  function render(c, count) {
    var units = c.units.slice().sort(function (a, b) {
      return (a.rank_b === null) - (b.rank_b === null) || a.rank_b - b.rank_b || (a.unit < b.unit ? -1 : 1);
    });
    var names = {};
    c.units.forEach(function (u) { names[u.unit] = u.name; });
    var moved = units.filter(function (u) {
      return u.delta !== 0 || u.rank_a !== u.rank_b || u.entered.length || u.left.length;
    });
    results.textContent = "";
    results.appendChild(el("p", "summary", count === 0 ? words.none : words.moved + "：" + moved.length + " " + words.units));
    var list = el("ul", "band-moves");
    c.bands.forEach(function (b) {
      if (!b.entered.length && !b.left.length) return;
      var li = el("li");
      li.setAttribute("data-band", b.band);
      li.setAttribute("data-entered", b.entered.join(" "));
      li.setAttribute("data-left", b.left.join(" "));
      li.appendChild(el("strong", null, bandName(b.band) + "："));
      if (b.entered.length) li.appendChild(el("span", "plus", words.entered + " " + b.entered.map(function (id) { return names[id] || id; }).join("、") + " "));
      if (b.left.length) li.appendChild(el("span", "minus", words.left + " " + b.left.map(function (id) { return names[id] || id; }).join("、")));
      list.appendChild(li);
    });
    results.appendChild(list);
    var table = el("table", "whatif-units"), head = el("tr");
    [words.rank, words.unit, words.total, words.delta, words.bands, words.rules].forEach(function (h) { head.appendChild(el("th", null, h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    units.forEach(function (u) {
      var tr = el("tr", moved.indexOf(u) >= 0 ? "moved" : null);
      tr.setAttribute("data-unit", u.unit);
      tr.setAttribute("data-rank-a", u.rank_a);
      tr.setAttribute("data-rank-b", u.rank_b);
      tr.setAttribute("data-delta", u.delta);
      var rank = el("td", "num", u.rank_b === null ? "—" : u.rank_b);
      if (u.rank_a !== null && u.rank_b !== null && u.rank_a !== u.rank_b) {
        rank.appendChild(el("span", u.rank_b < u.rank_a ? "up" : "down", (u.rank_b < u.rank_a ? " ↑" : " ↓") + Math.abs(u.rank_a - u.rank_b)));
      }
      tr.appendChild(rank);
      var name = el("td");
      var link = el("a", null, u.name);
      link.href = "/unit?policy=" + encodeURIComponent(policy) + "&data=" + encodeURIComponent(data) + "&unit=" + encodeURIComponent(u.unit);
      name.appendChild(link);
      tr.appendChild(name);
      tr.appendChild(el("td", "num", u.total_a === u.total_b ? u.total_b : u.total_a + " → " + u.total_b));
      tr.appendChild(el("td", "num" + (u.delta > 0 ? " plus" : u.delta < 0 ? " minus" : ""), u.delta === 0 ? "" : signed(u.delta)));
      var bandCell = el("td", null, u.bands_b.map(bandName).join("、"));
      u.entered.forEach(function (b) { bandCell.appendChild(el("span", "plus", " " + words.entered + bandName(b))); });
      u.left.forEach(function (b) { bandCell.appendChild(el("span", "minus", " " + words.left + bandName(b))); });
      tr.appendChild(bandCell);
      tr.appendChild(el("td", null, u.rules.map(function (r) { return (rules[r.rule] || r.rule) + " " + signed(r.delta); }).join("；")));
      body.appendChild(tr);
    });
    table.appendChild(body);
    results.appendChild(table);
    results.setAttribute("data-edits", String(count));
  }

  function send() {
    var e = edits(), mine = ++seq;
    status.textContent = words.busy;
    post("/api/whatif", { policy: policy, data: data, params: e.params }).then(function (answer) {
      if (mine !== seq) return;  // an older request's answer: a newer one is on its way
      clearErrors();
      status.textContent = "";
      if (answer.error) showError(answer, general); else render(answer.compare, e.count);
      results.setAttribute("data-answer", String(mine));
    }).catch(function (x) {
      if (mine === seq) { status.textContent = ""; general.textContent = words.failed + x; }
    });
  }
  function later() { clearTimeout(timer); timer = setTimeout(send, 60); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });

  var save = document.getElementById("save-form");
  save.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var out = document.getElementById("save-error");
    out.textContent = "";
    post("/api/save", { policy: policy, data: data, params: edits().params, year: save.querySelector("input[name=year]").value })
      .then(function (answer) {
        if (answer.error) { showError(answer, out); return; }
        window.location.href = answer.page;
      }).catch(function (x) { out.textContent = words.failed + x; });
  });
  send();
})();
"""#
}
