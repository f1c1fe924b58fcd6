(function () {
  "use strict";
  var KEY = "majors-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(KEY);
    if (saved !== null) {
      sessionStorage.removeItem(KEY);
      var pos = JSON.parse(saved);
      var restore = function () { window.scrollTo(pos[0], pos[1]); };
      if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
      restore();
    }
  } catch (e) {}
  function overlay(diags, servedGood) {
    var box = document.getElementById("majors-overlay");
    if (!diags) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "majors-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace;padding:2rem";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("h2");
    h.textContent = "majors: the last save has " + diags.length + " problem" + (diags.length === 1 ? "" : "s") + (servedGood ? " (showing the last good build)" : " (nothing has built yet: fix them and this page reloads)");
    h.style.cssText = "font:bold 16px system-ui;margin:0 0 1rem;color:#ff9b9b";
    box.appendChild(h);
    diags.forEach(function (d) {
      var p = document.createElement("pre");
      p.className = "majors-diagnostic";
      p.style.cssText = "white-space:pre-wrap;margin:0 0 1rem;padding:.75rem;border-left:4px solid " + (d.severity === "error" ? "#ff6b6b" : "#f0c040") + ";background:#24242a";
      var where = d.file ? d.file + ":" + d.line + ":" + d.column : "";
      p.textContent = d.severity + "[" + d.code + "]: " + d.message + "\n  --> " + where + (d.label ? "\n  " + d.label : "") + (d.help ? "\n  help: " + d.help : "");
      box.appendChild(p);
    });
  }
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__majors/livereload");
    ws.onmessage = function (ev) {
      var msg = JSON.parse(ev.data);
      if (msg.type === "reload") {
        try { sessionStorage.setItem(KEY, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) {}
        location.reload();
      } else if (msg.type === "css") {
        overlay(null);
        document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
          var url = new URL(link.href);
          if (msg.paths.indexOf(url.pathname) >= 0) { url.searchParams.set("majors", Date.now()); link.href = url.toString(); }
        });
      } else if (msg.type === "errors") {
        var errs = msg.diagnostics.filter(function (d) { return d.severity === "error"; });
        overlay(errs.length ? errs : null, msg.served_good);
      }
    };
    ws.onclose = function () { setTimeout(connect, 500); };
  }
  connect();
})();
