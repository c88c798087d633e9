// The search box's results: loaded by the header's few lines when a reader reaches for the box.
// It loads Pagefind's search (pagefind/pagefind.js, found from the page's path to the site root,
// so any base path works), searches as the reader types and lists what it finds: the kind of
// page, its title and an excerpt with the words found highlighted, and for a chapter the sections
// that match. Arrow keys move through the results, Enter opens one, Escape closes the list.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form || form.hasAttribute("data-ready")) return;
  form.setAttribute("data-ready", "");
  var input = form.querySelector(".search-input");
  var panel = form.querySelector(".search-results");
  var status = form.querySelector("#search-status");
  var root = new URL(form.getAttribute("data-root") || "./", document.baseURI);
  var MAX = 8, SUBS = 2;
  var pagefind = null, loading = null, seq = 0, lastQuery = "";

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        pagefind = pf;
        return pf.options({ excerptLength: 22 }).then(function () { return pf; });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // Pagefind's excerpts are plain text with <mark> around the words found: rebuild them as
  // text and <mark> elements, never as HTML.
  function excerpt(text) {
    var span = el("span", "search-excerpt"), marked = false;
    String(text || "").split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") marked = true;
      else if (part === "</mark>") marked = false;
      else if (part) span.appendChild(marked ? el("mark", null, part) : document.createTextNode(part));
    });
    return span;
  }

  function entry(url, kind, title, text) {
    var a = el("a");
    a.href = url;
    a.appendChild(el("span", "search-kind", kind));
    a.appendChild(el("span", "visually-hidden", ": "));
    a.appendChild(el("span", "search-title", title));
    a.appendChild(el("span", "visually-hidden", ". "));
    a.appendChild(excerpt(text));
    return a;
  }

  // Results come grouped by kind (chapters, people, events, then anything else), each group
  // in Pagefind's order, so a short event cannot push the chapter of the same name out of view.
  var KINDS = [["Chapter", "Chapters", 4], ["Person", "People", 4], ["Event", "Events", 5]];

  function hitItem(d) {
    var title = (d.meta && d.meta.title) || d.url;
    var li = el("li", "search-hit");
    li.appendChild(entry(d.url, (d.meta && d.meta.kind) || "Page", title, d.excerpt));
    var subs = (d.sub_results || []).filter(function (s) { return s.title && s.title !== title && s.url !== d.url; }).slice(0, SUBS);
    if (subs.length) {
      var ol = el("ol", "search-subs");
      subs.forEach(function (s) {
        var sli = el("li");
        sli.appendChild(entry(s.url, "Section", s.title, s.excerpt));
        ol.appendChild(sli);
      });
      li.appendChild(ol);
    }
    return li;
  }

  function show(query, groups, total) {
    panel.textContent = "";
    var say = total === 0 ? "No results for \u201c" + query + "\u201d" : total + (total === 1 ? " result" : " results") + " for \u201c" + query + "\u201d";
    panel.appendChild(el("p", "search-count", say));
    groups.forEach(function (g, i) {
      if (!g.hits.length) return;
      var id = "search-group-" + i;
      var label = el("p", "search-group", g.label + " ");
      label.id = id;
      label.appendChild(el("span", "search-group-count", String(g.total)));
      panel.appendChild(label);
      var list = el("ol", "search-list");
      list.setAttribute("aria-labelledby", id);
      g.hits.forEach(function (d) { list.appendChild(hitItem(d)); });
      panel.appendChild(list);
      if (g.total > g.hits.length) panel.appendChild(el("p", "search-more", "and " + (g.total - g.hits.length) + " more " + g.label.toLowerCase() + "; add a word to narrow the search"));
    });
    status.textContent = say + ".";
    panel.hidden = false;
  }

  function close() {
    panel.hidden = true;
  }

  function data(results, n) {
    return Promise.all(results.slice(0, n).map(function (r) { return r.data(); }));
  }

  function search() {
    var query = input.value.trim();
    if (query === lastQuery && !panel.hidden) return;
    lastQuery = query;
    var mine = ++seq;
    if (!query) {
      close();
      status.textContent = "";
      return;
    }
    var pf;
    load()
      .then(function (p) { pf = p; return pf.debouncedSearch(query, {}, 120); })
      .then(function (found) {
        if (!found || mine !== seq) return null;
        var known = 0;
        var jobs = KINDS.map(function (k) {
          return pf.search(query, { filters: { kind: k[0] } }).then(function (r) {
            known += r.results.length;
            return data(r.results, k[2]).then(function (hits) { return { label: k[1], total: r.results.length, hits: hits }; });
          });
        });
        jobs = Promise.all(jobs).then(function (groups) {
          if (known > 0 || !found.results.length) return groups;
          // A project's own templates may mark no kinds at all: then one list, in Pagefind's order.
          return data(found.results, MAX).then(function (hits) { return [{ label: "Results", total: found.results.length, hits: hits }]; });
        });
        return jobs.then(function (groups) {
          if (mine === seq) show(query, groups, found.results.length);
        });
      })
      .catch(function (e) {
        if (mine !== seq) return;
        panel.textContent = "";
        panel.appendChild(el("p", "search-count", "Search is not available here (" + (e && e.message ? e.message : e) + ")."));
        status.textContent = "Search is not available.";
        panel.hidden = false;
      });
  }

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll("a"));
  }

  input.addEventListener("input", search);
  input.addEventListener("focus", function () {
    if (input.value.trim()) { lastQuery = ""; search(); }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = links()[0];
    if (first && !panel.hidden) first.click();
  });
  form.addEventListener("keydown", function (e) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (e.key === "Escape") {
      if (!panel.hidden) {
        e.preventDefault();
        close();
        input.focus();
      }
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (panel.hidden || !all.length) return;
      e.preventDefault();
      var next = e.key === "ArrowDown" ? (at < 0 ? 0 : Math.min(at + 1, all.length - 1)) : at - 1;
      if (next < 0) input.focus();
      else all[next].focus();
    } else if (at >= 0 && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && e.key !== " ") {
      input.focus(); // typing on a result goes on with the query
    }
  });
  // Leaving the search closes the list: by Tab here, by a click elsewhere below (a click on a
  // result must not close it before the click lands, so focus moving nowhere is left alone).
  form.addEventListener("focusout", function (e) {
    if (e.relatedTarget && !form.contains(e.relatedTarget)) close();
  });
  document.addEventListener("pointerdown", function (e) {
    if (!form.contains(e.target)) close();
  });

  if (document.activeElement === input) {
    load();
    if (input.value.trim()) search();
  }
})();
