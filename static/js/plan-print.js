// The "Print the plan" button only works with JavaScript, so it stays hidden without it (the
// page says to use the browser's print instead).
(function () {
  "use strict";
  var button = document.getElementById("print-plan");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
