/* majors default theme: link previews, the print button, the table of contents that follows
   the reader, and the helpers search.js uses (window.majors). Everything here is an
   enhancement: every page reads and navigates without it. */
(function () {
  "use strict";
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
  window.majors = { getJSON: getJSON, memo: memo, el: el };

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
    trackToc();
    narrowMenu();
  }

  /* On a phone the sections' list starts closed behind its summary; a wide window shows it. */
  function narrowMenu() {
    var menu = document.querySelector(".nav-menu");
    if (!menu || !window.matchMedia) return;
    var narrow = window.matchMedia("(max-width: 52rem)");
    function apply() { menu.open = !narrow.matches; }
    apply();
    if (narrow.addEventListener) narrow.addEventListener("change", apply);
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
