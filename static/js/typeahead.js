// Type-ahead for the "What" box: the ARIA 1.2 combobox with a listbox popup
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Focus stays in the box; the option
// being pointed at is named by aria-activedescendant. Without JavaScript (or before this runs)
// the box is a plain search field and the form works as it always has: every attribute and
// element of the pattern is added here.
(function () {
  "use strict";

  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch || !input.form) { return; }
  var form = input.form;
  var url = input.getAttribute("data-suggest-url");
  var DELAY_MS = 150; // wait for a pause in typing before asking
  var MIN_CHARS = 2;
  var KIND_LABELS = { category: "Category", concept: "Topic", title: "Activity" };

  var listId = input.id + "-suggestions";
  var list = document.createElement("ul");
  list.id = listId;
  list.className = "typeahead__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  // Says how many suggestions there are, politely: screen readers hear it after the typing.
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  input.parentNode.classList.add("typeahead");
  input.insertAdjacentElement("afterend", list);
  list.insertAdjacentElement("afterend", status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  var suggestions = []; // what the options show, in order
  var active = -1; // the option pointed at, or -1 for none
  var timer = null;
  var asked = 0; // numbers the requests, so that only the latest answer is shown
  var controller = null;

  function options() { return list.querySelectorAll("[role=option]"); }

  function point(index) {
    var all = options();
    if (active >= 0 && all[active]) { all[active].setAttribute("aria-selected", "false"); }
    active = index;
    if (index >= 0 && all[index]) {
      all[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    if (!suggestions.length) { return; }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    point(-1);
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function show(found) {
    suggestions = found;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    found.forEach(function (suggestion, index) {
      var option = document.createElement("li");
      option.id = listId + "-" + index;
      option.className = "typeahead__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.appendChild(document.createTextNode(suggestion.text));
      var kind = document.createElement("span");
      kind.className = "typeahead__kind";
      kind.textContent = KIND_LABELS[suggestion.kind] || "";
      option.appendChild(document.createTextNode(" "));
      option.appendChild(kind);
      list.appendChild(option);
    });
    if (found.length) {
      open();
      status.textContent = found.length === 1
        ? "1 suggestion. Use the down arrow to choose it."
        : found.length + " suggestions. Use the up and down arrows to choose one.";
    } else {
      close();
      status.textContent = "No suggestions.";
    }
  }

  function clear() {
    suggestions = [];
    while (list.firstChild) { list.removeChild(list.firstChild); }
    close();
    status.textContent = "";
  }

  function ask() {
    var text = input.value.trim();
    if (controller) { controller.abort(); controller = null; }
    if (text.length < MIN_CHARS) { clear(); return; }
    var number = ++asked;
    controller = window.AbortController ? new AbortController() : null;
    var query = url + "?q=" + encodeURIComponent(text.slice(0, 100));
    fetch(query, { headers: { Accept: "application/json" }, signal: controller && controller.signal })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (body) {
        // An older answer arriving late, or the box left meanwhile, shows nothing.
        if (number !== asked || document.activeElement !== input) { return; }
        show(body.suggestions || []);
      })
      .catch(function () { /* aborted or offline: the plain search still works */ });
  }

  function setCategory(slug) {
    // The category filter of the form, whatever control holds it; a hidden field otherwise.
    var field = form.elements.namedItem("category");
    if (field && field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].value === slug) { field.value = slug; return; }
      }
    } else if (field) {
      var boxes = field.length !== undefined ? field : [field];
      for (var j = 0; j < boxes.length; j++) {
        if (boxes[j].value === slug && (boxes[j].type === "checkbox" || boxes[j].type === "radio")) {
          boxes[j].checked = true;
          return;
        }
      }
    }
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "category";
    hidden.value = slug;
    form.appendChild(hidden);
  }

  function choose(index) {
    var suggestion = suggestions[index];
    if (!suggestion) { return; }
    if (suggestion.kind === "category" && suggestion.slug) {
      // The category becomes the filter; the letters typed towards its name are not words
      // to search for.
      setCategory(suggestion.slug);
      input.value = "";
    } else {
      input.value = suggestion.text;
    }
    close();
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, DELAY_MS);
  });

  input.addEventListener("keydown", function (event) {
    var count = suggestions.length;
    var expanded = !list.hidden;
    switch (event.key) {
      case "ArrowDown":
        if (!count) { return; }
        event.preventDefault();
        if (event.altKey) { open(); return; }
        open();
        point(!expanded || active >= count - 1 ? 0 : active + 1);
        break;
      case "ArrowUp":
        if (!count) { return; }
        event.preventDefault();
        if (event.altKey) { close(); return; }
        open();
        point(!expanded || active <= 0 ? count - 1 : active - 1);
        break;
      case "Enter":
        // Without an option pointed at, Enter searches for what was typed, as always.
        if (expanded && active >= 0) {
          event.preventDefault();
          choose(active);
        }
        break;
      case "Escape":
        if (expanded) {
          event.preventDefault();
          close();
        }
        break;
      case "Tab":
        close();
        break;
      default:
        break;
    }
  });

  // Pressing on an option must not take focus from the box (which would close the list
  // before the click arrives).
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  list.addEventListener("click", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) { choose(Array.prototype.indexOf.call(options(), option)); }
  });
  list.addEventListener("mousemove", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) {
      var index = Array.prototype.indexOf.call(options(), option);
      if (index !== active) { point(index); }
    }
  });
  input.addEventListener("blur", close);
})();
