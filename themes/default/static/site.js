/* majors default theme: search, "/" to search, link previews, print button.
   Everything here is an enhancement; every page works without it. */
(function () {
  "use strict";
  var docsPromise = null;
  function loadDocs() {
    if (!docsPromise) {
      docsPromise = fetch("/search/docs.json").then(function (r) {
        if (!r.ok) throw new Error("search index missing");
        return r.json();
      });
    }
    return docsPromise;
  }
  function tokenize(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function shardOf(term) {
    var c = term.charAt(0);
    return /^[a-z0-9]$/.test(c) ? c : "_";
  }
  var shardCache = {};
  function loadShard(name, available) {
    if (available.indexOf(name) < 0) return Promise.resolve({});
    if (!shardCache[name]) {
      shardCache[name] = fetch("/search/terms-" + encodeURIComponent(name) + ".json").then(function (r) { return r.json(); });
    }
    return shardCache[name];
  }
  var textCache = {};
  function loadText(bundle) {
    if (!textCache[bundle]) {
      textCache[bundle] = fetch("/search/text-" + bundle + ".json").then(function (r) { return r.json(); });
    }
    return textCache[bundle];
  }
  /* Every query token must match some indexed term as a prefix (so "art" finds "article"). */
  function search(query, index) {
    var tokens = tokenize(query);
    if (!tokens.length) return Promise.resolve([]);
    return Promise.all(tokens.map(function (t) { return loadShard(shardOf(t), index.shards); })).then(function (shards) {
      var sets = tokens.map(function (t, i) {
        var hits = {};
        var shard = shards[i];
        Object.keys(shard).forEach(function (term) {
          if (term.lastIndexOf(t, 0) === 0) shard[term].forEach(function (d) { hits[d] = (hits[d] || 0) + (term === t ? 2 : 1); });
        });
        return hits;
      });
      var result = [];
      Object.keys(sets[0]).forEach(function (d) {
        var score = 0;
        for (var i = 0; i < sets.length; i++) {
          if (!sets[i][d]) return;
          score += sets[i][d];
        }
        var doc = index.docs[d];
        var title = doc.t.toLowerCase();
        tokens.forEach(function (t) { if (title.indexOf(t) >= 0) score += 10; });
        result.push({ id: Number(d), doc: doc, score: score });
      });
      result.sort(function (a, b) { return b.score - a.score || a.doc.t.localeCompare(b.doc.t); });
      return result;
    });
  }
  function snippet(text, tokens) {
    var lower = text.toLowerCase();
    var at = -1, len = 0;
    tokens.forEach(function (t) {
      var i = lower.search(new RegExp("(^|[^\\p{L}\\p{N}])" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u"));
      if (i >= 0 && (at < 0 || i < at)) { at = i === 0 ? 0 : i + 1; len = t.length; }
    });
    if (at < 0) return null;
    var start = Math.max(0, at - 70), end = Math.min(text.length, at + len + 90);
    var frag = document.createDocumentFragment();
    frag.appendChild(document.createTextNode((start > 0 ? "…" : "") + text.slice(start, at)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + len);
    frag.appendChild(mark);
    frag.appendChild(document.createTextNode(text.slice(at + len, end) + (end < text.length ? "…" : "")));
    return frag;
  }
  function setupSearchPage() {
    var list = document.getElementById("search-results");
    if (!list) return;
    var params = new URLSearchParams(location.search);
    var q = params.get("q") || "", type = params.get("type") || "", country = params.get("country") || "";
    var input = document.getElementById("q");
    var status = document.getElementById("search-status");
    var typeSel = document.getElementById("filter-type"), countrySel = document.getElementById("filter-country");
    input.value = q;
    loadDocs().then(function (index) {
      var types = {}, countries = {};
      index.docs.forEach(function (d) { types[d.y] = 1; if (d.c) countries[d.c] = 1; });
      Object.keys(types).sort().forEach(function (t) { typeSel.add(new Option(t, t, false, t === type)); });
      Object.keys(countries).sort().forEach(function (c) { countrySel.add(new Option(c, c, false, c === country)); });
      if (!q) return;
      return search(q, index).then(function (hits) {
        hits = hits.filter(function (h) { return (!type || h.doc.y === type) && (!country || h.doc.c === country); });
        status.textContent = hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + q + "”";
        var top = hits.slice(0, 50);
        top.forEach(function (h) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = h.doc.u;
          a.textContent = h.doc.t;
          var meta = document.createElement("span");
          meta.className = "result-type";
          meta.textContent = h.doc.y + (h.doc.c ? " · " + h.doc.c : "");
          var p = document.createElement("p");
          p.className = "result-snippet";
          p.textContent = h.doc.s;
          li.appendChild(a); li.appendChild(meta); li.appendChild(p);
          list.appendChild(li);
          loadText(Math.floor(h.id / index.bundle)).then(function (texts) {
            var frag = snippet(texts[h.id % index.bundle] || "", tokenize(q));
            if (frag) { p.textContent = ""; p.appendChild(frag); }
          });
        });
      });
    }).catch(function () { status.textContent = "The search index could not be loaded."; });
    list.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      var next = e.key === "ArrowDown" ? Math.min(links.length - 1, i + 1) : Math.max(0, i - 1);
      if (links[next]) { links[next].focus(); e.preventDefault(); }
    });
    input.addEventListener("keydown", function (e) {
      var first = list.querySelector("a");
      if (e.key === "ArrowDown" && first) { first.focus(); e.preventDefault(); }
    });
  }
  /* "/" focuses the search box, as on most documentation sites. */
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("q") || document.getElementById("search-input");
    if (box) { e.preventDefault(); box.focus(); }
  });
  /* Link previews: title and summary of an internal target, on hover and on keyboard focus. */
  var tip = null, owner = null;
  function hideTip() {
    if (tip) { tip.remove(); tip = null; }
    if (owner) { owner.removeAttribute("aria-describedby"); owner = null; }
  }
  function showTip(a) {
    var url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname === location.pathname || a.closest(".site-nav, .breadcrumbs, .search-results")) return;
    loadDocs().then(function (index) {
      var doc = null;
      for (var i = 0; i < index.docs.length; i++) if (index.docs[i].u === url.pathname) { doc = index.docs[i]; break; }
      if (!doc || (document.activeElement !== a && !a.matches(":hover"))) return;
      hideTip();
      tip = document.createElement("div");
      tip.id = "link-preview";
      tip.className = "link-preview";
      tip.setAttribute("role", "tooltip");
      var strong = document.createElement("strong");
      strong.textContent = doc.t;
      var kind = document.createElement("span");
      kind.className = "result-type";
      kind.textContent = doc.y;
      var p = document.createElement("p");
      p.textContent = doc.s;
      tip.appendChild(strong); tip.appendChild(kind); tip.appendChild(p);
      document.body.appendChild(tip);
      var r = a.getBoundingClientRect();
      tip.style.left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8)) + "px";
      tip.style.top = (window.scrollY + r.bottom + 6) + "px";
      owner = a;
      a.setAttribute("aria-describedby", "link-preview");
    }).catch(function () {});
  }
  function previewTarget(e) {
    return e.target && e.target.closest ? e.target.closest("main a[href^='/']") : null;
  }
  document.addEventListener("mouseover", function (e) { var a = previewTarget(e); if (a) showTip(a); });
  document.addEventListener("focusin", function (e) { var a = previewTarget(e); if (a) showTip(a); else hideTip(); });
  document.addEventListener("mouseout", function (e) { if (previewTarget(e) === owner) hideTip(); });
  document.addEventListener("focusout", function (e) { if (previewTarget(e) === owner) hideTip(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hideTip(); });
  document.addEventListener("click", function (e) {
    if (e.target && e.target.matches && e.target.matches("[data-print]")) window.print();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupSearchPage);
  else setupSearchPage();
})();
