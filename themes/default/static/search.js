/* majors default theme: full-text search. The search page lists every result, with filters;
   the header's box shows the best few as you type, on every other page. A query that finds
   nothing is corrected from the index's own vocabulary ("did you mean"). The index format is
   documented in src/search/mod.rs; the helpers (window.majors) come from site.js. */
(function () {
  "use strict";
  var PAGE = 10, INSTANT = 6;
  var M = window.majors, el = M.el, memo = M.memo, getJSON = M.getJSON;

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
        if (!k.text) return;
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

  var manifest = memo(function () { return getJSON("/search/index.json"); });
  var shard = memo(function (i) { return getJSON("/search/terms-" + i + ".json"); });
  var bundle = memo(function (i) { return getJSON("/search/docs-" + i + ".json"); });

  function tokenize(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function isLong(t) { return Array.from(t).length >= 3; }
  function startsWith(s, p) { return s.lastIndexOf(p, 0) === 0; }
  /* Shards that may hold `t` (exact) or, for tokens of 3+ characters, terms starting with it. */
  function shardsFor(keys, t) {
    var out = [];
    keys.forEach(function (k, i) {
      if (startsWith(t, k) || (isLong(t) && startsWith(k, t))) out.push(i);
    });
    return out;
  }
  /* doc id -> score for one token; prefix matches count half. */
  function scoreToken(t, shards) {
    var scores = {};
    shards.forEach(function (terms) {
      Object.keys(terms).forEach(function (term) {
        var factor = term === t ? 1 : (isLong(t) && startsWith(term, t) ? 0.5 : 0);
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

  /* ---- Did you mean ----------------------------------------------------------------- */
  /* Edit distance with transpositions (optimal string alignment), giving up above `max`. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      var row = [i], low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
        row.push(d);
        if (d < low) low = d;
      }
      if (low > max) return max + 1;
      prev2 = prev; prev = row;
    }
    return prev[b.length];
  }
  /* The query with each word the index does not know replaced by the closest word it does
     (same first letter; one edit for words under six letters, two above; the more common
     word wins a tie), or null when there is nothing to correct. */
  function suggest(m, query) {
    var tokens = tokenize(query);
    return Promise.all(tokens.map(function (t) {
      var first = t.charAt(0);
      var ids = [];
      m.shards.forEach(function (k, i) { if (startsWith(first, k) || startsWith(k, first)) ids.push(i); });
      return Promise.all(ids.map(shard)).then(function (shards) {
        var known = false, best = null, bestD = 99, bestN = 0, max = t.length < 6 ? 1 : 2;
        if (!isLong(t)) return t;
        shards.forEach(function (terms) {
          Object.keys(terms).forEach(function (term) {
            if (term === t || startsWith(term, t)) { known = true; return; }
            if (term.charAt(0) !== first) return;
            var d = distance(t, term, max), n = terms[term].length;
            if (d <= max && (d < bestD || (d === bestD && n > bestN))) { best = term; bestD = d; bestN = n; }
          });
        });
        return known || !best ? t : best;
      });
    })).then(function (fixed) {
      var out = fixed.join(" ");
      return out === tokens.join(" ") ? null : out;
    });
  }

  /* ---- Snippets --------------------------------------------------------------------- */
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  var WORD = "[\\p{L}\\p{N}]";
  /* About 200 characters around the first match of the phrase, else of any word of three
     letters or more, cut at spaces. The phrase is marked where it occurs; outside it, only
     words of three letters or more are (a query like "3(1)(a)" must not mark every "a"). */
  function snippet(text, query) {
    var tokens = tokenize(query);
    if (!text || !tokens.length) return null;
    var words = tokens.map(escapeRe), long = tokens.filter(isLong).map(escapeRe);
    var phraseSrc = "(?<!" + WORD + ")" + words.join("[^\\p{L}\\p{N}]+") + WORD + "*";
    var phrase = new RegExp(phraseSrc, "iu");
    var any = long.length ? new RegExp("(?<!" + WORD + ")(?:" + long.join("|") + ")", "iu") : null;
    var m = phrase.exec(text) || (any && any.exec(text));
    if (!m) return null;
    var from = m.index, to = m.index + m[0].length;
    var start = Math.max(0, from - 80), end = Math.min(text.length, to + 120);
    if (start > 0) { var s = text.indexOf(" ", start); start = s >= 0 && s < from ? s + 1 : from; }
    if (end < text.length) { var e = text.lastIndexOf(" ", end); end = e >= to ? e : to; }
    var part = text.slice(start, end).trim();
    var alts = [phraseSrc].concat(tokens.length > 1 ? long.map(function (w) { return "(?<!" + WORD + ")" + w + WORD + "*"; }) : []);
    var every = new RegExp(alts.join("|"), "giu");
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
  /* What a result shows: its URL, title, type (and facet values) and the text of its doc. */
  function docOf(m, hit) {
    return bundle(Math.floor(hit.id / m.bundle)).then(function (docs) {
      var d = docs[hit.id % m.bundle];
      var meta = [m.types[m.t[hit.id]]].concat(m.facets.filter(function (f) { return f.of[hit.id] >= 0; })
        .map(function (f) { return f.values[f.of[hit.id]]; }));
      return { url: d[0], title: d[1], summary: d[2], text: d[3], meta: meta.join(" · ") };
    });
  }
  function renderHit(m, hit, query) {
    return docOf(m, hit).then(function (d) {
      var li = el("li"), a = el("a"), p = el("p", "result-snippet");
      a.href = d.url;
      a.appendChild(withMarks(d.title));
      li.appendChild(a); li.appendChild(el("span", "result-type", d.meta)); li.appendChild(p);
      p.appendChild(snippet(d.text, query) || withMarks(d.summary));
      return li;
    });
  }
  /* Arrow keys move from `input` into the links of `list` and between them. */
  function arrowKeys(input, list, onLeave) {
    list.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && onLeave) { onLeave(); input.focus(); return; }
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
      if (e.key === "Escape" && onLeave) onLeave();
    });
  }
  function searchUrl(q) { return "/search/?q=" + encodeURIComponent(q); }
  function resultsFor(m, q) {
    return runQuery(m, q).then(function (hits) {
      if (hits.length) return { hits: hits, query: q };
      return suggest(m, q).then(function (better) {
        if (!better) return { hits: hits, query: q };
        return runQuery(m, better).then(function (h) { return { hits: h, query: h.length ? better : q, asked: q }; });
      });
    });
  }

  /* ---- The search page -------------------------------------------------------------- */
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
      resultsFor(m, q).then(function (r) {
        if (gen !== generation) return;
        var ti = m.types.indexOf(type);
        var want = m.facets.map(function (f, k) { return chosen[k] ? f.values.indexOf(chosen[k]) : -2; });
        state = {
          hits: r.hits.filter(function (h) {
            return (!type || m.t[h.id] === ti) && m.facets.every(function (f, k) { return want[k] === -2 || f.of[h.id] === want[k]; });
          }),
          shown: 0, query: r.query,
        };
        list.textContent = "";
        status.textContent = "";
        var n = state.hits.length;
        if (r.asked && r.query !== r.asked) {
          var did = el("span", "search-suggestion");
          did.appendChild(document.createTextNode("No results for “" + r.asked + "”. Did you mean "));
          var a = el("a", null, r.query);
          a.href = searchUrl(r.query);
          a.id = "search-suggestion";
          did.appendChild(a);
          did.appendChild(document.createTextNode("? Showing "));
          status.appendChild(did);
        }
        status.appendChild(document.createTextNode(n + " result" + (n === 1 ? "" : "s") + " for “" + r.query + "”" +
          (type ? " · " + type : "") + chosen.filter(Boolean).map(function (v) { return " · " + v; }).join("") +
          " (" + Math.max(1, Math.round(performance.now() - started)) + " ms)"));
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
      status.addEventListener("click", function (e) {
        if (e.target.id !== "search-suggestion") return;
        e.preventDefault();
        input.value = e.target.textContent;
        update(m, true);
      });
      more.addEventListener("click", function () {
        showMore(m).then(function (first) { if (first) first.querySelector("a").focus(); });
      });
      update(m, false);
    }).catch(function () { status.textContent = "The search index could not be loaded."; });
    arrowKeys(input, list, null);
  }

  /* ---- Results as you type, under the header's box ------------------------------------ */
  function setupInstant() {
    var input = document.getElementById("search-input");
    if (!input || document.getElementById("search-results")) return;
    var form = input.form, gen = 0, timer = null;
    var panel = el("div", "instant");
    panel.id = "instant-results";
    panel.hidden = true;
    var said = el("p", "visually-hidden");
    said.setAttribute("role", "status");
    var list = el("ul");
    panel.appendChild(list);
    form.appendChild(said);
    form.appendChild(panel);
    input.setAttribute("aria-controls", panel.id);
    // A click on a result must not take the focus away first (Safari does not focus links).
    panel.addEventListener("mousedown", function (e) { e.preventDefault(); });
    function close() { gen++; panel.hidden = true; list.textContent = ""; said.textContent = ""; }
    function update() {
      var q = input.value.trim(), g = ++gen;
      if (!q) { close(); return; }
      manifest().then(function (m) {
        setMarks(m.marks);
        return resultsFor(m, q).then(function (r) {
          return Promise.all(r.hits.slice(0, INSTANT).map(function (h) { return docOf(m, h); })).then(function (docs) {
            if (g !== gen) return;
            list.textContent = "";
            docs.forEach(function (d) {
              var li = el("li"), a = el("a");
              a.href = d.url;
              a.appendChild(withMarks(d.title));
              a.appendChild(el("span", "result-type", d.meta));
              li.appendChild(a);
              list.appendChild(li);
            });
            var all = el("li", "instant-all"), a = el("a");
            a.href = searchUrl(r.query);
            var n = r.hits.length;
            a.textContent = (r.asked && r.query !== r.asked ? "Did you mean “" + r.query + "”? " : "") +
              (n ? (n > INSTANT ? "All " + n + " results" : n === 1 ? "Open the search page" : "All " + n + " results") : "No results: open the search page");
            all.appendChild(a);
            list.appendChild(all);
            panel.hidden = false;
            said.textContent = n + " result" + (n === 1 ? "" : "s") + "; press the down arrow to reach them.";
          });
        });
      }).catch(function () { close(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 100); });
    // After Escape, the down arrow shows the results again.
    input.addEventListener("keydown", function (e) { if (e.key === "ArrowDown" && panel.hidden && input.value.trim()) update(); });
    form.addEventListener("focusout", function (e) { if (!e.relatedTarget || !form.contains(e.relatedTarget)) close(); });
    arrowKeys(input, list, close);
  }

  /* "/" focuses the search box, as on most documentation sites. */
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("q") || document.getElementById("search-input");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });

  /* ---- The 404 page: the site's own addresses closest to the one asked for -------------- */
  function setupNotFound() {
    var box = document.getElementById("not-found");
    if (!box) return;
    var asked = decodeURIComponent(location.pathname).toLowerCase().replace(/\/+$/, "") + "/";
    var words = asked.split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1 && !/^(index|html?)$/.test(w); });
    var search = document.getElementById("not-found-search");
    if (words.length) search.href = searchUrl(words.join(" "));
    fetch("/sitemap.xml").then(function (r) { return r.ok ? r.text() : ""; }).then(function (xml) {
      var paths = (xml.match(/<loc>[^<]*<\/loc>/g) || []).map(function (l) {
        return new URL(l.slice(5, -6).replace(/&amp;/g, "&"), location.href).pathname;
      });
      var last = function (p) { return p.replace(/\/+$/, "").split("/").pop(); };
      var scored = paths.map(function (p) {
        var whole = distance(asked, p.toLowerCase(), 40), end = distance(last(asked), last(p).toLowerCase(), 12);
        return { path: p, score: Math.min(whole, end + 1) };
      }).filter(function (c) { return c.score <= Math.max(3, Math.floor(asked.length / 3)); });
      scored.sort(function (a, b) { return a.score - b.score || a.path.length - b.path.length || (a.path < b.path ? -1 : 1); });
      var list = document.getElementById("not-found-suggestions");
      scored.slice(0, 5).forEach(function (c) {
        var li = el("li"), a = el("a", null, c.path);
        a.href = c.path;
        li.appendChild(a);
        list.appendChild(li);
      });
      if (!list.children.length) box.querySelector("h2").textContent = "Search instead";
      box.hidden = false;
    }).catch(function () { box.hidden = false; });
  }

  function init() { setupSearchPage(); setupInstant(); setupNotFound(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
