/* Compact Toolkit: progressive enhancement for filters, checklists and printing.
   Every page reads fully without this script; it only adds controls. No inline
   scripts or handlers anywhere, so a strict Content-Security-Policy is fine. */
(function () {
  "use strict";
  var edition = document.body.getAttribute("data-edition") || "toolkit";
  var storeKey = "compact-toolkit:" + edition + ":done-actions";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function readTicks() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function writeTicks(ids) {
    try { window.localStorage.setItem(storeKey, JSON.stringify(ids)); } catch (e) { /* private mode: ticks last for this visit */ }
  }

  function setUpFilters(form) {
    var list = document.querySelectorAll("[data-filter-list='" + form.getAttribute("data-filter") + "']");
    var selects = form.querySelectorAll("select[data-attribute]");
    var status = form.querySelector(".filters__status");
    function apply() {
      var shown = 0, total = 0;
      Array.prototype.forEach.call(list, function (container) {
        Array.prototype.forEach.call(container.children, function (item) {
          var visible = true;
          Array.prototype.forEach.call(selects, function (select) {
            if (!select.value) { return; }
            var values = (item.getAttribute("data-" + select.getAttribute("data-attribute")) || "").split(" ");
            if (values.indexOf(select.value) === -1) { visible = false; }
          });
          item.hidden = !visible;
          total += 1;
          if (visible) { shown += 1; }
        });
        var group = container.closest("[data-group]");
        if (group) {
          group.hidden = !Array.prototype.some.call(container.children, function (item) { return !item.hidden; });
        }
      });
      if (status) { status.textContent = format(status.getAttribute("data-template"), {shown: shown, total: total}); }
    }
    Array.prototype.forEach.call(selects, function (select) { select.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.hidden = false;
    apply();
  }

  function setUpChecklist() {
    var boxes = document.querySelectorAll(".action__box");
    if (!boxes.length) { return; }
    var progress = document.querySelector("[data-progress]");
    var count = progress && progress.querySelector(".progress__count");
    function refresh() {
      var ticks = readTicks(), done = 0;
      Array.prototype.forEach.call(boxes, function (box) {
        var id = box.getAttribute("data-action");
        box.checked = ticks.indexOf(id) !== -1;
        box.closest(".action").classList.toggle("is-done", box.checked);
        if (box.checked) { done += 1; }
      });
      if (count) { count.textContent = format(count.getAttribute("data-template"), {done: done, todo: boxes.length - done}); }
    }
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("change", function () {
        var ticks = readTicks().filter(function (id) { return id !== box.getAttribute("data-action"); });
        if (box.checked) { ticks.push(box.getAttribute("data-action")); }
        writeTicks(ticks);
        refresh();
      });
    });
    var clear = document.querySelector("[data-clear-ticks]");
    if (clear) {
      clear.addEventListener("click", function () {
        var ids = Array.prototype.map.call(boxes, function (box) { return box.getAttribute("data-action"); });
        writeTicks(readTicks().filter(function (id) { return ids.indexOf(id) === -1; }));
        refresh();
      });
    }
    if (progress) { progress.hidden = false; }
    window.addEventListener("storage", refresh);
    refresh();
  }

  function setUpPrinting() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    var today = new Date().toLocaleDateString(document.documentElement.lang || "en-GB",
                                              {day: "numeric", month: "long", year: "numeric"});
    Array.prototype.forEach.call(document.querySelectorAll("[data-print-date]"), function (el) { el.textContent = today; });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.filters[data-filter]"), setUpFilters);
  setUpChecklist();
  setUpPrinting();
}());
