/* Compact Toolkit: the action plan (actions.html, and the page for each audience).

   Each action's status, owner, due date and notes are kept in this browser (localStorage),
   per edition (body data-edition): two areas' sites on one host never share a plan, and the
   pages of one edition (everyone, each audience) show the same one. Nothing is sent
   anywhere. The plan leaves the browser only when the reader downloads it (a CSV file for
   Excel) or copies a link that carries it after the # (#plan=..., a part of an address that
   browsers never send to a server). Opening such a link shows that plan, unsaved, until the
   reader chooses to keep it. Clearing asks first; a clear, an import or keeping a shared
   plan can be undone.

   Every control is in the page from the start (actions.html), so filling them in moves
   nothing. No inline script or style, so a strict Content-Security-Policy is fine. */
(function () {
  "use strict";
  var plan = document.querySelector("[data-plan]");
  if (!plan) { return; }
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var edition = document.body.getAttribute("data-edition") || "toolkit";
  var storeKey = "compact-toolkit:" + edition + ":plan";
  var oldKey = "compact-toolkit:" + edition + ":done-actions";     // the ticks of the checklist it replaced
  var FIELDS = ["status", "owner", "due", "notes"];
  var STATUSES = ["", "in-progress", "done"];
  var LINK_CODES = {"": "", "i": "in-progress", "d": "done"};
  var LIMITS = {owner: 100, notes: 1000};
  var ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  var lang = document.documentElement.lang || "en";
  var locale = lang === "en" ? "en-GB" : lang;

  var items = Array.prototype.slice.call(plan.querySelectorAll("li.action[data-action]"));
  var ids = items.map(function (item) { return item.getAttribute("data-action"); });
  var rows = {};
  each(plan.querySelectorAll("tr[data-action]"), function (row) { rows[row.getAttribute("data-action")] = row; });
  var progress = plan.querySelector("[data-plan-progress]");
  var bar = plan.querySelector("[data-plan-bar]");
  var banner = plan.querySelector("[data-plan-shared]");
  var bannerText = banner.querySelector("[data-plan-shared-text]");
  var bannerWords = bannerText.textContent;
  var keepButton = banner.querySelector("[data-plan-keep]");
  var notice = plan.querySelector("[data-plan-notice]");
  var noticeText = notice.querySelector("[data-notice-text]");
  var noticeLink = notice.querySelector("[data-notice-link]");
  var noticeUrl = notice.querySelector("[data-notice-url]");
  var yesButton = notice.querySelector("[data-notice-yes]");
  var undoButton = notice.querySelector("[data-notice-undo]");
  var cancelButton = notice.querySelector("[data-notice-cancel]");
  var words = notice.dataset;
  var statusLabels = {};                      // "done" -> "Done", in the page's language
  each(items[0].querySelector("select[data-plan-field='status']").options, function (option) {
    statusLabels[option.value] = option.text;
  });

  var storageWorks = true;
  var saved = readStore();       // this browser's plan: action id -> {status, owner, due, notes}, only what is set
  var shared = null;             // while a link's plan is shown: the same, for the actions on this page
  var undo = null;               // what the last clear, import or keep replaced: id -> entry or null
  var onYes = null;              // what the notice's "Yes" button does while it asks

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }
  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  // One action's entry with only what is set, each value checked; null when nothing is.
  function tidy(entry) {
    var out = {}, any = false;
    FIELDS.forEach(function (name) {
      var value = entry && typeof entry[name] === "string" ? entry[name] : "";
      if (name === "status" && STATUSES.indexOf(value) === -1) { value = ""; }
      if (name === "due" && value && !realDate(value)) { value = ""; }
      if (own(LIMITS, name)) { value = value.slice(0, LIMITS[name]); }
      if (value) { out[name] = value; any = true; }
    });
    return any ? out : null;
  }

  function realDate(iso) {
    var match = ISO_DATE.exec(iso);
    if (!match) { return false; }
    var day = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    return day.getUTCFullYear() === +match[1] && day.getUTCMonth() === +match[2] - 1 && day.getUTCDate() === +match[3];
  }

  function readStore() {
    var found = Object.create(null);
    var store;
    try { store = window.localStorage; store.getItem(storeKey); } catch (e) { storageWorks = false; return found; }
    try {
      var text = store.getItem(storeKey);
      if (text === null) {                    // first visit since the checklist: its ticks become "done"
        var ticks = JSON.parse(store.getItem(oldKey) || "[]");
        (Array.isArray(ticks) ? ticks : []).forEach(function (id) {
          if (typeof id === "string") { found[id] = {status: "done"}; }
        });
        if (Object.keys(found).length) { store.setItem(storeKey, JSON.stringify(found)); }
        store.removeItem(oldKey);
        return found;
      }
      var data = JSON.parse(text);
      if (data && typeof data === "object" && !Array.isArray(data)) {
        Object.keys(data).forEach(function (id) {
          var entry = tidy(data[id]);
          if (entry) { found[id] = entry; }
        });
      }
    } catch (e) { /* a plan this script cannot read is left as it is and not shown */ }
    return found;
  }

  function writeStore() {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(saved));
    } catch (e) {
      if (storageWorks) { storageWorks = false; showNotice(words.noStorage, {}); }
    }
  }

  function shown() { return shared || saved; }

  function setText(element, text) {
    if (element && element.textContent !== text) { element.textContent = text; }
  }

  function longDate(iso) {
    if (!iso) { return ""; }
    var match = ISO_DATE.exec(iso);
    return new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]))
      .toLocaleDateString(locale, {day: "numeric", month: "long", year: "numeric", timeZone: "UTC"});
  }

  // The fields, from the plan shown; then the progress and the printed table.
  function render() {
    var current = shown();
    items.forEach(function (item, index) {
      var entry = current[ids[index]] || {};
      each(item.querySelectorAll("[data-plan-field]"), function (field) {
        var value = entry[field.getAttribute("data-plan-field")] || "";
        if (field.value !== value) { field.value = value; }
        field.disabled = !!shared;
      });
      item.setAttribute("data-status", entry.status || "not-started");
    });
    summarise();
  }

  function summarise() {
    var current = shown(), done = 0, started = 0, stages = {};
    items.forEach(function (item, index) {
      var status = (current[ids[index]] || {}).status || "";
      var stage = stages[item.getAttribute("data-stage")] = stages[item.getAttribute("data-stage")] || {done: 0, total: 0};
      stage.total += 1;
      if (status === "done") { done += 1; stage.done += 1; }
      if (status === "in-progress") { started += 1; }
    });
    setText(progress, format(progress.getAttribute("data-template"), {done: done, total: items.length, started: started}));
    each(plan.querySelectorAll("[data-stage-progress]"), function (line) {
      var stage = stages[line.closest("[data-stage]").getAttribute("data-stage")] || {done: 0, total: 0};
      setText(line, format(line.getAttribute("data-template"), stage));
    });
    ids.forEach(function (id) {
      var row = rows[id], entry = current[id] || {};
      if (!row) { return; }
      setText(row.querySelector("[data-cell='status']"), statusLabels[entry.status || ""]);
      setText(row.querySelector("[data-cell='owner']"), entry.owner || "");
      setText(row.querySelector("[data-cell='due']"), longDate(entry.due));
      setText(row.querySelector("[data-cell='notes']"), entry.notes || "");
    });
  }

  // Each field is saved as it changes.
  items.forEach(function (item, index) {
    each(item.querySelectorAll("[data-plan-field]"), function (field) {
      function save() {
        if (shared) { return; }
        var entry = {};
        FIELDS.forEach(function (name) { entry[name] = (saved[ids[index]] || {})[name] || ""; });
        entry[field.getAttribute("data-plan-field")] = field.value;
        var kept = tidy(entry);
        if (kept) { saved[ids[index]] = kept; } else { delete saved[ids[index]]; }
        item.setAttribute("data-status", (kept && kept.status) || "not-started");
        if (undo) { undo = null; hideNotice(); }          // undo would now lose this change
        writeStore();
        summarise();
      }
      field.addEventListener("input", save);
      field.addEventListener("change", save);
    });
  });

  // Replace some actions' entries (id -> entry or null), keeping what they were for Undo.
  function replace(entries) {
    undo = {};
    Object.keys(entries).forEach(function (id) {
      undo[id] = saved[id] || null;
      var entry = tidy(entries[id]);
      if (entry) { saved[id] = entry; } else { delete saved[id]; }
    });
    writeStore();
    render();
  }

  // The notice under the tools: a question, what has just happened (with Undo), or the link.
  function showNotice(text, options) {
    noticeText.textContent = text;
    onYes = options.ask || null;
    yesButton.hidden = cancelButton.hidden = !options.ask;
    undoButton.hidden = !options.undo;
    noticeLink.hidden = !options.link;
    if (options.link) { noticeUrl.value = options.link; }
    notice.hidden = false;
    if (options.link) { noticeUrl.focus(); noticeUrl.select(); } else { notice.focus(); }
  }
  function hideNotice() { notice.hidden = true; onYes = null; }

  yesButton.addEventListener("click", function () { var act = onYes; hideNotice(); if (act) { act(); } });
  cancelButton.addEventListener("click", function () { hideNotice(); plan.querySelector("[data-plan-clear]").focus(); });
  notice.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && onYes) { cancelButton.click(); }
  });
  undoButton.addEventListener("click", function () {
    if (!undo) { return; }
    var before = undo;
    Object.keys(before).forEach(function (id) {
      if (before[id]) { saved[id] = before[id]; } else { delete saved[id]; }
    });
    undo = null;
    writeStore();
    render();
    showNotice(words.undone, {});
  });

  plan.querySelector("[data-plan-clear]").addEventListener("click", function () {
    showNotice(format(words.clearConfirm, {count: ids.length}), {ask: function () {
      var entries = {};
      ids.forEach(function (id) { entries[id] = null; });
      replace(entries);
      showNotice(words.cleared, {undo: true});
    }});
  });

  // --- The plan as a CSV file, for Excel ---------------------------------------------

  function columnName(name) { return plan.querySelector("th[data-column='" + name + "']").textContent; }

  function csvCell(value) {
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }   // a spreadsheet would run it as a formula
    return "\"" + text.replace(/"/g, "\"\"") + "\"";
  }

  function todayIso() {
    var now = new Date(), pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  plan.querySelector("[data-plan-download]").addEventListener("click", function () {
    var current = shown();
    var lines = [[plan.getAttribute("data-csv-id"), columnName("action"), plan.getAttribute("data-csv-audience"),
                  columnName("stage"), columnName("status"), columnName("owner"), columnName("due"), columnName("notes")]];
    ids.forEach(function (id) {
      var row = rows[id], entry = current[id] || {};
      lines.push([id, row.cells[0].firstChild.textContent, row.getAttribute("data-audience-name"), row.cells[1].textContent,
                  statusLabels[entry.status || ""], entry.owner || "", entry.due || "", entry.notes || ""]);
    });
    var text = "\uFEFF" + lines.map(function (cells) { return cells.map(csvCell).join(","); }).join("\r\n") + "\r\n";
    var link = document.createElement("a");
    var audience = plan.getAttribute("data-audience");
    link.href = URL.createObjectURL(new Blob([text], {type: "text/csv;charset=utf-8"}));
    link.download = edition + "-action-plan" + (audience ? "-" + audience : "") + "-" + todayIso() + ".csv";
    link.click();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  });

  // RFC 4180, as Excel writes it: quoted fields, "" for a quote, CRLF or LF; the delimiter
  // is the one the first line uses most (Excel in some languages writes ';').
  function parseCsv(text) {
    var first = text.split(/\r?\n/, 1)[0].replace(/"[^"]*"/g, "");
    var delimiter = [",", ";", "\t"].reduce(function (best, candidate) {
      return first.split(candidate).length > first.split(best).length ? candidate : best;
    }, ",");
    var table = [], row = [], cell = "", quoted = false;
    for (var i = 0; i < text.length; i += 1) {
      var c = text.charAt(i);
      if (quoted) {
        if (c === "\"" && text.charAt(i + 1) === "\"") { cell += "\""; i += 1; } else if (c === "\"") { quoted = false; } else { cell += c; }
      } else if (c === "\"") {
        quoted = true;
      } else if (c === delimiter) {
        row.push(cell); cell = "";
      } else if (c === "\r" || c === "\n") {
        if (c === "\r" && text.charAt(i + 1) === "\n") { i += 1; }
        row.push(cell); table.push(row); row = []; cell = "";
      } else {
        cell += c;
      }
    }
    if (cell || row.length) { row.push(cell); table.push(row); }
    return table;
  }

  function fromCell(text) { return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text; }

  // A due date as Excel may have saved it again: 2026-03-31, or 31/03/2026 (day first).
  function readDate(text) {
    if (!text) { return ""; }
    if (realDate(text)) { return text; }
    var match = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(text);
    if (!match) { return null; }
    var iso = match[3] + "-" + ("0" + match[2]).slice(-2) + "-" + ("0" + match[1]).slice(-2);
    return realDate(iso) ? iso : null;
  }

  function readPlanFile(text) {
    var table = parseCsv(text.replace(/^\uFEFF/, ""));
    var heads = (table[0] || []).map(function (cell) { return cell.trim().toLowerCase(); });
    var at = function (name) { return heads.indexOf(name.trim().toLowerCase()); };
    var idName = plan.getAttribute("data-csv-id");
    var columns = {id: at(idName), status: at(columnName("status")), owner: at(columnName("owner")),
                   due: at(columnName("due")), notes: at(columnName("notes"))};
    if (columns.id === -1) { return {error: format(words.importNoId, {column: idName})}; }
    var statuses = Object.create(null);
    STATUSES.forEach(function (code) { statuses[code] = code; statuses[statusLabels[code].toLowerCase()] = code; });
    var found = {}, count = 0, skipped = 0;
    for (var r = 1; r < table.length; r += 1) {
      var cell = function (name) { return columns[name] === -1 ? "" : fromCell(table[r][columns[name]] || ""); };
      var id = cell("id").trim();
      if (!id || ids.indexOf(id) === -1) {
        if (table[r].join("").trim()) { skipped += 1; }
        continue;
      }
      var statusText = cell("status").trim();
      if (!(statusText.toLowerCase() in statuses)) {
        return {error: format(words.importBadStatus, {row: r + 1, value: statusText,
                                                       allowed: STATUSES.map(function (s) { return statusLabels[s]; }).join(", ")})};
      }
      var due = readDate(cell("due").trim());
      if (due === null) { return {error: format(words.importBadDate, {row: r + 1, value: cell("due").trim()})}; }
      if (!own(found, id)) { count += 1; }
      found[id] = {status: statuses[statusText.toLowerCase()], owner: cell("owner").trim(), due: due, notes: cell("notes")};
    }
    return count ? {plan: found, count: count, skipped: skipped} : {error: words.importNoRows};
  }

  var fileInput = plan.querySelector("[data-plan-file]");
  plan.querySelector("[data-plan-import]").addEventListener("click", function () {
    fileInput.value = "";
    fileInput.click();
  });
  fileInput.addEventListener("change", function () {
    var file = fileInput.files[0];
    if (!file) { return; }
    file.text().then(function (text) {
      var result = readPlanFile(text);
      if (result.error) {
        showNotice(format(words.importFailed, {file: file.name, reason: result.error}), {});
        return;
      }
      replace(result.plan);
      var message = format(words.imported, {file: file.name, count: result.count});
      if (result.skipped) { message += " " + format(words.importSkipped, {count: result.skipped}); }
      showNotice(message, {undo: true});
    });
  });

  // --- The plan in a link ---------------------------------------------------------------

  function toBase64Url(text) {
    var binary = "";
    new TextEncoder().encode(text).forEach(function (byte) { binary += String.fromCharCode(byte); });
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function fromBase64Url(text) {
    var binary = window.atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) { bytes[i] = binary.charCodeAt(i); }
    return new TextDecoder("utf-8", {fatal: true}).decode(bytes);
  }

  // {"v":1,"p":{"action-id":["d","Owner","2026-03-31","Notes"]}}: this page's actions that have
  // anything set, status as a letter, empty values at the end left off.
  function linkFor(entries) {
    var compact = {};
    ids.forEach(function (id) {
      var entry = entries[id];
      if (!entry) { return; }
      var code = Object.keys(LINK_CODES).filter(function (key) { return LINK_CODES[key] === (entry.status || ""); })[0];
      var values = [code, entry.owner || "", entry.due || "", entry.notes || ""];
      while (values.length && !values[values.length - 1]) { values.pop(); }
      compact[id] = values;
    });
    return window.location.href.split("#")[0] + "#plan=" + toBase64Url(JSON.stringify({v: 1, p: compact}));
  }

  function planInLink(text) {
    try {
      var data = JSON.parse(fromBase64Url(text));
      if (!data || data.v !== 1 || !data.p || typeof data.p !== "object" || Array.isArray(data.p)) { return null; }
      var found = Object.create(null);
      Object.keys(data.p).forEach(function (id) {
        var values = data.p[id];
        if (ids.indexOf(id) === -1 || !Array.isArray(values)) { return; }
        var entry = tidy({status: own(LINK_CODES, values[0] || "") ? LINK_CODES[values[0] || ""] : "",
                          owner: values[1], due: values[2], notes: values[3]});
        if (entry) { found[id] = entry; }
      });
      return found;
    } catch (e) {
      return null;
    }
  }

  plan.querySelector("[data-plan-share]").addEventListener("click", function () {
    var url = linkFor(saved);
    showNotice(words.linkCopyYourself, {link: url});
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { setText(noticeText, words.linkCopied); },
                                              function () { /* not allowed here: the reader copies it */ });
    }
  });

  function forgetLink() {
    try {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    } catch (e) {
      window.location.hash = "";
    }
  }

  // A link's plan is shown in place of this browser's, with the banner in place of the tools.
  function showLinkedPlan() {
    var match = /^#plan=([A-Za-z0-9_-]*)$/.exec(window.location.hash);
    if (!match) { return false; }
    shared = planInLink(match[1]);
    bar.classList.add("is-off");
    banner.classList.remove("is-off");
    bannerText.textContent = shared ? bannerWords : bannerText.getAttribute("data-unreadable");
    keepButton.classList.toggle("is-off", !shared);
    hideNotice();
    render();
    return true;
  }

  function leaveLinkedPlan() {
    shared = null;
    banner.classList.add("is-off");
    bar.classList.remove("is-off");
    forgetLink();
    render();
  }

  keepButton.addEventListener("click", function () {
    var kept = shared, entries = {};
    ids.forEach(function (id) { entries[id] = kept[id] || null; });
    leaveLinkedPlan();
    replace(entries);
    showNotice(words.sharedKept, {undo: true});
  });
  banner.querySelector("[data-plan-leave]").addEventListener("click", function () {
    leaveLinkedPlan();
    bar.querySelector("button").focus();
  });
  window.addEventListener("hashchange", showLinkedPlan);

  // Another tab of this edition changed the plan.
  window.addEventListener("storage", function (event) {
    if (event.key === storeKey || event.key === null) {
      saved = readStore();
      if (!shared) { render(); }
    }
  });

  if (!storageWorks) { setText(plan.querySelector(".plan-tools__note"), words.noStorage); }
  if (!showLinkedPlan()) { render(); }
}());
