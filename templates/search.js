// The site's search, in the browser, without a server of our own.
// Over http(s) it asks the site's index (search/, written by publish/textindex.py): the keys of
// the query (pairs of neighbouring characters) are looked up in the few shards that hold them,
// the item ids they share are the candidates, and each candidate's record (its text) is checked
// for every word as typed, ten at a time.  Filters (year, 文种, issuer) are keys as well.
// Opened from the disk (file://), where a page may not fetch files, it searches the titles,
// 文号 and issuers of titles/<n>.js instead, loaded as scripts.
(function () {
  "use strict";
  var PAGE = 10;  // results shown at a time
  var MAX_KEYS = 12;  // textindex.MAX_QUERY_KEYS
  var FILTER = "\u0001", TITLE = "\u0002", SHORT = { year: "y", issuer: "i", genre: "g" };
  var form, root, mode, seq = 0, manifest = null, shards = {}, titles = null;
  // the current search: its words, candidates, how many were checked, how many matched,
  // and whether the keys alone decide (every word one or two characters: nothing to check)
  var terms = [], results = [], checked = 0, hits = 0, exact = false;

  function $(id) { return document.getElementById(id); }
  // as textindex.normalise: NFKC (full-width digits and Latin to ASCII), lower case, no white
  // space nor invisible format characters
  function normalise(s) {
    return (s || "").normalize("NFKC").toLowerCase().replace(/[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+/g, "");
  }
  function runs(s) { return s.match(/[\p{L}\p{N}]+/gu) || []; }
  function filters() {
    var f = {};
    [["year", "f-year"], ["genre", "f-genre"], ["issuer", "f-issuer"]].forEach(function (p) {
      var v = $(p[1]).value;
      if (v) f[p[0]] = v;
    });
    return f;
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
    if (mode === "titles" || exact) $("result-count").textContent = results.length ? "找到 " + results.length + " 件" : "没有找到";
    else $("result-count").textContent = hits ? "找到 " + hits + (more ? " 件以上" : " 件") : (more ? "" : "没有找到");
    $("results").hidden = false;
    $("more").hidden = !more;
  }
  function clear() { $("result-list").textContent = ""; checked = 0; hits = 0; results = []; }

  // -- the site's index (http, https) -------------------------------------------------------
  function fetchPacked(path) {  // gzip-compressed JSON, fetched as bytes and decompressed here
    return fetch(root + path + "?v=" + manifest.stamp).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).json();
    });
  }
  function loadManifest() {
    if (!manifest) {
      manifest = fetch(root + "search/index.json", { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error("search/index.json: " + r.status);
        return r.json();
      }).then(function (m) { manifest = m; return m; }, function (e) { manifest = null; throw e; });
    }
    return Promise.resolve(manifest);
  }
  function fnv1a(key) {  // textindex.fnv1a
    var h = 0x811c9dc5, bytes = new TextEncoder().encode(key);
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function shard(n) {
    if (!shards[n]) shards[n] = fetchPacked("search/k/" + n + ".gw").catch(function (e) { delete shards[n]; throw e; });
    return shards[n];
  }
  // as textindex.query_keys: each run's pairs (or its one character), spread when too many
  function queryKeys(words, limit) {
    var keys = [];
    words.forEach(function (w) {
      runs(w).forEach(function (run) {
        var c = Array.from(run);
        if (c.length === 1) keys.push(c[0]);
        for (var i = 0; i + 1 < c.length; i++) keys.push(c[i] + c[i + 1]);
      });
    });
    keys = keys.filter(function (k, i) { return keys.indexOf(k) === i; });
    if (keys.length <= limit) return keys;
    var step = (keys.length - 1) / (limit - 1), spread = [];
    for (var k = 0; k < limit; k++) spread.push(keys[Math.round(k * step)]);
    return spread;
  }
  function ids(gaps) {
    var out = new Array(gaps.length), last = 0;
    for (var i = 0; i < gaps.length; i++) { last += gaps[i]; out[i] = last; }
    return out;
  }
  function intersect(lists) {
    lists.sort(function (a, b) { return a.length - b.length; });
    var found = lists[0];
    for (var k = 1; k < lists.length && found.length; k++) {
      var other = new Set(lists[k]);
      found = found.filter(function (i) { return other.has(i); });
    }
    return found;
  }
  // an excerpt around the first word found: text, with <mark> around the word
  function excerpt(text) {
    var p = document.createElement("p"), flat = text.replace(/\s+/g, " ").normalize("NFKC"), low = flat.toLowerCase();
    var at = -1, len = 0;
    terms.some(function (t) { at = low.indexOf(t); len = t.length; return at >= 0; });
    p.className = "snippet";
    if (at < 0) { p.textContent = flat.slice(0, 80) + (flat.length > 80 ? "…" : ""); return p; }
    var start = Math.max(0, at - 30), m = document.createElement("mark");
    p.appendChild(document.createTextNode((start ? "…" : "") + flat.slice(start, at)));
    m.textContent = flat.slice(at, at + len);
    p.appendChild(m);
    p.appendChild(document.createTextNode(flat.slice(at + len, at + len + 50) + (at + len + 50 < flat.length ? "…" : "")));
    return p;
  }
  function moreIndex(mine) {
    var found = 0;
    function batch() {
      if (mine !== seq) return Promise.resolve();
      if (found >= PAGE || checked >= results.length) { show(); return Promise.resolve(); }
      var next = results.slice(checked, checked + PAGE);
      checked += next.length;
      return Promise.all(next.map(function (id) {
        return fetchPacked("search/t/" + Math.floor(id / 1000) + "/" + id + ".gw");
      })).then(function (records) {
        if (mine !== seq) return;
        records.forEach(function (r) {
          var text = normalise(r.t + "\n" + r.x);  // textindex.record_text
          if (!terms.every(function (t) { return text.indexOf(t) >= 0; })) return;
          found += 1;
          hits += 1;
          $("result-list").appendChild(item(root + r.u, r.t || r.u, [r.n, r.i, r.d], terms.length ? excerpt(r.x) : null));
        });
        return batch();
      });
    }
    return batch();
  }
  // the items whose title holds the words first, then the others; each group in id order
  function runIndex(query, f, mine) {
    var words = query.split(/\s+/).map(normalise).filter(Boolean);
    var keys = queryKeys(words, MAX_KEYS);
    // one or two characters a word, every key looked up: the keys decide, nothing to check
    var decided = keys.length === queryKeys(words, Infinity).length && words.every(function (w) {
      var r = runs(w);
      return r.length === 1 && r[0] === w && Array.from(w).length <= 2;
    });
    var given = Object.keys(f).map(function (name) { return FILTER + SHORT[name] + f[name]; });
    var titleKeys = keys.map(function (k) { return TITLE + k; });
    var all = keys.concat(titleKeys, given);
    return loadManifest().then(function (m) {
      return Promise.all(all.map(function (k) { return shard(fnv1a(k) % m.shards); }));
    }).then(function (loaded) {
      if (mine !== seq) return;
      var lists = {};
      all.forEach(function (k, i) { lists[k] = ids(loaded[i][k] || []); });
      function having(ks) { return ks.length ? intersect(ks.map(function (k) { return lists[k]; })) : []; }
      clear();
      terms = words;
      exact = decided;
      var inTitle = keys.length ? having(titleKeys.concat(given)) : [], first = new Set(inTitle);
      results = inTitle.concat(having(keys.concat(given)).filter(function (i) { return !first.has(i); }));
      return moreIndex(mine);
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
    var done = mode === "titles" ? runTitles(query, f, mine) : runIndex(query, f, mine);
    done.catch(function (err) {
      if (mine !== seq) return;
      clear();
      $("result-count").textContent = "检索暂不可用（" + err + "）；可按年度、发文机关浏览。";
      $("results").hidden = false;
    });
  }

  // the rules the index was built by, for the tests to hold against textindex.py's
  window.GONGWEN_SEARCH = { normalise: normalise, queryKeys: queryKeys, fnv1a: fnv1a, maxKeys: MAX_KEYS };

  document.addEventListener("DOMContentLoaded", function () {
    form = $("search");
    if (!form) return;
    root = form.getAttribute("data-root") || "";
    // the titles where the index cannot be read: from the disk, or in a browser that cannot
    // decompress (before Chrome 80, Firefox 113, Safari 16.4)
    var local = location.protocol === "file:";
    mode = local || typeof DecompressionStream === "undefined" ? "titles" : "index";
    form.setAttribute("data-preset", JSON.stringify(filters()));
    if (mode === "titles") {
      $("search-mode").textContent = local
        ? "从本地文件打开：只检索标题、文号和发文机关。全文检索请通过网站访问（gongwen publish --serve）。"
        : "此浏览器版本较旧，只检索标题、文号和发文机关。";
      $("search-mode").hidden = false;
    }
    var timer = null;
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    $("q").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
    ["f-year", "f-genre", "f-issuer"].forEach(function (id) { $(id).addEventListener("change", run); });
    $("more").addEventListener("click", function () {
      if (mode === "titles") moreTitles(); else moreIndex(seq);
    });
    var params = new URLSearchParams(location.search);
    if (params.get("q")) { $("q").value = params.get("q"); run(); }
  });
})();
