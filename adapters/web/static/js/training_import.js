/* Trainee sheet import with progress: the form is sent with XMLHttpRequest so the browser reports the bytes
   uploaded; the server then streams one JSON line per 50 rows checked (application/x-ndjson) and a last line
   with the outcome. Without JavaScript the same form posts normally and the page shows the result. */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }

  function size(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function start(form, button) {
    var box = form.querySelector("[data-progress]");
    var texts = box.querySelector("[data-messages]").dataset;
    var uploadBar = box.querySelector("[data-upload]");
    var parseBar = box.querySelector("[data-parse]");
    var stage = box.querySelector("[data-stage]");
    var result = form.querySelector("[data-result]");
    var seen = 0;
    var finished = false;
    box.hidden = false;
    result.innerHTML = "";
    stage.textContent = "";
    uploadBar.value = 0;
    parseBar.removeAttribute("value");  // indeterminate until the server reports rows
    button.disabled = true;

    function handle(message) {
      if (message.stage === "parse") {
        if (message.total > 0) {
          parseBar.max = message.total;
          parseBar.value = message.done;
          box.querySelector("[data-parse-text]").textContent = format(texts.parsing, message);
        }
      } else if (message.stage === "save") {
        parseBar.max = 1;
        parseBar.value = 1;
        stage.textContent = texts.saving;
      } else if ("ok" in message) {
        finished = true;
        if (message.ok) {
          window.location.assign(message.redirect);
        } else {
          result.innerHTML = message.html;
          stage.textContent = "";
          button.disabled = false;
          result.scrollIntoView({behavior: "smooth", block: "start"});
        }
      }
    }

    function readLines(xhr) {
      var text = xhr.responseText;
      var end = text.lastIndexOf("\n");
      if (end < seen) { return; }
      text.slice(seen, end).split("\n").forEach(function (line) {
        if (line.trim()) { handle(JSON.parse(line)); }
      });
      seen = end + 1;
    }

    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/x-ndjson");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      uploadBar.max = event.total;
      uploadBar.value = event.loaded;
      box.querySelector("[data-upload-text]").textContent =
        format(texts.uploading, {done: size(event.loaded), total: size(event.total)});
    });
    xhr.addEventListener("progress", function () { readLines(xhr); });
    xhr.addEventListener("load", function () {
      if (xhr.status === 200) { readLines(xhr); }
      if (!finished) {
        stage.textContent = xhr.status === 413 ? texts.toobig : texts.failed;
        button.disabled = false;
      }
    });
    xhr.addEventListener("error", function () { stage.textContent = texts.failed; button.disabled = false; });
    var data = new FormData(form);
    data.set("_action", "submit");
    xhr.send(data);
  }

  document.querySelectorAll("form[data-import]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var file = form.querySelector("input[type=file][name=sheet]");
      var action = event.submitter ? event.submitter.value : "submit";
      if (!file || !file.files.length || action.indexOf("addrow") === 0 || !window.FormData) { return; }
      event.preventDefault();
      start(form, event.submitter || form.querySelector("[data-submit]"));
    });
  });
})();
