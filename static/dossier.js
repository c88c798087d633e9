// "Back to top" at the foot of a page shown only on a page longer than three screens.
(function () {
  "use strict";
  var back = document.querySelector(".back-to-top");
  if (!back) return;
  function fit() { back.hidden = document.documentElement.scrollHeight <= 3 * window.innerHeight; }
  window.addEventListener("resize", fit, { passive: true });
  window.addEventListener("load", fit);
  fit();
})();

// Dossier's small progressive enhancements. On the timeline: the filter by person, side and tag
// (without JavaScript the full list is shown), with its gaps, counts and empty state worked out
// for what it shows; a linked event opened and highlighted; the current year in the rail. On a chapter: the section being read, marked in the table of contents.
// No framework, no requests.
(function () {
  "use strict";
  var links = [].slice.call(document.querySelectorAll(".toc a[href^='#']"));
  if (!links.length) return;
  var headings = links.map(function (a) { return document.getElementById(decodeURIComponent(a.hash.slice(1))); });
  var queued = false;
  function mark() {
    queued = false;
    var current = -1;
    headings.forEach(function (h, i) { if (h && h.getBoundingClientRect().top < window.innerHeight * 0.35) current = i; });
    links.forEach(function (a, i) {
      if (i === current) a.setAttribute("aria-current", "location");
      else a.removeAttribute("aria-current");
    });
  }
  window.addEventListener("scroll", function () {
    if (!queued) { queued = true; window.requestAnimationFrame(mark); }
  }, { passive: true });
  mark();
})();

