/* majors default theme: full-text search, "/" to search, link previews, print button.
   Everything here is an enhancement: every page reads and navigates without it.
   The search index format is documented in src/search/mod.rs. */
(function () {
  "use strict";
  var PAGE = 10;

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }
  function memo(fn) {
    var cache = {};
    return function (key) {
      if (!(key in cache)) cache[key] = fn(key);
      return cache[key];
    };
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* Confidence marks in plain text (search results carry them as written) become the badges
     the pages show: the search index lists the site's marks (markdown.marks in site.yaml). */
  var MARKS = [];
  function setMarks(marks) { MARKS = marks || []; }
  function badge(mark) {
    var b = el("span", mark["class"] ? "conf " + mark["class"] : "conf", mark.label);
    if (mark.title) b.title = mark.title;
    return b;
  }
  function withMarks(text) {
    var frag = document.createDocumentFragment(), at = 0;
    while (MARKS.length) {
      var best = -1, mark = null;
      MARKS.forEach(function (k) {
        var i = text.indexOf(k.text, at);
        if (i >= 0 && (best < 0 || i < best || (i === best && k.text.length > mark.text.length))) { best = i; mark = k; }
      });
      if (best < 0) break;
      frag.appendChild(document.createTextNode(text.slice(at, best)));
      frag.appendChild(badge(mark));
      at = best + mark.text.length;
    }
    frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }

  /* ---- Search ---------------------------------------------------------------------- */
  var manifest = memo(function () { return getJSON("/search/index.json"); });
  var shard = memo(function (i) { return getJSON("/search/terms-" + i + ".json"); });
  var bundle = memo(function (i) { return getJSON("/search/docs-" + i + ".json"); });

  function tokenize(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function isLong(t) { return Array.from(t).length >= 3; }
  /* Shards that may hold `t` (exact) or, for tokens of 3+ characters, terms starting with it. */
  function shardsFor(keys, t) {
    var out = [];
    keys.forEach(function (k, i) {
      if (t.lastIndexOf(k, 0) === 0 || (isLong(t) && k.lastIndexOf(t, 0) === 0)) out.push(i);
    });
    return out;
  }
  /* doc id -> score for one token; prefix matches count half. */
  function scoreToken(t, shards) {
    var scores = {};
    shards.forEach(function (terms) {
      Object.keys(terms).forEach(function (term) {
        var factor = term === t ? 1 : (isLong(t) && term.lastIndexOf(t, 0) === 0 ? 0.5 : 0);
        if (!factor) return;
        var list = terms[term], doc = 0;
        for (var i = 0; i < list.length; i += 2) {
          doc += list[i];
          var s = list[i + 1] * factor;
          if (!(scores[doc] >= s)) scores[doc] = s;
        }
      });
    });
    return scores;
  }
  /* Every token must match; results sorted by summed weight, then page order. */
  function runQuery(m, query) {
    var tokens = tokenize(query);
    if (!tokens.length) return Promise.resolve([]);
    return Promise.all(tokens.map(function (t) {
      return Promise.all(shardsFor(m.shards, t).map(shard)).then(function (s) { return scoreToken(t, s); });
    })).then(function (per) {
      per.sort(function (a, b) { return Object.keys(a).length - Object.keys(b).length; });
      var hits = [];
      Object.keys(per[0]).forEach(function (d) {
        var score = 0;
        for (var i = 0; i < per.length; i++) {
          if (per[i][d] === undefined) return;
          score += per[i][d];
        }
        hits.push({ id: Number(d), score: score });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return hits;
    });
  }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  /* A window of text around the first match of the phrase, else of any token, with <mark>s. */
  function snippet(text, query) {
    var tokens = tokenize(query);
    if (!text || !tokens.length) return null;
    var words = tokens.map(escapeRe);
    var phrase = new RegExp("(?<![\\p{L}\\p{N}])" + words.join("[^\\p{L}\\p{N}]+"), "iu");
    var any = new RegExp("(?<![\\p{L}\\p{N}])(?:" + words.join("|") + ")", "iu");
    var m = phrase.exec(text) || any.exec(text);
    if (!m) return null;
    var start = Math.max(0, m.index - 80), end = Math.min(text.length, m.index + m[0].length + 120);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var part = text.slice(start, end);
    var every = new RegExp("(?<![\\p{L}\\p{N}])(?:" + words.join("|") + ")[\\p{L}\\p{N}]*", "giu");
    var frag = document.createDocumentFragment(), at = 0, hit;
    frag.appendChild(document.createTextNode(start > 0 ? "… " : ""));
    while ((hit = every.exec(part))) {
      frag.appendChild(withMarks(part.slice(at, hit.index)));
      frag.appendChild(el("mark", null, hit[0]));
      at = hit.index + hit[0].length;
    }
    frag.appendChild(withMarks(part.slice(at) + (end < text.length ? " …" : "")));
    return frag;
  }
  function renderHit(m, hit, query) {
    var li = el("li"), b = Math.floor(hit.id / m.bundle);
    var a = el("a");
    var meta = el("span", "result-type", [m.types[m.t[hit.id]]].concat(m.facets.filter(function (f) {
      return f.of[hit.id] >= 0;
    }).map(function (f) { return f.values[f.of[hit.id]]; })).join(" · "));
    var p = el("p", "result-snippet");
    li.appendChild(a); li.appendChild(meta); li.appendChild(p);
    return bundle(b).then(function (docs) {
      var d = docs[hit.id % m.bundle];
      a.href = d[0];
      a.textContent = d[1];
      var frag = snippet(d[3], query);
      p.appendChild(frag || withMarks(d[2]));
      return li;
    });
  }

  function setupSearchPage() {
    var list = document.getElementById("search-results");
    if (!list) return;
    var form = document.getElementById("search-form");
    var input = document.getElementById("q"), status = document.getElementById("search-status");
    var typeSel = document.getElementById("filter-type");
    // One select per facet of the index (`search.facets` in site.yaml), after the type's.
    var facetSels = [];
    var more = document.getElementById("search-more");
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    // What the page says before a word is typed (the theme's partials/search-hint.html).
    var hint = status.textContent.trim();
    var state = { hits: [], shown: 0, query: "" }, generation = 0;

    function showMore(m) {
      var slice = state.hits.slice(state.shown, state.shown + PAGE), gen = generation;
      state.shown += slice.length;
      more.hidden = state.shown >= state.hits.length;
      return Promise.all(slice.map(function (h) { return renderHit(m, h, state.query); })).then(function (items) {
        if (gen !== generation) return;
        items.forEach(function (li) { list.appendChild(li); });
        return items[0];
      });
    }
    function update(m, push) {
      var q = input.value.trim(), type = typeSel.value;
      var chosen = facetSels.map(function (s) { return s.value; });
      var gen = ++generation;
      if (push) {
        var p = new URLSearchParams();
        if (q) p.set("q", q);
        if (type) p.set("type", type);
        facetSels.forEach(function (s) { if (s.value) p.set(s.name, s.value); });
        history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p : ""));
      }
      if (!q) { list.textContent = ""; more.hidden = true; status.textContent = hint; return; }
      var started = performance.now();
      runQuery(m, q).then(function (hits) {
        if (gen !== generation) return;
        var ti = m.types.indexOf(type);
        var want = m.facets.map(function (f, k) { return chosen[k] ? f.values.indexOf(chosen[k]) : -2; });
        state = {
          hits: hits.filter(function (h) {
            return (!type || m.t[h.id] === ti) && m.facets.every(function (f, k) { return want[k] === -2 || f.of[h.id] === want[k]; });
          }),
          shown: 0, query: q,
        };
        list.textContent = "";
        var n = state.hits.length;
        status.textContent = n + " result" + (n === 1 ? "" : "s") + " for “" + q + "”" +
          (type ? " · " + type : "") + chosen.filter(Boolean).map(function (v) { return " · " + v; }).join("") +
          " (" + Math.max(1, Math.round(performance.now() - started)) + " ms)";
        return showMore(m);
      }).catch(function () { status.textContent = "The search index could not be loaded."; });
    }

    manifest().then(function (m) {
      setMarks(m.marks);
      m.types.slice().sort().forEach(function (t) { typeSel.add(new Option(t, t, false, t === params.get("type"))); });
      var after = typeSel.parentNode;
      m.facets.forEach(function (f) {
        var field = el("div", "search-field"), label = el("label", null, f.label), sel = el("select");
        sel.id = "filter-" + f.name; sel.name = f.name; label.htmlFor = sel.id;
        sel.add(new Option("Any " + f.label.toLowerCase(), ""));
        f.values.slice().sort().forEach(function (v) { sel.add(new Option(v, v, false, v === params.get(f.name))); });
        field.appendChild(label); field.appendChild(sel);
        after.parentNode.insertBefore(field, after.nextSibling);
        after = field;
        facetSels.push(sel);
      });
      var timer = null;
      input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { update(m, true); }, 120); });
      typeSel.addEventListener("change", function () { update(m, true); });
      facetSels.forEach(function (s) { s.addEventListener("change", function () { update(m, true); }); });
      form.addEventListener("submit", function (e) { e.preventDefault(); update(m, true); });
      more.addEventListener("click", function () {
        showMore(m).then(function (first) { if (first) first.querySelector("a").focus(); });
      });
      update(m, false);
    }).catch(function () { status.textContent = "The search index could not be loaded."; });

    /* Arrow keys move between the box and the results. */
    list.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("li > a"));
      var i = links.indexOf(document.activeElement);
      if (i < 0) return;
      e.preventDefault();
      if (e.key === "ArrowUp" && i === 0) input.focus();
      else links[Math.max(0, Math.min(links.length - 1, i + (e.key === "ArrowDown" ? 1 : -1)))].focus();
    });
    input.addEventListener("keydown", function (e) {
      var first = list.querySelector("li > a");
      if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
    });
  }

  /* "/" focuses the search box, as on most documentation sites. */
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("q") || document.getElementById("search-input");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });

  /* ---- Link previews ---------------------------------------------------------------- */
  /* Title, type and summary of an internal link's target (or of the section its #anchor
     names), read from the target page itself: no site-wide index to download. */
  var fetchPage = memo(function (path) {
    return fetch(path).then(function (r) {
      if (!r.ok) throw new Error(path);
      return r.text();
    }).then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
  });
  function textOf(node) {
    var c = node.cloneNode(true);
    Array.prototype.forEach.call(c.querySelectorAll(".anchor"), function (a) { a.remove(); });
    return c.textContent.replace(/\s+/g, " ").trim();
  }
  function clip(s, n) { return s.length > n ? s.slice(0, s.lastIndexOf(" ", n) > 0 ? s.lastIndexOf(" ", n) : n) + " …" : s; }
  /* A node's text as a fragment, with its confidence badges kept as badges, clipped to about
     `n` characters of text. */
  function richOf(node, n) {
    var frag = document.createDocumentFragment(), left = n;
    (function walk(x) {
      Array.prototype.forEach.call(x.childNodes, function (c) {
        if (left <= 0) return;
        if (c.nodeType === 3) {
          var t = c.textContent.replace(/\s+/g, " ");
          if (t.length > left) { t = clip(t, left); left = 0; } else left -= t.length;
          frag.appendChild(document.createTextNode(t));
        } else if (c.nodeType === 1 && c.classList.contains("conf")) {
          frag.appendChild(c.cloneNode(true));
        } else if (c.nodeType === 1 && !c.classList.contains("anchor")) {
          walk(c);
        }
      });
    })(node);
    return frag;
  }
  function previewOf(doc, hash) {
    var main = doc.querySelector("main");
    if (!main) return null;
    var h1 = main.querySelector("h1"), kicker = main.querySelector(".kicker"), lede = main.querySelector(".lede");
    var out = { kind: kicker ? textOf(kicker) : "", title: h1 ? textOf(h1) : doc.title, section: "", text: lede };
    var target = hash ? doc.getElementById(decodeURIComponent(hash.slice(1))) : null;
    if (target && /^H[2-6]$/.test(target.tagName)) {
      out.section = textOf(target);
      for (var n = target.nextElementSibling; n && !/^H[1-6]$/.test(n.tagName); n = n.nextElementSibling) {
        if (n.tagName === "P") { out.text = n; break; }
      }
    } else if (!out.text) {
      out.text = main.querySelector(".content p");
    }
    out.text = out.text ? richOf(out.text, 280) : null;
    return out;
  }
  var tip = null, owner = null, hoverTimer = null;
  function hideTip() {
    clearTimeout(hoverTimer);
    if (tip) { tip.remove(); tip = null; }
    if (owner) { owner.removeAttribute("aria-describedby"); owner = null; }
  }
  function showTip(a) {
    var url = new URL(a.href, location.href);
    if (url.origin !== location.origin || (url.pathname === location.pathname && !url.hash)) return;
    if (url.pathname === location.pathname && url.hash) {
      var local = document.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (!local) return;
    }
    fetchPage(url.pathname).then(function (doc) {
      var info = previewOf(doc, url.hash);
      if (!info || (document.activeElement !== a && !a.matches(":hover"))) return;
      hideTip();
      tip = el("div", "link-preview");
      tip.id = "link-preview";
      tip.setAttribute("role", "tooltip");
      if (info.kind) tip.appendChild(el("span", "preview-kind", info.kind));
      tip.appendChild(el("strong", null, info.title));
      if (info.section) tip.appendChild(el("span", "preview-section", info.section));
      if (info.text && info.text.textContent) { var tp = el("p"); tp.appendChild(info.text); tip.appendChild(tp); }
      document.body.appendChild(tip);
      var r = a.getBoundingClientRect(), w = document.documentElement.clientWidth;
      tip.style.left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + w - tip.offsetWidth - 8)) + "px";
      var below = window.scrollY + r.bottom + 6;
      var above = window.scrollY + r.top - tip.offsetHeight - 6;
      tip.style.top = (r.bottom + tip.offsetHeight + 12 > window.innerHeight && above > window.scrollY ? above : below) + "px";
      owner = a;
      a.setAttribute("aria-describedby", "link-preview");
    }).catch(function () {});
  }
  function previewTarget(e) {
    var a = e.target && e.target.closest ? e.target.closest("main a[href]") : null;
    if (!a || a.classList.contains("anchor") || a.closest(".breadcrumbs, .search-results, .toc")) return null;
    var href = a.getAttribute("href");
    return /^(\/|#)/.test(href) && !/\.(json|xml|png|pdf)$/.test(href.split("#")[0]) ? a : null;
  }
  document.addEventListener("mouseover", function (e) {
    var a = previewTarget(e);
    if (!a || a === owner) return;
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(function () { showTip(a); }, 150);
  });
  document.addEventListener("mouseout", function (e) {
    var a = previewTarget(e);
    if (!a) return;
    if (e.relatedTarget && a.contains(e.relatedTarget)) return;
    clearTimeout(hoverTimer);
    if (a === owner && document.activeElement !== a) hideTip();
  });
  document.addEventListener("focusin", function (e) { var a = previewTarget(e); if (a) showTip(a); else hideTip(); });
  document.addEventListener("focusout", function (e) { if (previewTarget(e) === owner) hideTip(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hideTip(); });
  document.addEventListener("click", function (e) {
    if (e.target && e.target.closest && e.target.closest("[data-print]")) window.print();
  });

  function init() {
    /* Glossary links carry a native title tooltip; the preview replaces it (and, unlike it,
       also shows on keyboard focus), so keep the text for the preview only. */
    Array.prototype.forEach.call(document.querySelectorAll("main a.term[title]"), function (a) {
      a.setAttribute("data-term", a.title);
      a.removeAttribute("title");
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) { b.hidden = false; });
    setupSearchPage();
    trackToc();
  }

  /* The table of contents marks the section being read (aria-current="true"): the last
     heading it lists that has scrolled past the top fifth of the window. */
  function trackToc() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
    var targets = links.map(function (a) { return document.getElementById(decodeURIComponent(a.hash.slice(1))); });
    if (!links.length || !("IntersectionObserver" in window)) return;
    var current = null;
    function update() {
      var line = window.innerHeight / 5, at = -1;
      targets.forEach(function (t, i) { if (t && t.getBoundingClientRect().top <= line) at = i; });
      var next = at >= 0 ? links[at] : null;
      if (next === current) return;
      if (current) current.removeAttribute("aria-current");
      if (next) next.setAttribute("aria-current", "true");
      current = next;
    }
    var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -80% 0px" });
    targets.forEach(function (t) { if (t) observer.observe(t); });
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
