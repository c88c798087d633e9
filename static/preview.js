// Page previews: hovering (with a mouse) or focusing (from the keyboard) a link to a page that
// has a card — a person, an event, a chapter, any kind src/preview.rs makes cards for — shows a
// small card beside it: what the page is, its title, a role or date, a one-line summary. Loaded
// by dossier.js at the first hover or focus of a link in the page's main content; the cards come
// from preview/meta.json and one shard of preview/<k>.json per card shown (found by the hash of
// the link's site-relative URL), each fetched once. The card is a tooltip (role="tooltip",
// named in the link's aria-describedby while shown): Escape closes it, it stays while the pointer
// moves onto it, and a tap on a touch screen just follows the link. Without JavaScript, links are
// just links.
(function () {
  "use strict";
  if (window.dossierPreview) return;
  window.dossierPreview = true;
  var me = document.currentScript, main = document.querySelector("main");
  if (!me || !main) return;
  var root = new URL("./", me.src), FORMAT = 1, SHOW = 300, HIDE = 250, ID = "preview-card";
  var files = {}, card = null, current = null, want = null, showTimer = 0, hideTimer = 0, dismissed = null;

  function get(path) {
    if (!files[path]) {
      files[path] = fetch(new URL(path, root).href).then(function (r) {
        if (!r.ok) throw new Error(r.status + " for " + path);
        return r.json();
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  // FNV-1a (32 bits) of the UTF-8 bytes of `s`, as src/preview.rs computes it.
  var utf8 = new TextEncoder();
  function hash(s) {
    var h = 0x811c9dc5, b = utf8.encode(s);
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
    return h >>> 0;
  }

  // A URL's page, site-relative ("people/x/", "timeline/#e"); null off the site.
  function rel(href) {
    var u = new URL(href, document.baseURI);
    if (u.origin !== root.origin || u.pathname.indexOf(root.pathname) !== 0) return null;
    try {
      return decodeURIComponent(u.pathname.slice(root.pathname.length)) + decodeURIComponent(u.hash);
    } catch (e) {
      return null;
    }
  }
  function key(a) {
    return a.closest("svg") || a.hasAttribute("download") ? null : rel(a.href);
  }

  // The card for `k` (with its fragment, else for its page), or null; never the page being read.
  function lookup(k) {
    var here = rel(location.href), page = k.split("#")[0];
    return get("preview/meta.json").then(function (meta) {
      if (meta.version !== FORMAT) throw new Error("preview format " + meta.version);
      function find(u) {
        return get("preview/" + (hash(u) % meta.shards) + ".json").then(function (shard) {
          return Object.prototype.hasOwnProperty.call(shard, u) ? shard[u] : null;
        });
      }
      return find(k).then(function (c) {
        if (c || page === k) return c;
        return page === (here || "").split("#")[0] ? null : find(page);
      });
    });
  }

  function el(tag, cls) {
    var e = document.createElement(tag);
    e.className = cls;
    return e;
  }

  function make() {
    card = el("div", "preview-card");
    card.id = ID;
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    ["preview-kind", "preview-title", "preview-line", "preview-text"].forEach(function (c) { card.appendChild(el("span", c)); });
    card.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("pointerleave", function () { later(hide); });
    document.body.appendChild(card);
  }

  function fill(c) {
    var parts = card.children;
    for (var i = 0; i < 4; i++) {
      parts[i].textContent = c[i] || "";
      parts[i].hidden = !c[i];
    }
  }

  // Below the link's first line box, or above it when there is no room below; within the page.
  function place(a) {
    var box = a.getClientRects()[0] || a.getBoundingClientRect();
    var w = card.offsetWidth, h = card.offsetHeight, gap = 8, view = document.documentElement.clientWidth;
    var top = box.bottom + gap;
    if (top + h > window.innerHeight && box.top - gap - h > 0) top = box.top - gap - h;
    var left = Math.max(gap, Math.min(box.left, view - w - gap));
    card.style.top = Math.round(top + window.scrollY) + "px";
    card.style.left = Math.round(left + window.scrollX) + "px";
  }

  function show(a) {
    var k = key(a);
    if (!k || a === dismissed) return;
    want = a;
    lookup(k).then(function (c) {
      if (!c || want !== a || !document.contains(a)) return;
      if (!card) make();
      release();
      fill(c);
      card.hidden = false;
      place(a);
      current = a;
      var was = a.getAttribute("aria-describedby");
      if (!was || was.split(" ").indexOf(ID) < 0) {
        a.setAttribute("data-preview-describedby", was || "");
        a.setAttribute("aria-describedby", was ? was + " " + ID : ID);
      }
    }).catch(function () {}); // no card: the link is just a link
  }

  function release() {
    if (!current) return;
    if (current.hasAttribute("data-preview-describedby")) {
      var was = current.getAttribute("data-preview-describedby");
      if (was) current.setAttribute("aria-describedby", was);
      else current.removeAttribute("aria-describedby");
      current.removeAttribute("data-preview-describedby");
    }
    current = null;
  }

  function hide() {
    clearTimeout(showTimer);
    want = null;
    if (card) card.hidden = true;
    release();
  }

  function later(f) {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(f, HIDE);
  }

  function link(e) {
    var a = e.target.closest ? e.target.closest("a[href]") : null;
    return a && main.contains(a) ? a : null;
  }

  main.addEventListener("pointerover", function (e) {
    var a = link(e);
    if (!a || e.pointerType !== "mouse") return;
    clearTimeout(hideTimer);
    if (a === current) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(a); }, SHOW);
  });
  main.addEventListener("pointerout", function (e) {
    var a = link(e);
    if (!a || a.contains(e.relatedTarget) || (card && card.contains(e.relatedTarget))) return;
    clearTimeout(showTimer);
    if (want === a && a !== current) want = null;
    if (dismissed === a) dismissed = null;
    if (a === current) later(hide);
  });
  main.addEventListener("focusin", function (e) {
    var a = link(e);
    if (!a || !a.matches(":focus-visible")) return;
    clearTimeout(showTimer);
    show(a);
  });
  main.addEventListener("focusout", function (e) {
    if (link(e) === current) hide();
    if (link(e) === dismissed) dismissed = null;
  });
  // A click or Enter on a link leaves the page: no card, no request cut short.
  document.addEventListener("pointerdown", function (e) {
    if (!card || !card.contains(e.target)) hide();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter") clearTimeout(showTimer);
    if (e.key === "Escape" && card && !card.hidden) {
      dismissed = current;
      hide();
    }
  });
  window.addEventListener("resize", hide);

  // The link that brought this script here (hovered or focused while it loaded).
  var first = document.activeElement && document.activeElement.closest ? document.activeElement.closest("a[href]") : null;
  if (first && main.contains(first) && first.matches(":focus-visible")) show(first);
  else {
    var hovered = main.querySelectorAll("a[href]:hover");
    if (hovered.length) show(hovered[hovered.length - 1]);
  }
})();