(function () {
  "use strict";
  var timeline = document.querySelector(".tl");
  if (!timeline) return;
  var all = function (sel, root) { return [].slice.call((root || document).querySelectorAll(sel)); };
  var form = document.querySelector(".tl-filter");
  var status = form && form.querySelector(".tl-filter-status");
  var empty = document.querySelector(".tl-empty");
  var events = all(".tl-event", timeline);
  var years = all(".tl-year", timeline);
  var railItems = all(".tl-rail li[data-key]");
  var bars = all(".tl-strip a[data-key]");
  var strip = document.querySelector(".tl-strip");
  var keys = ["person", "side", "tag"];
  var attrs = { person: "people", side: "sides", tag: "tags" };

  function has(list, value) {
    return (" " + list + " ").indexOf(" " + value + " ") >= 0;
  }
  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }
  // A year as the page writes it: "2013", "800 CE", "44 BCE", "12,000".
  function label(y) {
    if (y <= 0) return (1 - y).toLocaleString("en") + " BCE";
    return y < 1000 ? y + " CE" : y < 10000 ? String(y) : y.toLocaleString("en");
  }
  // Shown events in a group (a year or a month of one period), or in a month of any period.
  function count(key, attr) {
    return all("[data-" + (attr || "group") + '="' + key + '"] .tl-event:not([hidden])', timeline).length;
  }

  // Before each shown year, the years that no shown event covers since the shown ones before it
  // (an event over several years covers them all; a decade covers its ten).
  function drawGaps() {
    var covered = null;
    years.forEach(function (y) {
      var prev = y.previousElementSibling;
      var gap = prev && prev.classList.contains("tl-gap") ? prev : null;
      var start = +y.dataset.start;
      var missing = y.hidden || covered === null ? 0 : start - covered - 1;
      if (missing > 0) {
        if (!gap) {
          gap = document.createElement("p");
          gap.className = "tl-gap";
          y.parentNode.insertBefore(gap, y);
        }
        gap.textContent = missing === 1 ? "1 year without events, " + label(start - 1)
          : missing + " years without events, " + label(start - missing) + "\u2013" + label(start - 1);
      }
      if (gap) gap.hidden = missing <= 0;
      if (y.hidden) return;
      var last = +y.dataset.end;
      all(".tl-event[data-last]:not([hidden])", y).forEach(function (e) { last = Math.max(last, +e.dataset.last); });
      covered = covered === null ? last : Math.max(covered, last);
    });
  }

  // The rail's counts and the strip's bars, for what is shown.
  function recount() {
    railItems.forEach(function (li) {
      var n = count(li.dataset.key);
      li.classList.toggle("is-empty", n === 0);
      var a = li.querySelector("a");
      a.querySelector(".n").textContent = n;
      a.querySelector(".n + .visually-hidden").textContent = n === 1 ? " event" : " events";
    });
    var max = strip ? +strip.dataset.max : 1;
    bars.forEach(function (a) {
      var n = count(a.dataset.key, "month"), rect = a.querySelector("rect"), title = a.querySelector("title");
      var h = n ? Math.max(2, Math.ceil(n * 36 / max)) : 1;
      rect.setAttribute("height", h);
      rect.setAttribute("y", 36 - h);
      a.classList.toggle("is-empty", n === 0);
      title.textContent = title.textContent.replace(/: \d+ events?$/, ": " + plural(n, "event", "events"));
    });
  }

  function apply() {
    var chosen = {}, active = false, shown = 0;
    keys.forEach(function (k) {
      chosen[k] = form[k].value;
      if (chosen[k]) active = true;
    });
    events.forEach(function (el) {
      var ok = keys.every(function (k) { return !chosen[k] || has(el.dataset[attrs[k]], chosen[k]); });
      el.hidden = !ok;
      if (ok) shown++;
    });
    all(".tl-month, .tl-year, .tl-era", timeline).forEach(function (g) {
      g.hidden = !g.querySelector(".tl-event:not([hidden])");
    });
    drawGaps();
    recount();
    empty.hidden = shown > 0;
    status.textContent = !active ? "Showing all " + plural(events.length, "event", "events") + "."
      : shown ? "Showing " + shown + " of " + plural(events.length, "event", "events") + "."
      : "No event matches this filter.";
    // Keep the filter in the address, so a filtered timeline can be shared.
    var params = new URLSearchParams(location.search);
    keys.forEach(function (k) {
      if (chosen[k]) params.set(k, chosen[k]);
      else params.delete(k);
    });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  // Bring the event named in the address into view, open and marked, clearing a filter that
  // hides it.
  function highlight() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    events.forEach(function (e) { if (e !== el) e.classList.remove("is-target"); });
    if (!el || !el.classList.contains("tl-event")) return;
    var hidden = el.hidden;
    if (hidden && form) {
      form.reset();
      apply();
    }
    el.querySelector("details").open = true;
    if (hidden) el.scrollIntoView({ block: "start" });
    el.classList.add("is-target");
  }

  if (form) {
    var params = new URLSearchParams(location.search);
    keys.forEach(function (k) {
      var v = params.get(k);
      if (v && form[k].querySelector('option[value="' + CSS.escape(v) + '"]')) form[k].value = v;
    });
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    empty.querySelector("button").addEventListener("click", function () {
      form.reset();
      apply();
      form.person.focus();
    });
    // A year or month the filter emptied: going there shows everything again.
    railItems.concat(bars).forEach(function (item) {
      var a = item.tagName === "LI" ? item.querySelector("a") : item;
      a.addEventListener("click", function (e) {
        if (!item.classList.contains("is-empty")) return;
        e.preventDefault();
        form.reset();
        apply();
        var target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
        if (target) target.scrollIntoView({ block: "start" });
      });
    });
    apply();
  }
  highlight();
  window.addEventListener("hashchange", highlight);

  // The rail marks the year being read.
  var yearLinks = all(".tl-rail-years > li[data-key] > a");
  if ("IntersectionObserver" in window && yearLinks.length) {
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { visible[en.target.dataset.group] = en.isIntersecting; });
      var current = years.filter(function (y) { return visible[y.dataset.group]; })[0];
      yearLinks.forEach(function (a) {
        if (current && a.parentNode.dataset.key === current.dataset.group) a.setAttribute("aria-current", "true");
        else a.removeAttribute("aria-current");
      });
    }, { rootMargin: "0px 0px -60% 0px" });
    years.forEach(function (y) { observer.observe(y); });
  }
})();

// Page previews: preview.js (and through it the cards) loads only when a reader rests the pointer
// on a link in the main content or tabs to one, so a page never hovered asks for nothing (and a
// link clicked at once starts no request the click would cut short).
(function () {
  "use strict";
  var me = document.currentScript, main = document.querySelector("main"), timer = 0, done = false;
  if (!me || !main) return;
  function load() {
    if (done) return;
    done = true;
    var s = document.createElement("script");
    s.src = new URL("preview.js", me.src).href;
    document.head.appendChild(s);
  }
  function want(e) {
    var a = e.target.closest ? e.target.closest("a[href]") : null;
    if (!a || done || (e.type === "pointerover" && e.pointerType !== "mouse")) return;
    if (e.type === "focusin" && !a.matches(":focus-visible")) return;
    clearTimeout(timer);
    timer = setTimeout(load, 200);
  }
  function cancel() { clearTimeout(timer); }
  main.addEventListener("pointerover", want);
  main.addEventListener("focusin", want);
  main.addEventListener("pointerout", cancel);
  main.addEventListener("focusout", cancel);
  document.addEventListener("pointerdown", cancel);
  document.addEventListener("keydown", function (e) { if (e.key === "Enter") cancel(); });
})();
