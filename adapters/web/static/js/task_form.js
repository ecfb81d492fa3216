/* Task form helpers: add and remove table rows in the browser (the server renders existing rows and
   adds rows without JavaScript too), and warn before leaving a form with unsaved changes. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function rowsOf(table) {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (tr) { return tr.classList.contains("row"); });
  }

  function indexOf(tr, prefix) {
    var pattern = new RegExp("^" + prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-(\\d+)-");
    var largest = -1;
    tr.querySelectorAll("[name]").forEach(function (el) {
      var m = pattern.exec(el.getAttribute("name"));
      if (m) { largest = Math.max(largest, parseInt(m[1], 10)); }
    });
    return largest;
  }

  function clear(tr) {
    tr.classList.remove("has-error");
    tr.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    tr.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    tr.querySelectorAll("input, select, textarea").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      else if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else { el.value = ""; }
    });
  }

  function renumber(table) {
    rowsOf(table).forEach(function (tr, i) {
      var n = tr.querySelector(".rownum .n");
      if (n) { n.textContent = String(i + 1); }
    });
  }

  function addRow(table) {
    var rows = rowsOf(table);
    var max = parseInt(table.getAttribute("data-max") || "1000", 10);
    if (!rows.length || rows.length >= max) { return; }
    var prefix = table.getAttribute("data-rows");
    var last = rows[rows.length - 1];
    var next = Math.max.apply(null, rows.map(function (tr) { return indexOf(tr, prefix); })) + 1;
    var copy = last.cloneNode(true);
    var old = prefix + "-" + indexOf(last, prefix) + "-";
    var fresh = prefix + "-" + next + "-";
    copy.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && value.indexOf(old) === 0) { el.setAttribute(attr, fresh + value.slice(old.length)); }
      });
    });
    clear(copy);
    last.parentNode.appendChild(copy);
    renumber(table);
    var first = copy.querySelector("input:not([type=hidden]):not([readonly]), select, textarea");
    if (first) { first.focus(); }
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest(".add-row");
    if (add) {
      var table = document.querySelector('table[data-rows="' + add.getAttribute("data-table") + '"]');
      if (table) { event.preventDefault(); addRow(table); dirty = true; }
      return;
    }
    var remove = event.target.closest(".remove-row");
    if (remove) {
      var tr = remove.closest("tr");
      var owner = tr.closest("table");
      if (rowsOf(owner).length > 1) { tr.remove(); } else { clear(tr); }
      renumber(owner);
      dirty = true;
    }
  });

  var dirty = false;
  var form = document.getElementById("taskform");
  if (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
