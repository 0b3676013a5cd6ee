// Feedback takes focus: when a page comes back with a problem (the error summary) or a
// confirmation, focus moves to it, so a screen reader reads it and a sighted person on a small
// screen sees it, wherever on the page it is. Links in an error summary move to their field.
(function () {
  "use strict";
  var feedback = document.querySelector(".error-summary") ||
    document.querySelector("[data-feedback]");
  if (feedback) {
    feedback.focus();
    if (feedback.scrollIntoView) { feedback.scrollIntoView({ block: "center" }); }
  }
  // The link still goes to its #field (the address says where), then focus follows it: a
  // link to a fragment scrolls there, but would leave focus on the summary.
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      window.setTimeout(function () {
        target.focus();
        target.scrollIntoView({ block: "center" });
      }, 0);
    });
  });
})();
