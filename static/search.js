// The search box's results: loaded by the header's few lines when a reader reaches for the box.
// It reads Dossier's search index (search/meta.json, found from the page's path to the site root,
// so any base path works; then only the index shards and document chunks a query needs, see
// src/search.rs), searches as the reader types and lists what it finds: the kind of page, its
// title and an excerpt with the words found highlighted, and for a chapter the sections that
// match. Every word must match; the last one also as the start of a word (search as you type).
// Arrow keys move through the results, Enter opens one, Escape closes the list.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form || form.hasAttribute("data-ready")) return;
  form.setAttribute("data-ready", "");
  var input = form.querySelector(".search-input");
  var panel = form.querySelector(".search-results");
  var status = form.querySelector("#search-status");
  var root = new URL(form.getAttribute("data-root") || "./", document.baseURI);
  var SUBS = 2, WORDS = 22, PREFIX_SHARDS = 3, FORMAT = 1;
  var seq = 0, lastQuery = "", timer = 0;

  // Fetched files, by path under the root: each fetched once (a failure is forgotten, to retry).
  var files = {};
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

  function load() {
    return get("search/meta.json").then(function (meta) {
      if (meta.version !== FORMAT) throw new Error("search index version " + meta.version);
      return meta;
    });
  }

  // Words as src/search.rs (for_each_token) makes them: runs of letters and digits, lowercased,
  // Latin diacritics dropped (U+00C0-U+017F), a possessive "s" after an apostrophe dropped,
  // runs over 64 bytes skipped. Each with where it is in `text`.
  var utf8 = new TextEncoder();
  var WORD = /[\p{Alphabetic}\p{N}]+/gu, WORDCHAR = /^[\p{Alphabetic}\p{N}]$/u, APOS = /^['\u2019]$/;
  function fold(w) {
    return w.replace(/[\u00C0-\u017F]/g, function (c) { return c.normalize("NFD").charAt(0); });
  }
  function charBefore(text, at) { // the code point ending at `at`
    var c = text.charCodeAt(at - 1);
    return c >= 0xdc00 && c <= 0xdfff && at >= 2 ? text.slice(at - 2, at) : text.charAt(at - 1);
  }
  function tokens(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var w = m[0], at = m.index;
      if ((w === "s" || w === "S") && at >= 2 && APOS.test(text.charAt(at - 1)) && WORDCHAR.test(charBefore(text, at - 1))) continue;
      if (w.length > 21 && utf8.encode(w).length > 64) continue;
      out.push({ term: fold(w.toLowerCase()), start: at, end: at + w.length });
    }
    return out;
  }

  // Terms are sorted by code point in the index (as Rust sorts strings), not by UTF-16 unit.
  function cmp(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return i < a.length ? 1 : j < b.length ? -1 : 0;
  }
  // The first index in sorted `list` whose key is not below `term`.
  function lowerBound(list, term, key) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(key(list[mid]), term) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  function first(x) { return x[0]; }
  function starts(t, prefix) { return t.slice(0, prefix.length) === prefix; }

  // The shard whose range of terms holds `term` (the last one starting at or before it).
  function shardOf(meta, term) {
    var i = lowerBound(meta.shards, term, first);
    if (i < meta.shards.length && meta.shards[i][0] === term) return i;
    return i - 1;
  }

  // Documents with a word: a Map doc → weight. The word is matched whole, or if `prefix`, also
  // as the start of longer words (weight: the best of them), when its terms lie in at most
  // PREFIX_SHARDS shards. Returns { docs, prefix } (prefix: whether it was matched as one).
  function lookup(meta, word, prefix) {
    var a = Math.max(0, shardOf(meta, word)), b = a;
    if (prefix) {
      while (b + 1 < meta.shards.length && starts(meta.shards[b + 1][0], word)) b++;
      if (b - a + 1 > PREFIX_SHARDS) { prefix = false; b = a; }
    }
    if (!meta.shards.length) return Promise.resolve({ docs: new Map(), prefix: prefix });
    var jobs = [];
    for (var i = a; i <= b; i++) jobs.push(get("search/index/" + meta.shards[i][1]));
    return Promise.all(jobs).then(function (shards) {
      var docs = new Map();
      shards.forEach(function (shard) {
        var terms = shard.terms;
        for (var k = lowerBound(terms, word, first); k < terms.length; k++) {
          var t = terms[k][0];
          if (t !== word && !(prefix && starts(t, word))) break;
          var p = terms[k][1], doc = 0;
          for (var n = 0; n < p.length; n += 2) {
            doc += p[n];
            docs.set(doc, Math.max(docs.get(doc) || 0, p[n + 1]));
          }
        }
      });
      return { docs: docs, prefix: prefix };
    });
  }

  // Fetch the documents numbered `nums` from their chunks.
  function documents(meta, nums) {
    return Promise.all(nums.map(function (n) {
      var lo = 0, hi = meta.chunks.length; // the last chunk starting at or before n
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (meta.chunks[mid] <= n) lo = mid + 1;
        else hi = mid;
      }
      var c = lo - 1;
      return get("search/doc/" + c + ".json").then(function (chunk) { return chunk.docs[n - chunk.first]; });
    }));
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // An excerpt is a list of [text, marked] parts: built as text and <mark> elements, never as HTML.
  function excerpt(parts) {
    var span = el("span", "search-excerpt");
    (parts || []).forEach(function (part) {
      if (part[0]) span.appendChild(part[1] ? el("mark", null, part[0]) : document.createTextNode(part[0]));
    });
    return span;
  }

  // Whether a word of the text is one of the query's: `words` are { term, prefix }.
  function matches(words, term) {
    return words.some(function (w) { return w.term === term || (w.prefix && starts(term, w.term)); });
  }

  // About WORDS words of `text` around the first word found (or from the start if none is),
  // with the words found marked. Returns null when `need` and no word is found.
  function window_(text, words, need) {
    var toks = tokens(text), at = -1;
    for (var i = 0; i < toks.length; i++) if (matches(words, toks[i].term)) { at = i; break; }
    if (at < 0 && need) return null;
    if (!toks.length) return [[text, false]];
    var s = Math.max(0, Math.min(at - 5, toks.length - WORDS)), e = Math.min(toks.length, s + WORDS);
    var from = s === 0 ? 0 : toks[s].start, to = e === toks.length ? text.length : toks[e - 1].end;
    var parts = [[s > 0 ? "\u2026 " : "", false]], pos = from;
    for (var k = s; k < e; k++) {
      if (!matches(words, toks[k].term)) continue;
      parts.push([text.slice(pos, toks[k].start), false], [text.slice(toks[k].start, toks[k].end), true]);
      pos = toks[k].end;
    }
    parts.push([text.slice(pos, to) + (e < toks.length ? " \u2026" : ""), false]);
    return parts;
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

  // Results come grouped by kind (chapters, people, events, then places, organizations and
  // glossary terms), each group best first, so a short event cannot push the chapter of the same
  // name out of view. (The order is the records'; a kind missing from meta.json has none.)
  var KINDS = [["Chapter", "Chapters", 4], ["Person", "People", 4], ["Event", "Events", 5],
    ["Place", "Places", 4], ["Organization", "Organizations", 4], ["Term", "Glossary", 4]];

  // A result: the document's link and excerpt, and for a chapter up to SUBS sections found.
  function hit(doc, words) {
    var url = new URL(doc.url, root).href, title = doc.title;
    var pieces = [doc.text].concat((doc.sections || []).map(function (s) { return s[2]; }));
    var parts = null;
    for (var i = 0; i < pieces.length && !parts; i++) parts = window_(pieces[i], words, true);
    var subs = [];
    (doc.sections || []).forEach(function (s) {
      if (subs.length >= SUBS || !s[0] || s[0] === title) return;
      var found = window_(s[2], words, true);
      if (!found && !tokens(s[0]).some(function (t) { return matches(words, t.term); })) return;
      subs.push({ url: new URL(doc.url + "#" + s[1], root).href, title: s[0], excerpt: found || window_(s[2], words, false) });
    });
    return { url: url, kind: doc.kind, title: title, excerpt: parts || window_(doc.text, words, false), subs: subs };
  }

  function hitItem(d) {
    var li = el("li", "search-hit");
    li.appendChild(entry(d.url, d.kind, d.title, d.excerpt));
    var subs = d.subs;
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

  // The query's words: each matched whole, the last also as the start of a word.
  function find(meta, query) {
    var seen = {}, terms = tokens(query).map(function (t) { return t.term; }).filter(function (t) {
      return seen[t] ? false : (seen[t] = true);
    });
    if (!terms.length) return Promise.resolve({ groups: [], total: 0 });
    return Promise.all(terms.map(function (t, i) { return lookup(meta, t, i === terms.length - 1); })).then(function (found) {
      var words = terms.map(function (t, i) { return { term: t, prefix: found[i].prefix }; });
      var lists = found.map(function (f) { return f.docs; }).sort(function (a, b) { return a.size - b.size; });
      var scored = [];
      lists[0].forEach(function (w, doc) {
        var score = w;
        for (var i = 1; i < lists.length; i++) {
          var x = lists[i].get(doc);
          if (x === undefined) return;
          score += x;
        }
        scored.push([doc, score]);
      });
      scored.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      // Documents are numbered chapters first, then people, events, places, organizations, terms.
      var from = 0, total = scored.length;
      var jobs = KINDS.map(function (k) {
        var lo = from, hi = from + (meta.counts[k[0]] || 0);
        from = hi;
        var mine = scored.filter(function (s) { return s[0] >= lo && s[0] < hi; });
        return documents(meta, mine.slice(0, k[2]).map(first)).then(function (docs) {
          return { label: k[1], total: mine.length, hits: docs.map(function (d) { return hit(d, words); }) };
        });
      });
      return Promise.all(jobs).then(function (groups) { return { groups: groups, total: total }; });
    });
  }

  function search() {
    var query = input.value.trim();
    if (query === lastQuery && !panel.hidden) return;
    lastQuery = query;
    var mine = ++seq;
    clearTimeout(timer);
    if (!query) {
      close();
      status.textContent = "";
      return;
    }
    // Wait for a pause in typing, unless the index is not loaded yet (that takes a moment anyway).
    new Promise(function (resolve) { timer = setTimeout(resolve, files["search/meta.json"] ? 80 : 0); })
      .then(function () { return mine === seq ? load() : null; })
      .then(function (meta) { return meta && mine === seq ? find(meta, query) : null; })
      .then(function (found) {
        if (found && mine === seq) show(query, found.groups, found.total);
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
    load().catch(function () {}); // reported when a search needs it
    if (input.value.trim()) search();
  }
})();
