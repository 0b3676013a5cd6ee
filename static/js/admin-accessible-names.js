// Names for Wagtail's own editor widgets that are built without one, so that a screen reader
// says which field it is in (axe: "label", "aria-input-field-name"). Each gets the field's own
// visible label through aria-labelledby:
// - the rich text editor (Draftail): its typing area is a contenteditable role="textbox";
// - the tag field: the text box where a tag is typed (the labelled input is hidden).
// and the date picker's icon-only buttons get words of their own.
// All are built by scripts after the page loads (a date picker when its field is first used),
// so this looks again whenever the page changes.
(function () {
  "use strict";
  var UNNAMED = [
    ".Draftail-Editor [contenteditable='true']",
    ".tagit input.ui-autocomplete-input",
  ].join(",");

  var BUTTONS = [
    [".xdsoft_datepicker .xdsoft_prev", "Previous month"],
    [".xdsoft_datepicker .xdsoft_next", "Next month"],
    [".xdsoft_datepicker .xdsoft_today_button", "Go to today"],
    [".xdsoft_timepicker .xdsoft_prev", "Earlier times"],
    [".xdsoft_timepicker .xdsoft_next", "Later times"],
  ];

  function fieldLabel(element) {
    // The nearest enclosing field or panel that has a label for a form field.
    var node = element.parentElement;
    while (node && node !== document.body) {
      var label = node.querySelector("label[for]");
      if (label && !label.contains(element)) {
        return label;
      }
      node = node.parentElement;
    }
    return null;
  }

  function name(element) {
    if (element.hasAttribute("aria-label") || element.hasAttribute("aria-labelledby")) {
      return;
    }
    var label = fieldLabel(element);
    if (!label) {
      return;
    }
    if (!label.id) {
      label.id = (label.htmlFor || "field") + "-label";
    }
    element.setAttribute("aria-labelledby", label.id);
  }

  function nameAll() {
    document.querySelectorAll(UNNAMED).forEach(name);
    BUTTONS.forEach(function (pair) {
      document.querySelectorAll(pair[0]).forEach(function (button) {
        if (!button.hasAttribute("aria-label")) {
          button.setAttribute("aria-label", pair[1]);
        }
      });
    });
  }

  function init() {
    nameAll();
    var pending = false;
    new MutationObserver(function () {
      if (!pending) {
        pending = true;
        requestAnimationFrame(function () {
          pending = false;
          nameAll();
        });
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
