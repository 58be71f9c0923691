/**
 * The script of index.html: the case × model matrix, a page of rows at a time, drawn from the
 * compact data render-html.ts embeds (its layout is described there). A row per result in the
 * DOM would make a page of 300,000 results unusable, so only the page on screen is built, and a
 * case's details are parsed from their chunk when it is opened. Every piece of report text is
 * put in with textContent, never parsed as HTML: model output stays inert.
 *
 * Plain ES2020 in a string, with no backticks, so that it can sit in this template literal.
 */
export const MATRIX_SCRIPT = `(function () {
"use strict";
var PAGE = 100;
var GLYPH = { p: "\\u2714", f: "\\u2718", e: "!", s: "\\u2013" };
var WORD = { p: "pass", f: "fail", e: "error", s: "skipped" };
var data = JSON.parse(document.getElementById("be-cases").textContent);
var models = data.models, suites = data.suites, rows = data.rows;
var chunks = {};
var open = {};
var shown = [];
var page = 0;
var keys = null;
function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function pct(x) { return (x * 100).toFixed(1) + "%"; }
function interval(lo, hi) { return Math.round(lo * 100) + "\\u2013" + Math.round(hi * 100) + "%"; }
function usd(x) {
  if (x === 0) return "$0";
  if (x >= 1) return "$" + x.toFixed(2);
  return "$" + x.toPrecision(3);
}
function count(n) { return n.toLocaleString("en-US"); }
/* A case's outcome on model m: its k-of-N verdict when repeated, else its worst sample. */
function outcome(row, m) {
  var note = row[3][m];
  if (note) return note[2].charAt(0);
  var codes = row[2][m];
  if (codes.indexOf("e") >= 0) return "e";
  if (codes.indexOf("f") >= 0) return "f";
  if (codes.indexOf("p") >= 0) return "p";
  return codes === "" ? "" : "s";
}
var q = document.getElementById("f-search");
var fail = document.getElementById("f-failures");
/* Rows whose results flipped against the baseline (run --baseline), by row index. */
var changed = {};
(data.changed || []).forEach(function (i) { changed[i] = true; });
var changedBox = document.getElementById("f-changed");
if (data.changed) document.getElementById("f-changed-label").hidden = false;
var suiteSel = document.getElementById("f-suite");
var modelSel = document.getElementById("f-model");
suites.forEach(function (s, i) { var o = el("option", s); o.value = String(i); suiteSel.appendChild(o); });
models.forEach(function (s, i) { var o = el("option", s); o.value = String(i); modelSel.appendChild(o); });
function columns() {
  return modelSel.value === "" ? models.map(function (_, i) { return i; }) : [Number(modelSel.value)];
}
function filter() {
  var text = q.value.trim().toLowerCase();
  var suite = suiteSel.value === "" ? -1 : Number(suiteSel.value);
  var cols = columns();
  var failures = fail.checked;
  var onlyChanged = changedBox.checked;
  if (text && keys === null) keys = rows.map(function (r) { return (suites[r[0]] + " " + r[1]).toLowerCase(); });
  shown = [];
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    if (suite >= 0 && r[0] !== suite) continue;
    if (onlyChanged && !changed[i]) continue;
    if (text && keys[i].indexOf(text) < 0) continue;
    var ran = false, bad = false;
    for (var c = 0; c < cols.length; c++) {
      var o = outcome(r, cols[c]);
      if (o !== "") ran = true;
      if (o === "f" || o === "e") bad = true;
    }
    if (!ran) continue;
    if (failures && !bad) continue;
    shown.push(i);
  }
  page = 0;
  draw();
}
function noteSpan(note) {
  var need = note[3] === null ? "each sample counts" : "needs " + note[3];
  var s = el("span", note[0] + "/" + note[1], "samples " + note[2]);
  s.title = "95% CI " + interval(note[5], note[6]) + "; " + need + "; " + note[2] + (note[4] ? "; flaky" : "");
  return s;
}
function draw() {
  var cols = columns();
  var head = document.querySelector("#matrix thead");
  var body = document.querySelector("#matrix tbody");
  head.textContent = "";
  body.textContent = "";
  var tr = el("tr");
  tr.appendChild(el("th", "suite"));
  tr.appendChild(el("th", "case"));
  cols.forEach(function (m) { tr.appendChild(el("th", models[m])); });
  head.appendChild(tr);
  var pages = Math.max(1, Math.ceil(shown.length / PAGE));
  if (page >= pages) page = pages - 1;
  var from = page * PAGE, to = Math.min(shown.length, from + PAGE);
  for (var k = from; k < to; k++) {
    var i = shown[k], r = rows[i];
    var row = el("tr");
    row.className = "case";
    row.dataset.index = String(i);
    row.appendChild(el("td", suites[r[0]]));
    var id = el("td");
    var button = el("button", r[1], "case-id");
    button.type = "button";
    button.setAttribute("aria-expanded", open[i] ? "true" : "false");
    id.appendChild(button);
    row.appendChild(id);
    cols.forEach(function (m) {
      var td = el("td");
      var codes = r[2][m];
      for (var j = 0; j < codes.length; j++) {
        var g = el("span", GLYPH[codes[j]], WORD[codes[j]]);
        g.title = WORD[codes[j]];
        td.appendChild(g);
      }
      if (codes === "") td.appendChild(el("span", "not run", "muted"));
      if (r[3][m]) { td.appendChild(document.createTextNode(" ")); td.appendChild(noteSpan(r[3][m])); }
      if (r[4][m] !== null && codes !== "") td.appendChild(el("span", " " + r[4][m].toFixed(2), "muted score"));
      row.appendChild(td);
    });
    body.appendChild(row);
    if (open[i]) body.appendChild(details(i, cols.length + 2));
  }
  var info = document.getElementById("page-info");
  info.textContent = shown.length === 0
    ? "no case matches"
    : "cases " + count(from + 1) + "\\u2013" + count(to) + " of " + count(shown.length) + " (" + count(rows.length) + " in all)";
  document.getElementById("prev").disabled = page === 0;
  document.getElementById("next").disabled = page >= pages - 1;
}
function caseData(i) {
  var n = Math.floor(i / data.chunk);
  if (!chunks[n]) chunks[n] = JSON.parse(document.getElementById("be-d" + n).textContent);
  return chunks[n][i % data.chunk];
}
function pre(text) { return el("pre", text); }
function shownValue(v) { return typeof v === "string" ? v : JSON.stringify(v); }
function details(i, span) {
  var d = caseData(i);
  var tr = el("tr", null, "detail");
  var td = el("td");
  td.colSpan = span;
  tr.appendChild(td);
  var input = d.input;
  if (input) {
    if (input.messages) {
      td.appendChild(el("h4", "Prompt"));
      input.messages.forEach(function (m) {
        var div = el("div", null, "message");
        div.appendChild(el("span", m.role, "role"));
        div.appendChild(pre(m.content));
        td.appendChild(div);
      });
    } else if (input.messagesSha256) {
      td.appendChild(el("p", "Prompt of " + count(input.messagesChars || 0) + " characters, not kept in the report (SHA-256 " + input.messagesSha256 + ").", "muted"));
    }
    if (input.vars && Object.keys(input.vars).length > 0) {
      td.appendChild(el("h4", "Vars"));
      td.appendChild(pre(JSON.stringify(input.vars, null, 2)));
    }
  }
  d.results.forEach(function (r) {
    var box = el("div", null, "result");
    var h = el("h4");
    h.appendChild(el("span", models[r[0]] + " #" + r[1] + " "));
    h.appendChild(el("span", WORD[r[2]], WORD[r[2]]));
    h.appendChild(el("span", " score " + r[3].toFixed(2) + (r[13] === "cache" ? " \\u00b7 replayed from the result cache" : ""), "muted"));
    box.appendChild(h);
    if (r[9]) box.appendChild(el("div", r[9][0] + ": " + r[9][1], "error"));
    box.appendChild(pre(r[4]));
    if (r[5] !== null) {
      var cut = el("p", "The first " + count(r[4].length) + " of " + count(r[5]) + " characters; the whole reply, custom_id " + r[6] + ", is in ", "muted");
      var a = el("a", "results/");
      a.href = "results/";
      cut.appendChild(a);
      cut.appendChild(document.createTextNode("."));
      box.appendChild(cut);
    }
    (r[8] || []).forEach(function (c) { box.appendChild(pre("tool_use " + c[0] + " " + JSON.stringify(c[1]))); });
    if (r[10].length > 0) {
      var ul = el("ul", null, "assertions");
      r[10].forEach(function (a, j) {
        var li = el("li", null, a[4] ? "error" : a[1] ? "pass" : "fail");
        li.appendChild(el("strong", a[0]));
        li.appendChild(document.createTextNode(" " + (a[4] ? "not graded" : a[1] ? "pass" : "fail") + " (score " + a[2].toFixed(2) + ")"));
        var expected = input && input.assert[j];
        if (expected && expected.value !== undefined) li.appendChild(el("div", "expected: " + shownValue(expected.value), "expected"));
        li.appendChild(el("div", a[3], "reason"));
        if (a[4]) li.appendChild(el("div", a[4], "error"));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    var u = r[11];
    var usage = u ? "tokens: " + count(u[0]) + " in, " + count(u[1]) + " out, " + count(u[2]) + " cache write, " + count(u[3]) + " cache read" : "no usage (no reply)";
    var c = r[12];
    box.appendChild(el("p", usage + " \\u00b7 cost: " + usd(c[3]) + " billed (batch + cache), " + usd(c[2]) + " batch, " + usd(c[1]) + " standard + cache, " + usd(c[0]) + " standard" + (r[7] ? " \\u00b7 stop: " + r[7] : ""), "muted usage"));
    td.appendChild(box);
  });
  return tr;
}
document.querySelector("#matrix tbody").addEventListener("click", function (event) {
  var row = event.target.closest("tr.case");
  if (!row) return;
  var i = Number(row.dataset.index);
  if (open[i]) delete open[i]; else open[i] = true;
  draw();
});
document.getElementById("prev").addEventListener("click", function () { page--; draw(); });
document.getElementById("next").addEventListener("click", function () { page++; draw(); });
q.addEventListener("input", filter);
fail.addEventListener("change", filter);
changedBox.addEventListener("change", filter);
suiteSel.addEventListener("change", filter);
modelSel.addEventListener("change", filter);
document.getElementById("cases-ui").hidden = false;
filter();
})();`;
