// Dossier's small progressive enhancements. On the timeline: the filter by person, side and tag
// (without JavaScript the full list is shown), the highlight of a linked event, and the current
// year in the year rail. On a chapter: the section being read, marked in the table of contents.
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
  var form = document.querySelector(".tl-filter");
  var status = form && form.querySelector(".tl-filter-status");
  var events = [].slice.call(timeline.querySelectorAll(".tl-event"));
  var years = [].slice.call(timeline.querySelectorAll(".tl-year"));
  var yearLinks = [].slice.call(document.querySelectorAll(".tl-years a[data-year]"));
  var keys = ["person", "side", "tag"];
  var attrs = { person: "people", side: "sides", tag: "tags" };

  function has(list, value) {
    return (" " + list + " ").indexOf(" " + value + " ") >= 0;
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // The gap before each shown year, counted from the previous shown year.
  function drawGaps() {
    var previous = null;
    years.forEach(function (section) {
      var year = +section.dataset.year;
      var gap = section.previousElementSibling;
      if (gap && gap.classList.contains("tl-gap")) {
        var empty = previous === null ? 0 : year - previous - 1;
        gap.hidden = section.hidden || empty <= 0;
        if (!gap.hidden && +gap.style.getPropertyValue("--gap") !== empty) {
          gap.style.setProperty("--gap", empty);
          var range = empty > 1 ? (previous + 1) + "\u2013" + (year - 1) : String(year - 1);
          gap.firstElementChild.innerHTML = "<strong>" + plural(empty, "year", "years") + "</strong> without events" +
            (previous + 1 > 0 ? ' <span class="tl-gap-range">' + range + "</span>" : "");
        }
      }
      if (!section.hidden) previous = year;
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
    timeline.querySelectorAll(".tl-month").forEach(function (m) {
      m.hidden = !m.querySelector(".tl-event:not([hidden])");
    });
    years.forEach(function (y) {
      y.hidden = !y.querySelector(".tl-event:not([hidden])");
    });
    yearLinks.forEach(function (a) {
      var section = document.getElementById("y" + a.dataset.year);
      a.parentNode.hidden = !!(section && section.parentNode.hidden);
    });
    drawGaps();
    status.textContent = active
      ? "Showing " + shown + " of " + plural(events.length, "event", "events") + "."
      : "Showing all " + plural(events.length, "event", "events") + ".";
    // Keep the filter in the address, so a filtered timeline can be shared.
    var params = new URLSearchParams(location.search);
    keys.forEach(function (k) {
      if (chosen[k]) params.set(k, chosen[k]);
      else params.delete(k);
    });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  // Bring the event named in the address into view and mark it, clearing a filter that hides it.
  function highlight() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    events.forEach(function (e) { if (e !== el) e.classList.remove("is-target"); });
    if (!el || !el.classList.contains("tl-event")) return;
    if (el.hidden && form) {
      form.reset();
      apply();
      el.scrollIntoView({ block: "start" });
    }
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
    apply();
  }
  highlight();
  window.addEventListener("hashchange", highlight);

  // The year rail marks the year being read.
  if ("IntersectionObserver" in window && yearLinks.length) {
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { visible[en.target.dataset.year] = en.isIntersecting; });
      var current = years.filter(function (y) { return visible[y.dataset.year]; })[0];
      yearLinks.forEach(function (a) {
        if (current && a.dataset.year === current.dataset.year) a.setAttribute("aria-current", "true");
        else a.removeAttribute("aria-current");
      });
    }, { rootMargin: "0px 0px -60% 0px" });
    years.forEach(function (y) { observer.observe(y); });
  }
})();
