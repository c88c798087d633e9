// The search box's results: loaded by the header's few lines when a reader reaches for the box.
// It reads Dossier's search index (search/meta.json, found from the page's path to the site root,
// so any base path works; then only the index shards and document chunks a query needs, see
// src/search.rs), searches as the reader types and lists what it finds: the kind of page, its
// title and an excerpt with the words found highlighted, and for a chapter the sections that
// match. Every word must match; the last one also as the start of a word (search as you type);
// a word of five letters or more also with one typo (two from nine letters: a letter added,
// dropped, changed or two swapped), ranked below exact matches: among the words of the same first
// letter, and among the words of the entities' names whatever their first letter. A query
// that is an entity's name or alias (a person's; any kind meta.json marks as an entity) puts that
// page first, as the "best match" Enter opens. Arrow keys move through the results, Escape
// closes the list.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form || form.hasAttribute("data-ready")) return;
  form.setAttribute("data-ready", "");
  var input = form.querySelector(".search-input");
  var panel = form.querySelector(".search-results");
  var status = form.querySelector("#search-status");
  var root = new URL(form.getAttribute("data-root") || "./", document.baseURI);
  var SUBS = 2, WORDS = 22, PREFIX_SHARDS = 3, FUZZY_SHARDS = 3, FORMAT = 2, NAME = 128, CANDIDATES = 6;
  var NAME_TYPOS = 4; // at most this many name words a word with its first letter wrong is taken for
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

  // How many typos a word may have: none under five letters, one from five, two from nine.
  function allowed(term) {
    var n = Array.from(term).length;
    return n >= 9 ? 2 : n >= 5 ? 1 : 0;
  }

  // Whether `a` and `b` (arrays of code points) are at most `k` edits apart: a letter added,
  // dropped or changed, or two neighbours swapped (optimal string alignment distance).
  function near(a, b, k) {
    if (Math.abs(a.length - b.length) > k) return false;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
        cur.push(d);
        if (d < best) best = d;
      }
      if (best > k) return false;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length] <= k;
  }

  // Add a term's postings to `docs` (doc → { w, name, fuzzy }), keeping the better match of a doc.
  function collect(docs, postings, fuzzy) {
    for (var n = 0, doc = 0; n < postings.length; n += 2) {
      doc += postings[n];
      var raw = postings[n + 1], m = { w: raw & (NAME - 1), name: raw >= NAME, fuzzy: fuzzy };
      var had = docs.get(doc);
      if (!had || (had.fuzzy && !fuzzy)) docs.set(doc, m);
      else if (had.fuzzy === fuzzy) {
        had.w = Math.max(had.w, m.w);
        had.name = had.name || m.name;
      }
    }
  }

  // The shards from `a` to `b` (indices into meta.shards), fetched.
  function shards(meta, a, b) {
    var jobs = [];
    for (var i = a; i <= b; i++) jobs.push(get("search/index/" + meta.shards[i][1]));
    return Promise.all(jobs);
  }

  // Documents with a word: a Map doc → { w: weight, name: a word of its name, fuzzy: found only
  // with a typo }. The word is matched whole, or if `prefix`, also as the start of longer words
  // (weight: the best of them) when its terms lie in at most PREFIX_SHARDS shards; and, if long
  // enough, with typos among the words of the same first letter (in at most FUZZY_SHARDS shards
  // around its own) and, when the word is not in the index as typed, among the words of names
  // with another first letter (see nameTypos).
  // Returns { docs, prefix } (prefix: whether it was matched as one).
  var looked = new Map(); // lookups already made, by word and prefix (a query is typed a letter at a time)
  function lookup(meta, word, prefix) {
    var key = (prefix ? "+" : "=") + word;
    if (!looked.has(key)) {
      looked.set(key, lookupNew(meta, word, prefix));
      looked.get(key).catch(function () { looked.delete(key); });
    }
    return looked.get(key);
  }
  function lookupNew(meta, word, prefix) {
    if (!meta.shards.length) return Promise.resolve({ docs: new Map(), prefix: prefix });
    var a = Math.max(0, shardOf(meta, word)), b = a;
    if (prefix) {
      while (b + 1 < meta.shards.length && starts(meta.shards[b + 1][0], word)) b++;
      if (b - a + 1 > PREFIX_SHARDS) { prefix = false; b = a; }
    }
    var k = allowed(word), head = String.fromCodePoint(word.codePointAt(0));
    var fa = a, fb = a;
    if (k) {
      fa = Math.max(0, shardOf(meta, head));
      while (fb + 1 < meta.shards.length && starts(meta.shards[fb + 1][0], head)) fb++;
      if (fb - fa + 1 > FUZZY_SHARDS) { fa = Math.max(fa, a - 1); fb = Math.min(fb, fa + FUZZY_SHARDS - 1); }
    }
    var lo = Math.min(a, fa), hi = Math.max(b, fb);
    return shards(meta, lo, hi).then(function (loaded) {
      var docs = new Map(), cps = Array.from(word), exact = false;
      loaded.forEach(function (shard, s) {
        var terms = shard.terms, at = lo + s;
        if (at >= a && at <= b) {
          for (var t = lowerBound(terms, word, first); t < terms.length; t++) {
            var term = terms[t][0];
            if (term !== word && !(prefix && starts(term, word))) break;
            collect(docs, terms[t][1], false);
            exact = true;
          }
        }
        if (!k || at < fa || at > fb) return;
        for (var f = lowerBound(terms, head, first); f < terms.length && starts(terms[f][0], head); f++) {
          var cand = terms[f][0];
          // (A term 2k + 1 UTF-16 units longer or shorter is more than k code points away.)
          if (Math.abs(cand.length - word.length) > 2 * k || cand === word || (prefix && starts(cand, word))) continue;
          if (near(cps, Array.from(cand), k)) collect(docs, terms[f][1], true);
        }
      });
      // A word the index has as typed is not taken for a name with its first letter wrong (and
      // costs no more files).
      if (exact || !k) return { docs: docs, prefix: prefix };
      return nameTypos(meta, word, k).then(function (lists) {
        lists.forEach(function (postings) { collect(docs, postings, true); });
        return { docs: docs, prefix: prefix };
      });
    });
  }

  // The postings of the words of entities' names (search/names/<length>.json, the lengths that
  // meta.names lists) at most k edits from `word` whose first letter is not its own ("Metanyahu"
  // for Netanyahu): the index's shards are by first letters, so lookupNew finds only the others.
  function nameTypos(meta, word, k) {
    var names = meta.names || [], cps = Array.from(word), head = cps[0], jobs = [];
    if (!k) return Promise.resolve([]);
    for (var n = cps.length - k; n <= cps.length + k; n++) {
      if (names.indexOf(n) >= 0) jobs.push(get("search/names/" + n + ".json"));
    }
    return Promise.all(jobs).then(function (lists) {
      var near_ = [];
      lists.forEach(function (list) {
        list.forEach(function (w) {
          var c = Array.from(w);
          if (c[0] !== head && near_.length < NAME_TYPOS && near(cps, c, k)) near_.push(w);
        });
      });
      return Promise.all(near_.map(function (w) {
        return get("search/index/" + meta.shards[Math.max(0, shardOf(meta, w))][1]).then(function (shard) {
          var t = lowerBound(shard.terms, w, first);
          return t < shard.terms.length && shard.terms[t][0] === w ? shard.terms[t][1] : [];
        });
      }));
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

  // Whether a word of the text is one of the query's: `words` are { term, prefix, k } (k: the
  // typos it may have).
  function matches(words, term) {
    return words.some(function (w) {
      return w.term === term || (w.prefix && starts(term, w.term)) ||
        (w.k > 0 && term.codePointAt(0) === w.term.codePointAt(0) && near(Array.from(w.term), Array.from(term), w.k));
    });
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

  // Results come grouped by kind (meta.json's groups: chapters, people, events…), each group best
  // first, so a short event cannot push the chapter of the same name out of view; a best match
  // comes before them all.

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
    var li = el("li", "search-hit" + (d.best ? " search-best" : ""));
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
      if (!g.best) label.appendChild(el("span", "search-group-count", String(g.total)));
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

  // How well `terms` (the query's words) name an entity called `name`: 0 exactly, 1 with the
  // last word begun, 2 with typos; -1 not at all.
  function naming(terms, name) {
    var parts = tokens(name).map(function (t) { return t.term; });
    if (parts.length !== terms.length) return -1;
    var worst = 0;
    for (var i = 0; i < parts.length; i++) {
      var q = terms[i], p = parts[i], last = i === parts.length - 1;
      if (q === p) continue;
      if (last && starts(p, q)) { worst = Math.max(worst, 1); continue; }
      var k = allowed(q);
      if (k && near(Array.from(q), Array.from(p), k)) { worst = 2; continue; }
      return -1;
    }
    return worst;
  }

  // The best match among `scored` ([doc, score, typos, all words name words]): an entity whose
  // name or alias the query is, exactly before begun before with typos, then by score.
  function bestMatch(meta, scored, terms, entity) {
    var cands = scored.filter(function (s) { return s[3] && entity(s[0]); }).slice(0, CANDIDATES);
    if (!cands.length) return Promise.resolve(null);
    return documents(meta, cands.map(first)).then(function (docs) {
      var best = null;
      docs.forEach(function (d, i) {
        var q = -1;
        (d.names || [d.title]).forEach(function (n) {
          var m = naming(terms, n);
          if (m >= 0 && (q < 0 || m < q)) q = m;
        });
        if (q >= 0 && (!best || q < best.q)) best = { q: q, doc: d, n: cands[i][0] };
      });
      return best;
    });
  }

  // The query's words: each matched whole, the last also as the start of a word, long ones also
  // with typos. Documents must have every word; those with fewer typos come first, then by weight.
  function find(meta, query) {
    var seen = {}, terms = tokens(query).map(function (t) { return t.term; }).filter(function (t) {
      return seen[t] ? false : (seen[t] = true);
    });
    if (!terms.length) return Promise.resolve({ groups: [], total: 0 });
    return Promise.all(terms.map(function (t, i) { return lookup(meta, t, i === terms.length - 1); })).then(function (found) {
      var words = terms.map(function (t, i) { return { term: t, prefix: found[i].prefix, k: allowed(t) }; });
      var lists = found.map(function (f) { return f.docs; }).sort(function (a, b) { return a.size - b.size; });
      var scored = [];
      lists[0].forEach(function (m, doc) {
        var score = m.w, typos = m.fuzzy ? 1 : 0, named = m.name;
        for (var i = 1; i < lists.length; i++) {
          var x = lists[i].get(doc);
          if (x === undefined) return;
          score += x.w;
          typos += x.fuzzy ? 1 : 0;
          named = named && x.name;
        }
        scored.push([doc, score, typos, named]);
      });
      scored.sort(function (a, b) { return a[2] - b[2] || b[1] - a[1] || a[0] - b[0]; });
      // Documents are numbered by group, in meta.json's order.
      var from = 0, ranges = meta.groups.map(function (g) {
        var r = { kind: g[0], label: g[1], lo: from, hi: from + g[2], shown: g[3], entity: g[4] === 1 };
        from = r.hi;
        return r;
      });
      function entity(doc) {
        return ranges.some(function (r) { return r.entity && doc >= r.lo && doc < r.hi; });
      }
      return bestMatch(meta, scored, terms, entity).then(function (best) {
        var jobs = ranges.map(function (r) {
          var mine = scored.filter(function (s) { return s[0] >= r.lo && s[0] < r.hi && !(best && s[0] === best.n); });
          return documents(meta, mine.slice(0, r.shown).map(first)).then(function (docs) {
            return { label: r.label, total: mine.length, hits: docs.map(function (d) { return hit(d, words); }) };
          });
        });
        return Promise.all(jobs).then(function (groups) {
          if (best) {
            var top = hit(best.doc, words);
            top.best = true;
            groups.unshift({ label: "Best match", total: 1, hits: [top], best: true });
          }
          return { groups: groups, total: scored.length };
        });
      });
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
