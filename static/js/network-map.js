// The network map editor (GENIE step 1). The form is what gets posted; the circle diagram is a
// second way to edit it: add someone to a circle, drag a dot to another circle, choose a dot and
// remove it. Every change is made to the form fields and the diagram is redrawn from the form,
// so the two cannot drift apart. Without JavaScript the form and the server-drawn diagram work
// on their own. The dots take no keyboard focus: keyboard users have the form.
// Every number of the diagram (radii, spacing, where the words go) and its few words come from
// the page: matching/diagram.py's geometry() in the json_script "netmap-geometry", and the kinds
// in "netmap-kinds". None is written here.
(function () {
  "use strict";
  var editor = document.querySelector("[data-netmap-editor]");
  if (!editor) { return; }
  var svg = editor.querySelector("[data-netmap-svg]");
  var rowsList = editor.querySelector("[data-netmap-rows]");
  var template = editor.querySelector("[data-netmap-row-template]");
  var kindsScript = document.getElementById("netmap-kinds");
  var geometryScript = document.getElementById("netmap-geometry");
  if (!svg || !rowsList || !template || !kindsScript || !geometryScript || !svg.getScreenCTM) { return; }

  var SVGNS = "http://www.w3.org/2000/svg";
  var KINDS = JSON.parse(kindsScript.textContent);
  var G = JSON.parse(geometryScript.textContent);
  var CIRCLES = G.names.map(function (_, i) { return i + 1; });
  // How far (in the diagram's units) a pointer must move before a press becomes a drag.
  var DRAG_START = 6;
  var dotsLayer = svg.querySelector("[data-netmap-dots]");
  var desc = svg.querySelector("[data-netmap-desc]");
  var tools = editor.querySelector("[data-netmap-tools]");
  var statusBox = editor.querySelector("[data-netmap-status]");
  var selectedText = editor.querySelector("[data-netmap-selected]");
  var removeButton = editor.querySelector("[data-netmap-remove]");
  var newLabel = document.getElementById("netmap-new-label");
  var newKind = document.getElementById("netmap-new-kind");
  var base = template.content.querySelector("[data-netmap-row]").dataset.prefix.replace(/-__prefix__$/, "");
  var totalInput = editor.querySelector('input[name="' + base + '-TOTAL_FORMS"]');
  var maxInput = editor.querySelector('input[name="' + base + '-MAX_NUM_FORMS"]');
  var selected = null; // the prefix of the chosen row, e.g. "members-2"
  var drag = null;

  function rows() { return Array.prototype.slice.call(rowsList.querySelectorAll("[data-netmap-row]")); }
  function field(row, name) { return row.querySelector('[name="' + row.dataset.prefix + "-" + name + '"]'); }
  function rowFor(prefix) { return rowsList.querySelector('[data-netmap-row][data-prefix="' + prefix + '"]'); }

  function read(row) {
    var checked = row.querySelector('input[name="' + row.dataset.prefix + '-circle"]:checked');
    var remove = field(row, "DELETE");
    var frequency = field(row, "frequency");
    return {
      row: row,
      prefix: row.dataset.prefix,
      label: field(row, "label").value.trim(),
      kind: field(row, "kind").value,
      circle: checked ? parseInt(checked.value, 10) : null,
      support: row.querySelectorAll('input[name="' + row.dataset.prefix + '-support"]:checked').length,
      frequency: frequency ? frequency.value : "",
      removed: remove ? remove.checked : false
    };
  }

  function onMap(m) { return !m.removed && KINDS.hasOwnProperty(m.kind) && m.circle >= 1 && m.circle <= CIRCLES.length; }
  // As member_text() in matching/diagram.py.
  function describe(m) { var kind = KINDS[m.kind].label; return m.label ? m.label + " (" + kind + ")" : kind; }
  function shorten(text) {
    return text.length <= G.labelMax ? text : text.slice(0, G.labelMax - 1).replace(/\s+$/, "") + "\u2026";
  }
  function circleName(circle) { return G.names[circle - 1]; }
  function say(text) { if (statusBox) { statusBox.textContent = text; } }

  // The rule of _positions() in matching/diagram.py, with its numbers from the page.
  function positions(circle, count) {
    var radius = G.place[circle - 1];
    var crowded = count * G.spacing > 2 * Math.PI * radius;
    var points = [];
    for (var i = 0; i < count; i++) {
      var angle = -Math.PI / 2 + (i + 0.5) * 2 * Math.PI / count;
      var r = radius + (crowded ? G.stagger[circle - 1] * (i % 2 ? 1 : -1) : 0);
      points.push([G.centre + r * Math.cos(angle), G.centre + r * Math.sin(angle)]);
    }
    return points;
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function makeDot(m, point) {
    var kind = KINDS[m.kind];
    var name = shorten(m.label);
    var dot = el("g", {
      "class": "netmap__dot netmap__dot--" + kind.group + (m.prefix === selected ? " is-selected" : ""),
      transform: "translate(" + point[0].toFixed(1) + " " + point[1].toFixed(1) + ")",
      "data-row": m.prefix
    });
    dot.appendChild(el("title", {}, describe(m)));
    // A bigger, invisible circle makes the dot easier to catch with a finger.
    dot.appendChild(el("circle", { r: G.hit, "class": "netmap__hit" }));
    dot.appendChild(el("circle", { r: G.dot }));
    dot.appendChild(el("text", { "class": "netmap__code", dy: G.middle, "text-anchor": "middle" }, kind.code));
    if (name) { dot.appendChild(el("text", { "class": "netmap__name", y: G.lines[0], "text-anchor": "middle" }, name)); }
    dot.appendChild(el("text", { "class": "netmap__kind", y: G.lines[name ? 1 : 0], "text-anchor": "middle" }, kind.short));
    return dot;
  }

  function render() {
    var all = rows().map(read);
    var members = all.filter(onMap);
    while (dotsLayer.firstChild) { dotsLayer.removeChild(dotsLayer.firstChild); }
    var parts = [];
    CIRCLES.forEach(function (circle) {
      var here = members.filter(function (m) { return m.circle === circle; });
      positions(circle, here.length).forEach(function (point, i) { dotsLayer.appendChild(makeDot(here[i], point)); });
      var name = circleName(circle);
      name = name.charAt(0).toUpperCase() + name.slice(1);
      parts.push(name + " circle: " + (here.length ? here.map(describe).join("; ") : G.nobody) + ".");
    });
    if (desc) { desc.textContent = members.length ? parts.join(" ") : G.empty; }
    if (selected && !members.some(function (m) { return m.prefix === selected; })) { selected = null; }
    all.forEach(function (m) {
      m.row.classList.toggle("netmap-row--removed", m.removed);
      m.row.classList.toggle("netmap-row--selected", m.prefix === selected);
    });
    var chosen = selected ? read(rowFor(selected)) : null;
    if (selectedText) { selectedText.textContent = chosen ? "Chosen: " + describe(chosen) + "." : "No dot chosen."; }
    if (removeButton) { removeButton.disabled = !chosen; }
  }

  function setCircle(row, circle) {
    var radio = row.querySelector('input[name="' + row.dataset.prefix + '-circle"][value="' + circle + '"]');
    if (radio) { radio.checked = true; }
  }

  function isBlank(m) {
    return !m.label && !m.kind && !m.circle && !m.support && !m.frequency && !m.removed;
  }

  function appendRow() {
    var index = parseInt(totalInput.value, 10);
    if (maxInput && index >= parseInt(maxInput.value, 10)) {
      say("The map is full: remove someone before adding more.");
      return null;
    }
    // A copy of the template's nodes with the form index written into the attributes that
    // carry it (name, id, for, aria-describedby, data-prefix); no markup is parsed from text.
    var copy = template.content.cloneNode(true);
    var row = copy.querySelector("[data-netmap-row]");
    [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (node) {
      Array.prototype.forEach.call(node.attributes, function (attribute) {
        if (attribute.value.indexOf("__prefix__") !== -1) {
          attribute.value = attribute.value.replace(/__prefix__/g, String(index));
        }
      });
    });
    row.querySelector("[data-netmap-number]").textContent = String(index + 1);
    rowsList.appendChild(row);
    totalInput.value = String(index + 1);
    return row;
  }

  function addMember(circle) {
    if (!newKind.value) {
      say("Choose who or what first, then the circle.");
      newKind.focus();
      return;
    }
    var blank = rows().map(read).filter(isBlank)[0];
    var row = blank ? blank.row : appendRow();
    if (!row) { return; }
    field(row, "label").value = newLabel.value.trim();
    field(row, "kind").value = newKind.value;
    setCircle(row, circle);
    newLabel.value = "";
    newKind.value = "";
    render();
    say(describe(read(row)) + " added to the " + circleName(circle) + " circle. Add what they give and how often in its entry in the list.");
  }

  function toSvgPoint(event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  function circleAt(point) {
    var distance = Math.hypot(point.x - G.centre, point.y - G.centre);
    for (var i = 0; i < G.rings.length; i++) {
      // A little slack beyond the outer line, so a dot dropped on the edge still counts.
      if (distance <= G.rings[i] + (i === G.rings.length - 1 ? G.dot : 0)) { return i + 1; }
    }
    return null;
  }

  function markTarget(circle) {
    Array.prototype.forEach.call(svg.querySelectorAll(".netmap__ring"), function (ring) {
      ring.classList.toggle("is-target", circle !== null && ring.classList.contains("netmap__ring--" + circle));
    });
  }

  dotsLayer.addEventListener("pointerdown", function (event) {
    var dot = event.target.closest(".netmap__dot");
    if (!dot || drag || (event.pointerType === "mouse" && event.button !== 0)) { return; }
    event.preventDefault();
    dot.setPointerCapture(event.pointerId);
    var start = toSvgPoint(event);
    var match = /translate\(([-\d.]+)[ ,]+([-\d.]+)\)/.exec(dot.getAttribute("transform"));
    drag = { dot: dot, id: event.pointerId, start: start, x: parseFloat(match[1]), y: parseFloat(match[2]), moved: false };
    dot.classList.add("is-dragging");
  });

  dotsLayer.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) { return; }
    var point = toSvgPoint(event);
    var dx = point.x - drag.start.x;
    var dy = point.y - drag.start.y;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_START) { return; }
    drag.moved = true;
    drag.dot.setAttribute("transform", "translate(" + (drag.x + dx).toFixed(1) + " " + (drag.y + dy).toFixed(1) + ")");
    markTarget(circleAt({ x: drag.x + dx, y: drag.y + dy }));
  });

  function endDrag(event, cancelled) {
    if (!drag || event.pointerId !== drag.id) { return; }
    var current = drag;
    drag = null;
    markTarget(null);
    var row = rowFor(current.dot.dataset.row);
    if (!row) { render(); return; }
    if (!current.moved) {
      selected = selected === row.dataset.prefix ? null : row.dataset.prefix;
      render();
      return;
    }
    var point = toSvgPoint(event);
    var circle = cancelled ? null : circleAt({ x: current.x + point.x - current.start.x, y: current.y + point.y - current.start.y });
    var before = read(row);
    if (circle && circle !== before.circle) {
      setCircle(row, circle);
      render();
      say(describe(before) + " moved to the " + circleName(circle) + " circle.");
    } else {
      render();
      if (!cancelled && !circle) { say("Drop a dot inside one of the circles to move it."); }
    }
  }
  // touch-action on SVG shapes is ignored by some browsers, so a finger on a dot would scroll
  // the page and cancel the drag; stopping the touch there keeps the rest of the map scrollable.
  dotsLayer.addEventListener("touchstart", function (event) {
    if (event.target.closest(".netmap__dot")) { event.preventDefault(); }
  }, { passive: false });
  dotsLayer.addEventListener("pointerup", function (event) { endDrag(event, false); });
  dotsLayer.addEventListener("pointercancel", function (event) { endDrag(event, true); });

  if (removeButton) {
    removeButton.addEventListener("click", function () {
      var row = selected && rowFor(selected);
      if (!row) { return; }
      var m = read(row);
      var remove = field(row, "DELETE");
      if (remove) {
        remove.checked = true;
      } else {
        row.parentNode.removeChild(row);
      }
      selected = null;
      render();
      say(describe(m) + " removed from the map. To undo, untick \u201cRemove from the map\u201d in its entry.");
    });
  }

  Array.prototype.forEach.call(editor.querySelectorAll("[data-netmap-add]"), function (button) {
    button.addEventListener("click", function () { addMember(parseInt(button.dataset.netmapAdd, 10)); });
  });
  // Enter in the name box must not post the whole form.
  if (newLabel) {
    newLabel.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); newKind.focus(); }
    });
  }

  var addRowButton = editor.querySelector("[data-netmap-add-row]");
  if (addRowButton) {
    addRowButton.addEventListener("click", function (event) {
      event.preventDefault();
      var row = appendRow();
      if (row) {
        field(row, "label").focus();
        say("Connection " + row.querySelector("[data-netmap-number]").textContent + " added at the end of the list.");
      }
    });
  }

  rowsList.addEventListener("input", render);
  rowsList.addEventListener("change", render);
  if (tools) { tools.hidden = false; }
  editor.classList.add("netmap-editor--enhanced");
  render();
})();
