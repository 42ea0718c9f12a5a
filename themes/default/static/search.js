/* Compact Toolkit search. The index is a script (search-index.js) rather than a
   fetched JSON file, so search works when the site is opened from disk (file://)
   and under Content-Security-Policy: default-src 'self'. */
(function () {
  "use strict";
  var index = window.COMPACT_SEARCH_INDEX;
  var box = document.querySelector("[data-search]");
  if (!index || !box) { return; }
  var form = box.querySelector("[data-search-form]");
  var input = box.querySelector("#search-input");
  var status = box.querySelector("[data-search-status]");
  var results = box.querySelector("[data-search-results]");
  var empty = box.querySelector("[data-search-empty]");
  var kinds = JSON.parse(results.getAttribute("data-kinds"));
  var root = document.body.getAttribute("data-root") || "";
  var noscript = document.querySelector("[data-search-noscript]");
  if (noscript) { noscript.hidden = true; }
  box.hidden = false;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var prepared = index.map(function (entry) {
    return {title: entry[0], kind: entry[1], url: entry[2], text: entry[3],
            foldedTitle: fold(entry[0]), foldedText: fold(entry[3])};
  });

  function wordStart(haystack, term) {
    var re = new RegExp("(^|[^a-z0-9])" + term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    var match = re.exec(haystack);
    return match ? match.index + match[1].length : -1;
  }

  function search(query) {
    var terms = fold(query).split(/[^a-z0-9]+/).filter(function (t) { return t.length > 0; });
    if (!terms.length) { return []; }
    var found = [];
    prepared.forEach(function (entry) {
      var score = 0, first = -1;
      for (var i = 0; i < terms.length; i += 1) {
        var inTitle = wordStart(entry.foldedTitle, terms[i]);
        var inText = wordStart(entry.foldedText, terms[i]);
        if (inTitle === -1 && inText === -1) { return; }
        if (inTitle !== -1) { score += 10; }
        if (inText !== -1) { score += 1; if (first === -1 || inText < first) { first = inText; } }
      }
      found.push({entry: entry, score: score, at: first});
    });
    found.sort(function (a, b) { return b.score - a.score || a.entry.title.localeCompare(b.entry.title); });
    return found.slice(0, 50).map(function (hit) { hit.terms = terms; return hit; });
  }

  function snippet(hit) {
    var text = hit.entry.text;
    if (!text) { return null; }
    var start = Math.max(0, hit.at - 60);
    var piece = (start > 0 ? "…" : "") + text.slice(start, start + 200) + (start + 200 < text.length ? "…" : "");
    var p = document.createElement("p");
    p.className = "search__snippet";
    var pattern = new RegExp("(" + hit.terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|") + ")", "gi");
    var last = 0, match;
    while ((match = pattern.exec(piece)) !== null) {
      p.appendChild(document.createTextNode(piece.slice(last, match.index)));
      var mark = document.createElement("mark");
      mark.textContent = match[0];
      p.appendChild(mark);
      last = match.index + match[0].length;
      if (match[0].length === 0) { pattern.lastIndex += 1; }
    }
    p.appendChild(document.createTextNode(piece.slice(last)));
    return p;
  }

  function show(query) {
    results.textContent = "";
    var trimmed = query.trim();
    if (trimmed.length < 2) { status.textContent = ""; empty.hidden = true; return; }
    var hits = search(trimmed);
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + hit.entry.url;
      a.textContent = hit.entry.title;
      var kind = document.createElement("span");
      kind.className = "search__kind";
      kind.textContent = kinds[hit.entry.kind] || hit.entry.kind;
      li.appendChild(a);
      li.appendChild(kind);
      var p = snippet(hit);
      if (p) { li.appendChild(p); }
      results.appendChild(li);
    });
    empty.hidden = hits.length !== 0;
    status.textContent = hits.length === 0 ? status.getAttribute("data-none")
      : hits.length + " " + status.getAttribute(hits.length === 1 ? "data-one" : "data-many");
  }

  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { show(input.value); }, 80);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); show(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
}());
