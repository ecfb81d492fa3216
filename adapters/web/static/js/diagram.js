/* Show BPMN diagrams with the vendored bpmn-js navigated viewer and colour elements by their state.
   The XML and the states are read from <script type="application/json"> blocks. */
(function () {
  "use strict";
  var MARKERS = { completed: "st-completed", active: "st-active", error: "st-error" };

  function readJson(id) {
    var el = document.getElementById(id);
    try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
  }

  function message(container, text) {
    var p = document.createElement("p");
    p.className = "diagram-message";
    p.textContent = text;
    container.appendChild(p);
  }

  function show(container) {
    var xml = readJson(container.getAttribute("data-xml"));
    var states = readJson(container.getAttribute("data-states")) || {};
    if (!xml) { message(container, container.getAttribute("data-empty")); return; }
    if (typeof window.BpmnJS !== "function") { message(container, container.getAttribute("data-failed")); return; }
    var viewer = new window.BpmnJS({ container: container });
    viewer.importXML(xml).then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      Object.keys(states).forEach(function (id) {
        if (registry.get(id) && MARKERS[states[id]]) { canvas.addMarker(id, MARKERS[states[id]]); }
      });
      canvas.zoom("fit-viewport", "auto");
    }).catch(function (err) {
      var noLayout = /no diagram to display/i.test(String(err && err.message));
      message(container, noLayout ? container.getAttribute("data-empty")
                                  : container.getAttribute("data-failed") + String(err && err.message || err));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-diagram]").forEach(show);
  });
})();
