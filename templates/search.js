// Full-text search of the published items, in the browser, without a server.
// search-index.js holds each item's text normalised as gongwen.pipeline.publish.normalise does
// (NFKC, lower case, no whitespace); an item matches when its text contains every term of the
// query.  Chinese needs no word splitting: any substring of a sentence finds it.
(function () {
  "use strict";
  var SNIPPET = 30;
  function normalise(s) { return s.normalize("NFKC").replace(/\s+/g, "").toLowerCase(); }
  function root() { return document.querySelector('link[rel="stylesheet"]').getAttribute("href").replace(/site\.css$/, ""); }
  function snippet(text, term) {
    var at = text.indexOf(term), li = document.createElement("p");
    li.className = "snippet";
    var from = Math.max(0, at - SNIPPET), to = Math.min(text.length, at + term.length + SNIPPET);
    li.appendChild(document.createTextNode((from > 0 ? "…" : "") + text.slice(from, at)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + term.length);
    li.appendChild(mark);
    li.appendChild(document.createTextNode(text.slice(at + term.length, to) + (to < text.length ? "…" : "")));
    return li;
  }
  function run(query) {
    var section = document.getElementById("results"), list = document.getElementById("result-list");
    var terms = query.split(/\s+/).map(normalise).filter(Boolean);
    list.textContent = "";
    if (!terms.length) { section.hidden = true; return; }
    var items = (window.GONGWEN_INDEX || { items: [] }).items, base = root(), n = 0;
    items.forEach(function (item) {
      if (!terms.every(function (t) { return item.text.indexOf(t) >= 0; })) return;
      n += 1;
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = base + item.url;
      a.textContent = item.title;
      li.appendChild(a);
      var meta = [item.doc_number, item.issuer, item.date].filter(Boolean).join(" · ");
      if (meta) { var m = document.createElement("span"); m.className = "meta"; m.textContent = " " + meta; li.appendChild(m); }
      li.appendChild(snippet(item.text, terms[0]));
      list.appendChild(li);
    });
    document.getElementById("result-count").textContent = n ? "找到 " + n + " 件" : "没有找到";
    section.hidden = false;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("q");
    if (!input) return;
    input.addEventListener("input", function () { run(input.value); });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; run(q); }
  });
})();
