// The site's search, in the browser, without a server of our own.
// Over http(s) it asks the Pagefind index (pagefind/pagefind.js): the full text of every
// published item, with the filters year, 文种 and issuer; Pagefind fetches only the index
// chunks of the query's words and the fragments of the results shown.  Opened from the disk
// (file://), where a page may not fetch files, it searches the titles, 文号 and issuers of
// titles/<n>.js instead, loaded as scripts.
(function () {
  "use strict";
  var PAGE = 10;  // results shown at a time
  var form, root, mode, seq = 0, pagefind = null, titles = null;
  // the current search: its terms, candidates, how many were checked, how many matched
  var terms = [], results = [], checked = 0, hits = 0;

  function $(id) { return document.getElementById(id); }
  // NFKC (full-width digits and Latin to ASCII), lower case, no white space nor the zero-width
  // spaces Pagefind puts between the words it split Chinese into
  function normalise(s) { return (s || "").normalize("NFKC").replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, "").toLowerCase(); }
  function filters() {
    var f = {};
    [["year", "f-year"], ["genre", "f-genre"], ["issuer", "f-issuer"]].forEach(function (p) {
      var v = $(p[1]).value;
      if (v) f[p[0]] = v;
    });
    return f;
  }
  // an excerpt of Pagefind's: text with <mark> around the words found; everything else is text
  function excerpt(html) {
    var p = document.createElement("p"), parts = html.split(/(<mark>|<\/mark>)/), marked = false;
    p.className = "snippet";
    var decode = document.createElement("textarea");
    parts.forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      decode.innerHTML = part;
      var text = document.createTextNode(decode.value);
      if (marked) { var m = document.createElement("mark"); m.appendChild(text); p.appendChild(m); }
      else p.appendChild(text);
    });
    return p;
  }
  function item(url, title, meta, snippet) {
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = url;
    a.textContent = title;
    li.appendChild(a);
    meta = meta.filter(Boolean).join(" · ");
    if (meta) { var m = document.createElement("span"); m.className = "meta"; m.textContent = " " + meta; li.appendChild(m); }
    if (snippet) li.appendChild(snippet);
    return li;
  }
  function show() {
    var more = checked < results.length;
    if (mode === "titles") $("result-count").textContent = results.length ? "找到 " + results.length + " 件" : "没有找到";
    else $("result-count").textContent = hits ? "找到 " + hits + (more ? " 件以上" : " 件") : (more ? "" : "没有找到");
    $("results").hidden = false;
    $("more").hidden = !more;
  }
  function clear() { $("result-list").textContent = ""; checked = 0; hits = 0; results = []; }

  // -- Pagefind (http, https) ---------------------------------------------------------------
  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(new URL(root + "pagefind/pagefind.js", location.href).href).then(function (pf) {
        return pf.options({ baseUrl: new URL(root || "./", location.href).pathname, excerptLength: 40 }).then(function () { return pf; });
      });
    }
    return pagefind;
  }
  // Pagefind ranks pages having any word of the query; a result is shown only when its text
  // holds every term of the query as typed (normalised), so 浙委办发〔2014〕8号 finds that
  // document and not every 浙委办发.  Candidates are checked in rank order, a few at a time.
  function morePagefind(mine) {
    var found = 0;
    function batch() {
      if (mine !== seq) return Promise.resolve();
      if (found >= PAGE || checked >= results.length) { show(); return Promise.resolve(); }
      var next = results.slice(checked, checked + PAGE);
      checked += next.length;
      return Promise.all(next.map(function (r) { return r.data(); })).then(function (data) {
        if (mine !== seq) return;
        data.forEach(function (d) {
          var text = normalise((d.meta && d.meta.title || "") + (d.content || ""));
          if (!terms.every(function (t) { return text.indexOf(t) >= 0; })) return;
          var m = d.meta || {};
          found += 1;
          hits += 1;
          $("result-list").appendChild(item(d.url, m.title || d.url, [m.doc_number, m.issuer, m.date], excerpt(d.excerpt || "")));
        });
        return batch();
      });
    }
    return batch();
  }
  function runPagefind(query, f, mine) {
    return loadPagefind().then(function (pf) {
      var options = {};  // no filters asked: Pagefind then loads none of the filter index
      if (Object.keys(f).length) options.filters = f;
      if (!query) options.sort = { date: "desc" };
      return pf.search(query || null, options);
    }).then(function (search) {
      if (mine !== seq || !search) return;
      clear();
      terms = query.split(/\s+/).map(normalise).filter(Boolean);
      results = search.results;
      return morePagefind(mine);
    });
  }

  // -- titles (file://) ---------------------------------------------------------------------
  function loadTitles() {
    if (!titles) {
      var n = parseInt(form.getAttribute("data-titles"), 10) || 0, loads = [];
      for (var k = 0; k < n; k++) {
        loads.push(new Promise(function (resolve, reject) {
          var s = document.createElement("script");
          s.src = root + "titles/" + k + ".js";
          s.onload = resolve;
          s.onerror = reject;
          document.head.appendChild(s);
        }));
      }
      titles = Promise.all(loads).then(function () {
        return (window.GONGWEN_TITLES || []).map(function (r) {
          return { url: r[0], title: r[1], doc_number: r[2], issuer: r[3], date: r[4], year: r[5], genre: r[6],
                   text: normalise(r[1] + " " + r[2] + " " + r[3]) };
        });
      });
    }
    return titles;
  }
  function moreTitles() {
    var next = results.slice(checked, checked + PAGE);
    checked += next.length;
    next.forEach(function (t) { $("result-list").appendChild(item(root + t.url, t.title, [t.doc_number, t.issuer, t.date], null)); });
    show();
  }
  function runTitles(query, f, mine) {
    return loadTitles().then(function (all) {
      if (mine !== seq) return;
      clear();
      terms = query.split(/\s+/).map(normalise).filter(Boolean);
      results = all.filter(function (t) {
        return (!f.year || t.year === f.year) && (!f.genre || t.genre === f.genre) && (!f.issuer || t.issuer === f.issuer) &&
          terms.every(function (term) { return t.text.indexOf(term) >= 0; });
      });
      moreTitles();
    });
  }

  function run() {
    var query = $("q").value.trim(), f = filters(), mine = ++seq;
    var preset = JSON.stringify(f) === form.getAttribute("data-preset");
    if (!query && preset) { clear(); $("results").hidden = true; return; }
    var done = mode === "titles" ? runTitles(query, f, mine) : runPagefind(query, f, mine);
    done.catch(function (err) {
      if (mine !== seq) return;
      clear();
      $("result-count").textContent = "检索暂不可用（" + err + "）；可按年度、发文机关浏览。";
      $("results").hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = $("search");
    if (!form) return;
    root = form.getAttribute("data-root") || "";
    mode = location.protocol === "file:" ? "titles" : "pagefind";
    form.setAttribute("data-preset", JSON.stringify(filters()));
    if (mode === "titles") {
      $("search-mode").textContent = "从本地文件打开：只检索标题、文号和发文机关。全文检索请通过网站访问（gongwen publish --serve）。";
      $("search-mode").hidden = false;
    }
    var timer = null;
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    $("q").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
    ["f-year", "f-genre", "f-issuer"].forEach(function (id) { $(id).addEventListener("change", run); });
    $("more").addEventListener("click", function () {
      if (mode === "titles") moreTitles(); else morePagefind(seq);
    });
    var params = new URLSearchParams(location.search);
    if (params.get("q")) { $("q").value = params.get("q"); run(); }
  });
})();
