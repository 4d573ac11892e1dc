/* policydiff redline page: views, deep links, keyboard. Never builds markup from strings:
   all page text is in the DOM already; this script only moves, clones, shows and hides it. */
(function () {
  "use strict";
  var body = document.body;
  body.classList.remove("nojs"); /* without script the page is the plain inline redline */
  var VIEWS = ["inline", "sbs", "changes"];
  var sbsBuilt = false;
  var current = null;
  var findingIndex = -1;
  var toastTimer = 0;
  var jumpY = -1; /* scroll position right after the last jump: unchanged means "still there" */

  function byId(id) { return id ? document.getElementById(id) : null; }
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function shown(el) { return !!(el && el.getClientRects().length); }
  function barHeight() { var bar = document.querySelector(".toolbar"); return bar ? bar.getBoundingClientRect().height : 0; }

  /* ---------------------------------------------------------------- views */
  function view() {
    for (var i = 0; i < VIEWS.length; i++) { if (body.classList.contains("view-" + VIEWS[i])) return VIEWS[i]; }
    return "inline";
  }
  function setView(name) {
    if (VIEWS.indexOf(name) < 0) name = "inline";
    if (name === "sbs") buildSideBySide();
    VIEWS.forEach(function (v) { body.classList.toggle("view-" + v, v === name); });
    all(".views button").forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === name)); });
  }
  function strip(node, tag) {
    all(tag, node).forEach(function (el) { el.parentNode.removeChild(el); });
    all("[id]", node).forEach(function (el) { el.removeAttribute("id"); });
  }
  function cell(inl, show, drop) {
    var div = document.createElement("div");
    div.className = "sc";
    if (show) {
      var copy = inl.cloneNode(true);
      copy.className = "sp";
      strip(copy, drop);
      div.appendChild(copy);
    } else {
      div.className = "sc empty";
    }
    return div;
  }
  /* Side by side is built once, on first use, by cloning each row's inline text: old = without
     insertions, new = without deletions. Nothing of it exists until a reader asks for it. */
  function buildSideBySide() {
    if (sbsBuilt) return;
    sbsBuilt = true;
    all(".row").forEach(function (row) {
      var inl = row.querySelector(".inl");
      if (!inl) return;
      var side = row.getAttribute("data-side") || "both";
      var wrap = document.createElement("div");
      wrap.className = "sbs";
      wrap.appendChild(cell(inl, side !== "new", "ins"));
      wrap.appendChild(cell(inl, side !== "old", "del"));
      row.appendChild(wrap);
    });
  }

  /* ---------------------------------------------------------------- jumping */
  function target(id) {
    if (!id) return null;
    var el = byId(id) || byId("old-" + id);
    if (!el && window.CSS && CSS.escape) {
      try { el = document.querySelector('[id$=":' + CSS.escape(id) + '"]'); } catch (e) { el = null; }
    }
    return el;
  }
  function flash(el) {
    el.classList.remove("hit");
    void el.offsetWidth;
    el.classList.add("hit");
  }
  function focusRow(row) {
    if (current && current !== row) current.classList.remove("current");
    current = row;
    row.classList.add("current");
    if (!row.hasAttribute("tabindex")) row.setAttribute("tabindex", "-1");
    try { row.focus({ preventScroll: true }); } catch (e) { /* old browsers */ }
  }
  /* Show the element (switching view or clearing filters when it is hidden) and scroll to it. */
  function go(id) {
    var el = target(id);
    if (!el) return false;
    var card = el.closest ? el.closest(".finding") : null;
    if (card) {
      if (!shown(el)) resetFilters();
      (card.querySelector(".fitem") === el ? card : el).scrollIntoView({ block: "start" });
      markFinding(card);
      flash(card);
      return true;
    }
    var row = (el.closest && el.closest(".row")) || el;
    if (!shown(row)) setView("inline");
    row.scrollIntoView({ block: "start" });
    jumpY = window.scrollY;
    if (row.classList.contains("row")) { focusRow(row); flash(row); }
    return true;
  }
  function setHash(id) {
    try { history.pushState(null, "", "#" + id); } catch (e) { /* file: pages in some browsers */ }
  }
  function hashId() {
    var h = location.hash.slice(1);
    try { return decodeURIComponent(h); } catch (e) { return h; }
  }

  /* ---------------------------------------------------------------- changes and findings */
  /* Material change rows, in page order. No view ever hides one, so no layout is needed to list them. */
  function changes() { return all(".row.chg:not(.minor)"); }
  /* First index in list whose top is below y (binary search: a few layouts, not one per row). */
  function firstBelow(list, y) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid].getBoundingClientRect().top > y) hi = mid; else lo = mid + 1;
    }
    return lo;
  }
  function toast(text, link) {
    var box = byId("toast");
    if (!box) return;
    box.querySelector(".toast-text").textContent = text;
    var a = box.querySelector(".toast-link");
    if (link) { a.hidden = false; a.setAttribute("href", link); } else { a.hidden = true; }
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.hidden = true; }, 4500);
  }
  function nextChange(dir) {
    var list = changes();
    if (!list.length) { toast("No material change in this view."); return; }
    var top = barHeight() + 14;
    var idx;
    var pos = current ? list.indexOf(current) : -1;
    if (pos >= 0 && Math.abs(window.scrollY - jumpY) < 2) {
      idx = pos + dir; /* the reader has not scrolled since the last jump */
    } else if (dir > 0) {
      idx = firstBelow(list, top + 4);
    } else {
      idx = firstBelow(list, top - 4) - 1;
    }
    if (idx < 0) { toast("This is the first change."); return; }
    if (idx >= list.length) { toast("This is the last change."); return; }
    var row = list[idx];
    row.scrollIntoView({ block: "start" });
    jumpY = window.scrollY;
    focusRow(row);
    flash(row);
    try { history.replaceState(null, "", "#" + row.id); } catch (e) { /* ignore */ }
    toast("Change " + (idx + 1) + " of " + list.length);
  }
  function markFinding(card) {
    all(".finding.current").forEach(function (c) { c.classList.remove("current"); });
    card.classList.add("current");
    var cards = visibleFindings();
    findingIndex = cards.indexOf(card);
  }
  function visibleFindings() { return all(".finding").filter(function (c) { return !c.hidden; }); }
  function nextFinding(dir) {
    var cards = visibleFindings();
    if (!cards.length) { toast("No finding to show."); return; }
    findingIndex = (findingIndex + dir + cards.length) % cards.length;
    var card = cards[findingIndex];
    all(".finding.current").forEach(function (c) { c.classList.remove("current"); });
    card.classList.add("current");
    var dest = (card.getAttribute("data-target") || "").slice(1);
    var items = all(".fitem", card).filter(function (i) { return !i.hidden; });
    var item = items[0] || card;
    var sev = item.getAttribute("data-sev") || "";
    var expl = item.querySelector(".expl");
    var num = item.querySelector(".num");
    var text = (num ? num.textContent + " · " : "") + sev.toUpperCase() + " · " +
      (item.getAttribute("data-cat") || "") + ": " + (expl ? expl.textContent : "") +
      (items.length > 1 ? " (+" + (items.length - 1) + " more here)" : "") +
      " · place " + (findingIndex + 1) + " of " + cards.length;
    if (dest && go(dest)) {
      try { history.replaceState(null, "", "#" + dest); } catch (e) { /* ignore */ }
      toast(text, "#" + item.id);
    } else {
      card.scrollIntoView({ block: "start" });
      flash(card);
      toast(text);
    }
  }

  /* ---------------------------------------------------------------- filters */
  function applyFilters() {
    var sevs = {};
    all('.filters input[name="sev"]').forEach(function (box) { sevs[box.value] = box.checked; });
    var cat = byId("f-cat") ? byId("f-cat").value : "";
    var doc = byId("f-doc") ? byId("f-doc").value : "";
    var items = all(".fitem");
    var count = 0;
    all(".finding").forEach(function (card) {
      var docOk = !doc || card.getAttribute("data-doc") === doc;
      var any = false;
      all(".fitem", card).forEach(function (item) {
        var ok = docOk && sevs[item.getAttribute("data-sev")] !== false && (!cat || item.getAttribute("data-cat") === cat);
        item.hidden = !ok;
        if (ok) { count++; any = true; }
      });
      card.hidden = !any;
    });
    var out = byId("f-shown");
    if (out) out.textContent = count === items.length ? "" : "showing " + count + " of " + items.length;
    findingIndex = -1;
  }
  function resetFilters() {
    all('.filters input[name="sev"]').forEach(function (box) { if (!box.disabled) box.checked = true; });
    if (byId("f-cat")) byId("f-cat").value = "";
    if (byId("f-doc")) byId("f-doc").value = "";
    applyFilters();
  }

  /* ---------------------------------------------------------------- help */
  var lastFocus = null;
  function help(open) {
    var box = byId("help");
    if (!box) return;
    if (open === undefined) open = box.hidden;
    if (open) { lastFocus = document.activeElement; box.hidden = false; byId("help-close").focus(); }
    else { box.hidden = true; if (lastFocus && lastFocus.focus) lastFocus.focus(); }
  }

  /* ---------------------------------------------------------------- events */
  function key(k, shift) {
    if (k === "n") nextChange(1);
    else if (k === "p") nextChange(-1);
    else if (k === "f") nextFinding(shift ? -1 : 1);
    else if (k === "F") nextFinding(-1);
    else if (k === "?") help();
    else if (k === "1") setView("inline");
    else if (k === "2") setView("sbs");
    else if (k === "3") setView("changes");
    else return false;
    return true;
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
    if (e.key === "Escape") { if (!byId("help").hidden) { help(false); e.preventDefault(); } return; }
    if (!byId("help").hidden && e.key !== "?") return;
    if (key(e.key, e.shiftKey)) e.preventDefault();
  });
  document.addEventListener("click", function (e) {
    var el = e.target;
    if (!el || !el.closest) return;
    var btn = el.closest("button[data-view]");
    if (btn) { setView(btn.getAttribute("data-view")); return; }
    btn = el.closest("button[data-key]");
    if (btn) { key(btn.getAttribute("data-key"), false); return; }
    btn = el.closest("button.fold");
    if (btn) {
      var first = btn.getAttribute("data-first");
      setView("inline");
      if (first) { go(first); setHash(first); }
      return;
    }
    if (el.closest("#help-close") || el === byId("help")) { help(false); return; }
    var a = el.closest('a[href^="#"]');
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var id = a.getAttribute("href").slice(1);
    try { id = decodeURIComponent(id); } catch (err) { /* keep raw */ }
    var card = a.closest(".finding");
    if (card) markFinding(card);
    if (target(id)) { e.preventDefault(); setHash(id); go(id); }
  });
  document.addEventListener("change", function (e) {
    if (e.target && e.target.closest && e.target.closest(".filters")) applyFilters();
  });
  window.addEventListener("popstate", function () { go(hashId()); });
  window.addEventListener("hashchange", function () { go(hashId()); });

  /* the toolbar wraps on narrow screens: keep sticky offsets equal to its real height */
  function fitBar() {
    var h = Math.ceil(barHeight());
    if (h) document.documentElement.style.setProperty("--bar", h + "px");
  }
  fitBar();
  window.addEventListener("resize", fitBar);

  if (location.hash.length > 1) go(hashId());
  window.policydiff = { go: go, setView: setView, view: view, next: nextChange, nextFinding: nextFinding };
})();
