/* Compact Toolkit: progressive enhancement for filters and printing (the action plan has
   its own script, actions.js). Every page reads fully without this script: all actions
   and case studies are listed and the panels that need it stay hidden. No inline scripts
   or handlers anywhere, so a strict Content-Security-Policy (default-src 'self') is fine. */
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  // Filters: each select narrows the list by one data- attribute of its items. The choice
  // is kept in the address (?stage=planning), so a filtered list can be shared or bookmarked.
  function setUpFilters(form) {
    var lists = document.querySelectorAll("[data-filter-list='" + form.getAttribute("data-filter") + "']");
    var selects = form.querySelectorAll("select[data-attribute]");
    var status = form.querySelector(".filters__status");
    var printNote = document.querySelector("[data-print-filter]");
    var query = new URLSearchParams(window.location.search);

    each(selects, function (select) {
      var wanted = query.get(select.name);
      if (wanted && select.querySelector("option[value='" + wanted.replace(/[^\w.-]/g, "") + "']")) { select.value = wanted; }
    });

    function apply(remember) {
      var shown = 0, total = 0, chosen = [];
      each(selects, function (select) {
        if (select.value) { chosen.push(select.options[select.selectedIndex].text); }
      });
      each(lists, function (list) {
        each(list.children, function (item) {
          var visible = Array.prototype.every.call(selects, function (select) {
            var value = item.getAttribute("data-" + select.getAttribute("data-attribute")) || "";
            // One value ("planning", "Tower Hamlets") or a list ("2.3|3.6", "young people|outcomes").
            return !select.value || value.split("|").indexOf(select.value) !== -1;
          });
          item.hidden = !visible;
          total += 1;
          if (visible) { shown += 1; }
        });
        var group = list.closest("[data-group]");
        if (group) { group.hidden = !list.querySelector(":scope > :not([hidden])"); }
      });
      if (status) { status.textContent = format(status.getAttribute("data-template"), {shown: shown, total: total}); }
      if (printNote) {
        printNote.textContent = chosen.length ? format(printNote.getAttribute("data-template"), {filters: chosen.join(", ")}) : "";
        printNote.hidden = !chosen.length;
      }
      if (remember) {
        var params = new URLSearchParams(window.location.search);
        each(selects, function (select) {
          if (select.value) { params.set(select.name, select.value); } else { params.delete(select.name); }
        });
        var search = params.toString();
        try {
          window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
        } catch (e) { /* some file:// pages refuse; the filter still works */ }
      }
    }
    each(selects, function (select) { select.addEventListener("change", function () { apply(true); }); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    // A form for a few items (data-only-when-chosen) shows only when the address chose
    // something, as a theme tag's link (?theme=...) does; it then stays, as the way back.
    form.hidden = form.hasAttribute("data-only-when-chosen") &&
      !Array.prototype.some.call(selects, function (select) { return select.value; });
    apply(false);
  }

  function setUpPrinting() {
    each(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    var lang = document.documentElement.lang || "en";
    var today = new Date().toLocaleDateString(lang === "en" ? "en-GB" : lang, {day: "numeric", month: "long", year: "numeric"});
    each(document.querySelectorAll("[data-print-date]"), function (date) { date.textContent = today; });
    each(document.querySelectorAll("[data-printed-on]"), function (line) {
      line.querySelector("[data-today]").textContent = today;
      line.hidden = false;
    });
  }

  each(document.querySelectorAll("form.filters[data-filter]"), setUpFilters);
  setUpPrinting();
}());
