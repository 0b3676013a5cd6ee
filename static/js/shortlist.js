(function () {
  "use strict";
  var button = document.getElementById("print-list");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
