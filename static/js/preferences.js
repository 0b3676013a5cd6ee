/* Preferences and needs: small enhancements. The forms work without this file: the numbers
   beside each choice set the order, and the server checks the limit of three. */
(function () {
  "use strict";

  // The lowest number from 1 to max that no other select in the list has taken.
  function nextFree(selects, max) {
    var taken = {};
    selects.forEach(function (s) { if (s.value) { taken[s.value] = true; } });
    for (var n = 1; n <= max; n += 1) { if (!taken[String(n)]) { return String(n); } }
    return "";
  }

  // Tick to choose; ticking numbers the choice next, unticking clears its number.
  function numberOnTick(rows, selector, max, onChange) {
    var selects = rows.map(function (row) { return row.querySelector(selector); });
    rows.forEach(function (row, i) {
      var box = row.querySelector("input[type=checkbox]");
      var select = selects[i];
      if (!box || !select) { return; }
      box.addEventListener("change", function () {
        if (box.checked && !select.value) {
          select.value = nextFree(selects.filter(function (s) { return s !== select; }), max);
        } else if (!box.checked) {
          select.value = "";
        }
        if (onChange) { onChange(); }
      });
    });
  }

  // Top three: a live count, and the order box shown only beside ticked choices.
  var topThree = document.querySelector("[data-top-three]");
  if (topThree) {
    var max = parseInt(topThree.getAttribute("data-max"), 10) || 3;
    var rows = Array.prototype.slice.call(topThree.querySelectorAll("[data-choice]"));
    var count = topThree.querySelector("[data-count]");
    var update = function () {
      var chosen = 0;
      rows.forEach(function (row) {
        var box = row.querySelector("input[type=checkbox]");
        var order = row.querySelector("[data-order]");
        if (box.checked) { chosen += 1; }
        // Keep a box with an error in view so the message makes sense.
        if (order) { order.hidden = !box.checked && !row.classList.contains("field--error"); }
      });
      if (count) {
        count.hidden = false;
        count.textContent = chosen > max
          ? "You have chosen " + chosen + ". Untick " + (chosen - max) + " to keep it to " + max + "."
          : "You have chosen " + chosen + " of " + max + ".";
        count.classList.toggle("choice-count--over", chosen > max);
      }
    };
    numberOnTick(rows, "select", max, update);
    update();
  }

  // Needs: ticking a need gives it the next priority; details of unticked needs fold away.
  var needs = document.querySelector("[data-needs]");
  if (needs) {
    var items = Array.prototype.slice.call(needs.querySelectorAll("[data-need]"));
    var total = items.length;
    var fold = function () {
      items.forEach(function (item) {
        var box = item.querySelector("input[type=checkbox]");
        var details = item.querySelector("[data-details]");
        if (!details) { return; }
        var written = Array.prototype.some.call(
          details.querySelectorAll("input[type=text]"),
          function (input) { return input.value.trim() !== ""; }
        );
        var error = details.querySelector(".error-message");
        details.hidden = !box.checked && !written && !error;
        box.setAttribute("aria-controls", details.id);
        box.setAttribute("aria-expanded", String(!details.hidden));
      });
    };
    numberOnTick(items, "select", total, fold);
    fold();
  }
})();
