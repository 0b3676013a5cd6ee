// In the activity editor's "When" tab: each session time shows only the fields its frequency
// uses (each field's panel names them in data-session-for), and says under itself, in words,
// when it runs and its next three dates, as the activity's page will.
// Without this script every field shows, each with a help line saying which frequency uses it.
(function () {
  "use strict";
  var script = document.currentScript;
  var previewUrl = script && script.dataset.previewUrl;
  var FIELDS = ["frequency", "weekdays", "nth", "start_time", "end_time", "starts_on", "ends_on",
    "on_date", "term_time_only"];
  var timers = new WeakMap();
  var asked = new WeakMap();

  function frequencySelect(child) {
    return child.querySelector("select[name$='-frequency']");
  }

  function showFields(child) {
    var select = frequencySelect(child);
    if (!select) {
      return;
    }
    child.querySelectorAll("[data-session-for]").forEach(function (panel) {
      var uses = panel.getAttribute("data-session-for").split(/\s+/);
      panel.hidden = uses.indexOf(select.value) === -1;
    });
  }

  function previewBox(child) {
    var box = child.querySelector(".session-preview");
    if (!box) {
      box = document.createElement("div");
      box.className = "session-preview help-block help-info";
      box.setAttribute("aria-live", "polite");
      var content = child.querySelector(".w-panel__content") || child;
      content.appendChild(box);
    }
    return box;
  }

  function say(box, heading, lines) {
    box.replaceChildren();
    var p = document.createElement("p");
    p.textContent = heading;
    box.appendChild(p);
    if (lines.length) {
      var list = document.createElement("ul");
      lines.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      box.appendChild(list);
    }
  }

  function query(child) {
    var select = frequencySelect(child);
    var prefix = select.name.slice(0, -"frequency".length);
    var params = new URLSearchParams();
    FIELDS.forEach(function (field) {
      child.querySelectorAll("[name='" + prefix + field + "']").forEach(function (input) {
        if (input.type === "checkbox") {
          if (input.checked) {
            params.append(field, input.value || "on");
          }
        } else if (input.value) {
          params.append(field, input.value);
        }
      });
    });
    return params;
  }

  function preview(child) {
    if (!previewUrl || !frequencySelect(child)) {
      return;
    }
    var box = previewBox(child);
    var number = (asked.get(child) || 0) + 1;
    asked.set(child, number);
    fetch(previewUrl + "?" + query(child).toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (asked.get(child) !== number) {
          return; // a later change has asked again
        }
        if (answer.errors) {
          var problems = [];
          Object.keys(answer.errors).forEach(function (field) {
            problems = problems.concat(answer.errors[field]);
          });
          say(box, "Preview: not complete yet.", problems);
        } else {
          say(box, "Preview: " + answer.description + "." +
            (answer.next_dates.length ? " Next dates:" : " No dates coming up."),
            answer.next_dates);
        }
      })
      .catch(function () {
        say(box, "The preview could not be loaded. The session is still saved as entered.", []);
      });
  }

  function changed(child) {
    showFields(child);
    clearTimeout(timers.get(child));
    timers.set(child, setTimeout(function () { preview(child); }, 300));
  }

  function setUp(child) {
    if (!child.matches("[data-inline-panel-child]") || !frequencySelect(child)) {
      return;
    }
    showFields(child);
    preview(child);
  }

  function init() {
    document.querySelectorAll("[data-inline-panel-child]").forEach(setUp);
    // One listener for every session, including those added later with "Add session time".
    ["change", "input"].forEach(function (type) {
      document.addEventListener(type, function (event) {
        var child = event.target.closest && event.target.closest("[data-inline-panel-child]");
        if (child && frequencySelect(child)) {
          changed(child);
        }
      });
    });
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) {
            return;
          }
          if (node.matches("[data-inline-panel-child]")) {
            setUp(node);
          }
          node.querySelectorAll("[data-inline-panel-child]").forEach(setUp);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
