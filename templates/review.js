// gongwen review: keyboard navigation and the box of the focused value on the scan.
// Everything works without this script (forms POST); it only adds convenience.
(function () {
  "use strict";

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT");
  }

  // -- the queue: j/k move, Enter opens --------------------------------------------------------
  function queuePage() {
    var rows = Array.prototype.slice.call(document.querySelectorAll(".queue-table tbody tr[data-href]"));
    if (!rows.length) return;
    var cursor = 0;
    function show() {
      rows.forEach(function (r, i) { r.classList.toggle("cursor", i === cursor); });
      rows[cursor].scrollIntoView({ block: "nearest" });
    }
    show();
    document.addEventListener("keydown", function (ev) {
      if (typing(document.activeElement) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === "j") { cursor = Math.min(cursor + 1, rows.length - 1); show(); ev.preventDefault(); }
      else if (ev.key === "k") { cursor = Math.max(cursor - 1, 0); show(); ev.preventDefault(); }
      else if (ev.key === "Enter" || ev.key === "o") { window.location.href = rows[cursor].dataset.href; ev.preventDefault(); }
    });
  }

  // -- an item: the focused value's box on its page, j/k, n/p, a --------------------------------
  function highlight(edit) {
    document.querySelectorAll(".overlay .hl").forEach(function (r) { r.setAttribute("visibility", "hidden"); });
    document.querySelectorAll(".edit.selected").forEach(function (e) { e.classList.remove("selected"); });
    edit.classList.add("selected");
    var page = edit.dataset.page, bbox = edit.dataset.bbox;
    if (!page || !bbox) return;
    var fig = document.getElementById("page-" + page);
    var rect = fig && fig.querySelector(".overlay .hl");
    if (!rect) return;
    var b = bbox.split(",").map(Number);
    rect.setAttribute("x", b[0]); rect.setAttribute("y", b[1]);
    rect.setAttribute("width", b[2] - b[0]); rect.setAttribute("height", b[3] - b[1]);
    rect.setAttribute("visibility", "visible");
    var img = fig.querySelector("img");
    if (img && img.loading === "lazy") img.loading = "eager";
    var scan = document.querySelector(".scan");
    var box = fig.querySelector(".overlay").getBoundingClientRect();
    var scale = box.height / fig.querySelector(".overlay").viewBox.baseVal.height;
    var top = box.top - scan.getBoundingClientRect().top + scan.scrollTop + b[1] * scale;
    scan.scrollTo({ top: Math.max(0, top - scan.clientHeight / 3), behavior: "auto" });
  }

  function itemPage() {
    var form = document.getElementById("f-save");
    var inputs = Array.prototype.slice.call(document.querySelectorAll(".fields .field-input"));
    var dirty = false, submitting = false, last = -1;
    inputs.forEach(function (input, i) {
      input.addEventListener("focus", function () { last = i; highlight(input.closest(".edit")); });
      input.addEventListener("input", function () { dirty = true; });
    });
    form.addEventListener("submit", function () { submitting = true; });
    document.querySelectorAll("form").forEach(function (f) { f.addEventListener("submit", function () { submitting = true; }); });
    window.addEventListener("beforeunload", function (ev) {
      if (dirty && !submitting) { ev.preventDefault(); ev.returnValue = ""; }
    });
    var selected = document.querySelector(".edit.selected .field-input");
    if (selected) { selected.focus(); }

    function move(step) {  // from the value last edited (Esc leaves it, j/k go on from it)
      var i = last;
      var next = inputs[i < 0 ? (step > 0 ? 0 : inputs.length - 1) : Math.min(Math.max(i + step, 0), inputs.length - 1)];
      if (next) { next.focus(); if (next.select) next.select(); }
    }
    function go(id) {
      var a = document.getElementById(id);
      if (a) window.location.href = a.href;
    }
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var active = document.activeElement;
      if (typing(active)) {
        if (ev.key === "Escape") { active.blur(); ev.preventDefault(); }
        else if (ev.key === "Enter" && active.tagName === "TEXTAREA" && !ev.shiftKey) { form.requestSubmit(document.getElementById("save")); ev.preventDefault(); }
        return;
      }
      if (ev.key === "j") { move(1); ev.preventDefault(); }
      else if (ev.key === "k") { move(-1); ev.preventDefault(); }
      else if (ev.key === "n") { go("next-item"); ev.preventDefault(); }
      else if (ev.key === "p") { go("prev-item"); ev.preventDefault(); }
      else if (ev.key === "a") { form.requestSubmit(document.getElementById("approve")); ev.preventDefault(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.classList.contains("queue-page")) queuePage();
    if (document.body.classList.contains("item-page")) itemPage();
  });
})();
