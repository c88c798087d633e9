// Dossier serve: reload the page after each good rebuild, and show build errors over the last
// good version of the page. Served only by `dossier serve`, next to its event stream, so it
// works under any base path.
(function () {
  "use strict";
  var loaded = "__DOSSIER_BUILD__";
  var here = (document.currentScript && document.currentScript.src) || location.href;
  var events = new URL("events", here).href;
  var box = null;

  function show(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "dossier-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.25rem;background:#1d1f21;color:#f4f4f4;border-top:4px solid #e5484d;" +
        "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.35);text-align:left";
      var title = document.createElement("p");
      title.style.cssText = "margin:0 0 .5rem;font-weight:bold;color:#ffc2c2";
      title.textContent = "Dossier: the last change does not build. This page is the last good version.";
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap;font:inherit;color:inherit;background:none;border:0;padding:0";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.style.cssText = "margin-top:.75rem;font:inherit;color:#1d1f21;background:#f4f4f4;border:0;border-radius:3px;padding:.25rem .75rem;cursor:pointer";
      close.addEventListener("click", hide);
      box.appendChild(title);
      box.appendChild(pre);
      box.appendChild(close);
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = text;
  }

  function hide() {
    if (box) {
      box.remove();
      box = null;
    }
  }

  function connect() {
    var source = new EventSource(events);
    source.addEventListener("build", function (e) {
      if (e.data !== loaded) {
        source.close();
        location.reload();
      } else {
        hide();
      }
    });
    source.addEventListener("failed", function (e) {
      show(e.data);
    });
    source.onerror = function () {
      // The browser retries by itself; when it gives up (the server was restarted and refused
      // the stream), start again.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 1000);
      }
    };
  }

  connect();
})();
