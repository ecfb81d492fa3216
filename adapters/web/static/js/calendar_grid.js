/* Working-day calendar pages. Year view: clicking a day fills the "change one day" form.
   Editor: clicking a day toggles it (plain checkboxes, so it works without script) and selects it, so its note
   can be typed in the note box, which keeps the notes textarea (what is submitted) in step. */
(function () {
  "use strict";

  function fillDayForm(form) {
    document.querySelectorAll("td[data-day]").forEach(function (cell) {
      cell.addEventListener("click", function () {
        var working = cell.dataset.kind === "workday" || cell.dataset.kind === "makeup";
        form.elements.day.value = cell.dataset.day;
        form.elements.kind.value = working ? "workday" : "holiday";
        form.elements.note.value = cell.dataset.note || "";
        document.querySelectorAll("td.selected").forEach(function (c) { c.classList.remove("selected"); });
        cell.classList.add("selected");
        form.scrollIntoView({ behavior: "smooth", block: "nearest" });
      });
    });
  }

  function readNotes(area) {
    var notes = {};
    area.value.split(/\r?\n/).forEach(function (line) {
      var match = line.trim().match(/^(\d{4}-\d{2}-\d{2})\s*(.*)$/);
      if (match) { notes[match[1]] = match[2]; }
    });
    return notes;
  }

  function writeNotes(area, notes) {
    area.value = Object.keys(notes).sort().filter(function (day) { return notes[day]; })
      .map(function (day) { return day + " " + notes[day]; }).join("\n");
  }

  function markNoted(form, area) {
    var notes = readNotes(area);
    form.querySelectorAll("input[name=work]").forEach(function (box) {
      box.closest("td").classList.toggle("noted", Boolean(notes[box.value]));
      box.closest("label").title = box.value + (notes[box.value] ? " · " + notes[box.value] : "");
    });
  }

  function editor(form) {
    var area = form.querySelector("[data-notes]");
    var box = form.querySelector("[data-note-editor]");
    var input = box.querySelector("[data-note-input]");
    var label = box.querySelector("[data-note-day]");
    var current = null;
    form.addEventListener("change", function (event) {
      if (event.target.name !== "work") { return; }
      current = event.target.value;
      box.hidden = false;
      label.textContent = current;
      input.value = readNotes(area)[current] || "";
    });
    input.addEventListener("input", function () {
      if (!current) { return; }
      var notes = readNotes(area);
      notes[current] = input.value.trim();
      writeNotes(area, notes);
      markNoted(form, area);
    });
    area.addEventListener("input", function () { markNoted(form, area); });
    markNoted(form, area);
  }

  var dayForm = document.querySelector("[data-day-form]");
  if (dayForm) { fillDayForm(dayForm); }
  var editForm = document.querySelector("[data-edit-form]");
  if (editForm) { editor(editForm); }
})();
