// The analysis of England's progress bar: while a run is under way, ask how far it has got
// every two seconds and move the bar; reload the page once it has finished, to show its
// figures. Without JavaScript the page has a link to check progress.
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url][data-busy]");
  if (!section) { return; }
  var bar = section.querySelector("progress");
  var status = section.querySelector("[data-run-status]");
  var count = section.querySelector("[data-run-count]");
  function poll() {
    fetch(section.dataset.progressUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (run) {
        if (!run) { return; }
        bar.value = run.percent;
        bar.textContent = run.percent + "%";
        status.textContent = run.status_label;
        count.textContent = run.districts_done + " of " + run.districts_total;
        if (run.status === "done" || run.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      });
  }
  window.setTimeout(poll, 2000);
})();
