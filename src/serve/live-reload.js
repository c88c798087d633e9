// Dossier serve: reload the page after each good rebuild, and show build errors over the last
// good version of the page. Served only by `dossier serve`, next to its WebSocket, so it works
// under any base path. A WebSocket, not an event stream: it does not hold one of the six
// connections a browser keeps per host, so any number of open tabs leaves pages loading. Each
// message is one JSON object; the errors are shown as text, never as HTML.
(function () {
  "use strict";
  var loaded = "__DOSSIER_BUILD__";
  var here = (document.currentScript && document.currentScript.src) || location.href;
  var address = new URL("live", here);
  address.protocol = address.protocol === "https:" ? "wss:" : "ws:";
  var box = null;
  var wait = 500;

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

  function told(socket, data) {
    var message;
    try {
      message = JSON.parse(data);
    } catch (e) {
      return;
    }
    if (message && message.type === "build" && typeof message.id === "string") {
      if (message.id !== loaded) {
        socket.onclose = null;
        socket.close();
        location.reload();
      } else {
        hide();
      }
    } else if (message && message.type === "failed" && typeof message.text === "string") {
      show(message.text);
    }
  }

  function connect() {
    var socket = new WebSocket(address.href);
    socket.onopen = function () {
      wait = 500;
    };
    socket.onmessage = function (e) {
      told(socket, e.data);
    };
    // The server stopped, restarted or had no room for one more socket: try again, less often
    // each time (up to every 10 s).
    socket.onclose = function () {
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 10000);
    };
  }

  connect();
})();
