// Background-job progress: polls the JSON of [data-job-progress] and reloads the page once the job is done.
(function () {
  "use strict";
  document.querySelectorAll("[data-job-progress]").forEach(function (box) {
    var bar = box.querySelector("progress"), text = box.querySelector("[data-job-text]");
    function show(state) {
      if (state.total) { bar.max = state.total; bar.value = state.done; }
      text.textContent = box.dataset.text.replace("{done}", state.done).replace("{total}", state.total || "…");
    }
    function poll() {
      fetch(box.dataset.jobProgress, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (state) {
          show(state);
          if (state.state === "done") { window.location.reload(); return; }
          if (state.state === "failed") { text.textContent = box.dataset.failed; box.classList.add("error"); return; }
          window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
