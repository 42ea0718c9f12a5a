/* Compact Toolkit search.
   The index is a script (search-index.js, made by toolkit/search_index.py), not a
   fetched JSON file, so search works when the site is opened from disk (file://)
   and under Content-Security-Policy: default-src 'self'. It holds titles and an
   inverted index (sorted words -> entries); the texts that snippets are cut from
   live in search/text-*.js files, loaded only for the results on show. */
(function () {
  "use strict";
  var index = window.COMPACT_SEARCH_INDEX;
  var box = document.querySelector("[data-search]");
  if (!index || !box) { return; }
  var form = box.querySelector("[data-search-form]");
  var input = box.querySelector("[data-search-input]");
  var status = box.querySelector("[data-search-status]");
  var results = box.querySelector("[data-search-results]");
  var empty = box.querySelector("[data-search-empty]");
  var more = box.querySelector("[data-search-more]");
  var kinds = JSON.parse(results.getAttribute("data-kinds"));
  var PAGE = 20;
  var SNIPPET = 220;

  Array.prototype.forEach.call(document.querySelectorAll("[data-search-noscript]"), function (el) { el.hidden = true; });
  box.hidden = false;

  /* The same folding as toolkit/search_index.py: lower case, accents dropped,
     one character for one character, so positions in the folded text are
     positions in the original. */
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i += 1) {
      var c = text.charAt(i);
      out += c < "\u00c0" ? c.toLowerCase() : c.normalize("NFD").charAt(0).toLowerCase().charAt(0);
    }
    return out;
  }
  var WORD = /[\p{L}\p{N}]+/gu;
  function splitWords(folded) { return folded.match(WORD) || []; }

  var stop = {};
  index.stop.forEach(function (w) { stop[w] = true; });
  var entries = index.entries.map(function (e, n) {
    var kind = index.kinds[e[1]];
    return {n: n, title: e[0], kind: kind[0], url: kind[1].replace("%", e[2]), titleWords: splitWords(fold(e[0]))};
  });
  var words = index.words;
  var parsed = new Array(words.length);

  /* [entry, count, entry, count, ...] for word number w. A list is sparse (gaps and
     counts in base 36) or, for a word in many entries, dense ("~" then two bits an entry,
     three entries a character); search_index.py explains both. */
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var LEVEL_COUNT = [0, 1, 2, 4];
  function postings(w) {
    if (!parsed[w]) {
      var list = [], at = 0, text = index.postings[w];
      if (text.charAt(0) === "~") {
        for (var i = 1; i < text.length; i += 1) {
          var v = DIGITS.indexOf(text.charAt(i));
          for (var k = 0; k < 3; k += 1, v >>= 2) {
            if (v & 3) { list.push(3 * (i - 1) + k, LEVEL_COUNT[v & 3]); }
          }
        }
      } else {
        text.split(",").forEach(function (part) {
          var colon = part.indexOf(":");
          at += parseInt(colon === -1 ? part : part.slice(0, colon), 36);
          list.push(at, colon === -1 ? 1 : parseInt(part.slice(colon + 1), 36));
        });
      }
      parsed[w] = list;
    }
    return parsed[w];
  }

  function firstAtLeast(term) {   // binary search in the sorted words
    var lo = 0, hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid] < term) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /* Entry number -> {exact, prefix} counts of the words starting with term. */
  function bodyMatches(term) {
    var found = {};
    for (var w = firstAtLeast(term); w < words.length && words[w].lastIndexOf(term, 0) === 0; w += 1) {
      var list = postings(w), exact = words[w] === term;
      for (var i = 0; i < list.length; i += 2) {
        var hit = found[list[i]] || (found[list[i]] = {exact: 0, prefix: 0});
        if (exact) { hit.exact += list[i + 1]; } else { hit.prefix += list[i + 1]; }
      }
    }
    return found;
  }

  function titleMatch(entry, term) {       // 2 = a whole word, 1 = the start of a word, 0 = none
    var best = 0;
    entry.titleWords.forEach(function (w) {
      if (w === term) { best = 2; } else if (best === 0 && w.lastIndexOf(term, 0) === 0) { best = 1; }
    });
    return best;
  }

  function queryTerms(query) {
    var all = splitWords(fold(query)).filter(function (t, i, list) { return list.indexOf(t) === i; });
    var needed = all.filter(function (t) { return t.length > 1 && !stop[t]; });
    var optional = all.filter(function (t) { return needed.indexOf(t) === -1; });   // "4" of "2.4", "the"
    return {needed: needed, optional: optional, shown: needed.length ? needed : all};
  }

  /* Every entry that has each needed term (as the start of a word), best first:
     more terms in the title first, then a score from title and text matches. */
  function search(terms) {
    if (!terms.needed.length) { return []; }
    var perTerm = terms.needed.map(bodyMatches);
    var hits = [];
    entries.forEach(function (entry) {
      var inTitle = 0, score = 0;
      for (var t = 0; t < terms.needed.length; t += 1) {
        var title = titleMatch(entry, terms.needed[t]);
        var body = perTerm[t][entry.n];
        if (!title && !body) { return; }
        if (title) { inTitle += 1; score += 8 + 2 * title; }
        if (body) { score += Math.log(1 + body.exact) * 1.5 + Math.log(1 + body.prefix); }
      }
      terms.optional.forEach(function (term) { score += 2 * titleMatch(entry, term); });
      hits.push({entry: entry, inTitle: inTitle, score: score});
    });
    hits.sort(function (a, b) { return b.inTitle - a.inTitle || b.score - a.score || a.entry.n - b.entry.n; });
    return hits;
  }

  /* Texts arrive in search/text-*.js files, each calling this with its name. */
  var texts = {}, loading = {};
  window.COMPACT_SEARCH_TEXT = function (name, list) { texts[name] = list; };
  function shardOf(n) {
    var lo = 0, hi = index.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (index.shards[mid][0] <= n) { lo = mid; } else { hi = mid - 1; }
    }
    return index.shards[lo];
  }
  function loadShard(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = (document.body.getAttribute("data-root") || "") + name;
        script.onload = script.onerror = function () { resolve(); };
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }
  function textOf(n) {
    var shard = shardOf(n), list = texts[shard[1]];
    return list ? list[n - shard[0]] : "";
  }

  function startsAny(folded, terms) {
    for (var i = 0; i < terms.length; i += 1) {
      if (folded.lastIndexOf(terms[i], 0) === 0) { return true; }
    }
    return false;
  }

  /* Words of the text, with positions, that start with one of the terms. */
  function matchesIn(text, folded, terms) {
    var found = [], match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(folded)) !== null) {
      if (startsAny(match[0], terms)) { found.push({at: match.index, end: match.index + match[0].length, word: match[0]}); }
    }
    return found;
  }

  /* A piece of the text around the place where the most terms come together. */
  function snippet(text, terms) {
    if (!text) { return null; }
    var folded = fold(text);
    var found = matchesIn(text, folded, terms);
    var start = 0;
    if (found.length) {
      /* The window with the most different terms; between equals, the one with the
         rarer terms in this text (a name said once tells more than a word said often). */
      var often = {};
      found.forEach(function (m) {
        m.term = terms.filter(function (t) { return m.word.lastIndexOf(t, 0) === 0; })[0];
        often[m.term] = (often[m.term] || 0) + 1;
      });
      var best = -1, bestAt = 0;
      for (var i = 0; i < found.length; i += 1) {
        var seen = {}, score = 0;
        for (var j = i; j < found.length && found[j].at < found[i].at + SNIPPET - 40; j += 1) {
          if (!seen[found[j].term]) { seen[found[j].term] = true; score += 10 + 1 / often[found[j].term]; }
        }
        if (score > best) { best = score; bestAt = found[i].at; }
      }
      start = bestAt < SNIPPET - 80 ? 0 : bestAt - 50;
      if (start > 0) { start = text.indexOf(" ", start) + 1 || start; }
    }
    var end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) { end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end; }
    var p = document.createElement("p");
    p.className = "search__snippet";
    if (start > 0) { p.appendChild(document.createTextNode("… ")); }
    var last = start;
    found.forEach(function (m) {
      if (m.at < start || m.end > end) { return; }
      p.appendChild(document.createTextNode(text.slice(last, m.at)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m.at, m.end);
      p.appendChild(mark);
      last = m.end;
    });
    p.appendChild(document.createTextNode(text.slice(last, end) + (end < text.length ? " …" : "")));
    return p;
  }

  function resultItem(hit, terms) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = (document.body.getAttribute("data-root") || "") + hit.entry.url;
    a.textContent = hit.entry.title;
    li.appendChild(a);
    var kind = document.createElement("span");
    kind.className = "search__kind";
    kind.textContent = kinds[hit.entry.kind] || hit.entry.kind;
    li.appendChild(kind);
    var p = snippet(textOf(hit.entry.n), terms);
    if (p) { li.appendChild(p); }
    return li;
  }

  var current = {query: null, hits: [], terms: null, shown: 0};
  var generation = 0;

  /* Shows the next PAGE results, once the texts their snippets come from are here. */
  function showMore(focusFirst) {
    var mine = generation;
    var slice = current.hits.slice(current.shown, current.shown + PAGE);
    var names = slice.map(function (hit) { return shardOf(hit.entry.n)[1]; });
    return Promise.all(names.filter(function (n, i) { return names.indexOf(n) === i; }).map(loadShard)).then(function () {
      if (mine !== generation) { return; }
      var first = null;
      if (current.shown === 0) { results.textContent = ""; }     // the last results stay until these are ready
      slice.forEach(function (hit) {
        var li = resultItem(hit, current.terms.shown);
        first = first || li;
        results.appendChild(li);
      });
      current.shown += slice.length;
      more.hidden = current.shown >= current.hits.length;
      if (focusFirst && first) { first.querySelector("a").focus(); }
    });
  }

  function announce(count, query) {
    var template = status.getAttribute(count === 0 ? "data-none" : count === 1 ? "data-one" : "data-many");
    status.textContent = template.replace("{count}", count).replace("{query}", query);
  }

  function show(query) {
    var trimmed = query.trim();
    if (trimmed === current.query) { return Promise.resolve(); }
    generation += 1;
    current = {query: trimmed, hits: [], terms: queryTerms(trimmed), shown: 0};
    more.hidden = true;
    if (trimmed.length < 2 || !current.terms.needed.length) {
      results.textContent = "";
      status.textContent = "";
      empty.hidden = true;
      results.removeAttribute("data-query");
      return Promise.resolve();
    }
    current.hits = search(current.terms);
    var mine = generation;
    return showMore(false).then(function () {
      if (mine !== generation) { return; }
      empty.hidden = current.hits.length !== 0;
      announce(current.hits.length, trimmed);
      results.setAttribute("data-query", trimmed);     // done: tests and timings wait for this
    });
  }

  function keepInAddress(query) {
    try {
      var url = new URL(window.location.href);
      if (query.trim()) { url.searchParams.set("q", query.trim()); } else { url.searchParams.delete("q"); }
      window.history.replaceState(null, "", url.href);
    } catch (e) { /* some browsers refuse this for file:// pages; the search still works */ }
  }

  var pending = false;
  input.addEventListener("input", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () {     // one search per frame, however fast the typing
      pending = false;
      show(input.value);
      keepInAddress(input.value);
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value).then(function () {
      var first = results.querySelector("a");
      if (first) { first.focus(); }
    });
    keepInAddress(input.value);
  });
  more.addEventListener("click", function () { showMore(true); });

  /* Arrow keys move between the search box and the results. */
  box.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var links = Array.prototype.slice.call(results.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (document.activeElement === input && event.key === "ArrowDown" && links.length) {
      links[0].focus();
    } else if (at !== -1) {
      var next = event.key === "ArrowDown" ? links[at + 1] : (at === 0 ? input : links[at - 1]);
      if (next) { next.focus(); }
    } else {
      return;
    }
    event.preventDefault();
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
}());
