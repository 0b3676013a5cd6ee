// The whole-system network map's picture (coproduction/views/network.py). The page hands over
// the nodes, links and how each kind is drawn in the json_script "system-map-data"; d3-force
// (static/vendor/d3-force) lays them out and this draws them in SVG. Names reach the page only
// as text (textContent). Each shape is a link to the same page focused on that node, like the
// names in the table, which is where keyboard and screen reader users choose one: the picture
// is hidden from assistive technology and its links take no Tab stop, so that hundreds of shapes
// do not stand between the filters and the table. The picture scales with its box (viewBox),
// and a narrow screen gets a narrower, taller picture. Two buttons save it as SVG or PNG.
(function () {
  "use strict";
  var figure = document.querySelector("[data-system-map]");
  var dataScript = document.getElementById("system-map-data");
  var d3 = window.d3;
  if (!figure || !dataScript || !d3 || !d3.forceSimulation || !window.XMLSerializer) { return; }
  var canvas = figure.querySelector("[data-system-map-canvas]");
  if (!canvas) { return; }

  var SVGNS = "http://www.w3.org/2000/svg";
  var DATA = JSON.parse(dataScript.textContent);
  var FALLBACK = { shape: "triangle", colour: "#505a5f" };
  var LINK_COLOUR = "#8a9094";
  var FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif";
  var styles = {};
  DATA.kinds.forEach(function (k) { styles[k.kind] = k; });

  if (!DATA.nodes.length) { return; } // the page says nothing matches
  figure.hidden = false; // shown before it is measured
  var narrow = canvas.clientWidth < 560;
  var W = narrow ? 360 : 800;
  var H = narrow ? 520 : 540;
  var PAD = 24;
  var fontSize = narrow ? 11 : 12;

  function el(name, attrs) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    return node;
  }

  function styleOf(kind) { return styles[kind] || FALLBACK; }

  function radius(node) { return Math.min(16, 5 + 1.6 * Math.sqrt(node.degree || 0)); }

  // One shape per kind, so that kinds differ by more than colour.
  function shape(kind, r, attrs) {
    var s = styleOf(kind).shape;
    var out;
    if (s === "square") {
      out = el("rect", { x: -r * 0.9, y: -r * 0.9, width: r * 1.8, height: r * 1.8 });
    } else if (s === "diamond") {
      out = el("polygon", { points: [0, -r * 1.2, r * 1.2, 0, 0, r * 1.2, -r * 1.2, 0].join(" ") });
    } else if (s === "triangle") {
      out = el("polygon", { points: [0, -r * 1.2, r * 1.1, r * 0.8, -r * 1.1, r * 0.8].join(" ") });
    } else {
      out = el("circle", { r: r });
    }
    out.setAttribute("fill", styleOf(kind).colour);
    Object.keys(attrs || {}).forEach(function (key) { out.setAttribute(key, String(attrs[key])); });
    return out;
  }

  // The key: a small shape before each kind's name.
  Array.prototype.forEach.call(figure.querySelectorAll("[data-system-map-swatch]"), function (swatch) {
    var kind = swatch.parentNode.getAttribute("data-kind");
    var icon = el("svg", { viewBox: "-9 -9 18 18", width: 18, height: 18, "aria-hidden": "true", focusable: "false" });
    icon.appendChild(shape(kind, 6, { stroke: "#0b0c0c", "stroke-width": 1 }));
    swatch.appendChild(icon);
  });

  var nodes = DATA.nodes.map(function (n) {
    return { id: n.id, label: n.label, kind: n.kind, degree: n.degree, href: n.href };
  });
  var byId = {};
  nodes.forEach(function (n) { byId[n.id] = n; });
  var links = DATA.links.filter(function (l) { return byId[l.source] && byId[l.target]; })
    .map(function (l) { return { source: l.source, target: l.target, words: l.words }; });

  // Laid out in one go, not animated: the same data gives the same picture (d3-force's random
  // source is seeded), and nothing moves under the pointer.
  var spread = Math.max(12, 60 / Math.sqrt(Math.max(1, nodes.length / 20)));
  var simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id(function (n) { return n.id; }).distance(spread))
    .force("charge", d3.forceManyBody().strength(-spread * 1.2))
    .force("x", d3.forceX(0).strength(narrow ? 0.08 : 0.05))
    .force("y", d3.forceY(0).strength(narrow ? 0.05 : 0.08))
    .force("collide", d3.forceCollide(function (n) { return radius(n) + 1.5; }))
    .stop();
  for (var i = 0; i < 300; i += 1) { simulation.tick(); }

  // Fit what was laid out into the picture's box, keeping its proportions.
  var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  nodes.forEach(function (n) {
    minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x);
    minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y);
  });
  var scale = Math.min((W - 2 * PAD) / Math.max(1, maxX - minX), (H - 2 * PAD) / Math.max(1, maxY - minY), 3);
  var offsetX = W / 2 - scale * (minX + maxX) / 2;
  var offsetY = H / 2 - scale * (minY + maxY) / 2;
  nodes.forEach(function (n) {
    n.px = offsetX + scale * n.x;
    n.py = offsetY + scale * n.y;
  });

  var svg = el("svg", {
    viewBox: "0 0 " + W + " " + H,
    width: W,
    height: H,
    class: "system-map__svg",
    "aria-hidden": "true",
    focusable: "false",
    "font-family": FONT
  });
  svg.appendChild(el("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }));
  var linkLayer = el("g", { stroke: LINK_COLOUR, "stroke-width": 1, "stroke-opacity": 0.7 });
  var nodeLayer = el("g", {});
  // Names never catch the pointer: a click on a name over a shape goes to the shape.
  var labelLayer = el("g", { "font-size": fontSize, fill: "#0b0c0c", "pointer-events": "none" });
  svg.appendChild(linkLayer);
  svg.appendChild(nodeLayer);
  svg.appendChild(labelLayer);

  var linesOf = {};
  links.forEach(function (l) {
    var line = el("line", { x1: l.source.px, y1: l.source.py, x2: l.target.px, y2: l.target.py });
    var title = el("title", {});
    title.textContent = l.source.label + " – " + l.target.label + ": " + l.words;
    line.appendChild(title);
    linkLayer.appendChild(line);
    [l.source.id, l.target.id].forEach(function (id) { (linesOf[id] = linesOf[id] || []).push({ line: line, other: l.source.id === id ? l.target.id : l.source.id }); });
  });

  // Where a node's name goes: centred above its shape, moved along to stay inside the picture,
  // or below the shape at the top edge.
  function spot(n) {
    var half = Math.min(W / 2, n.label.length * fontSize * 0.3);
    var x = Math.max(half + 2, Math.min(W - half - 2, n.px));
    var y = n.py - radius(n) - 4;
    if (y - fontSize < 0) { y = n.py + radius(n) + fontSize + 2; }
    return { x: x, y: y, x1: x - half, x2: x + half, y1: y - fontSize, y2: y + 2 };
  }

  function label(n, bold) {
    var at = spot(n);
    var text = el("text", {
      x: at.x.toFixed(1), y: at.y.toFixed(1), "text-anchor": "middle",
      stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke", "stroke-linejoin": "round"
    });
    if (bold) { text.setAttribute("font-weight", "700"); }
    text.textContent = n.label;
    return text;
  }

  // Names are written beside the focus, the service teams and the best-linked nodes, as many
  // as fit without covering one another; every other name shows when the pointer is on its
  // shape (and in its tooltip).
  var room = narrow ? 10 : 24;
  var placed = [];
  function fits(n) {
    var box = spot(n);
    var clear = placed.every(function (other) {
      return box.x2 < other.x1 || box.x1 > other.x2 || box.y2 < other.y1 || box.y1 > other.y2;
    });
    if (clear) { placed.push(box); }
    return clear;
  }
  function rank(n) { return n.id === DATA.focus ? 0 : (n.kind === "team" ? 1 : 2); }
  var named = nodes.slice().sort(function (a, b) { return rank(a) - rank(b) || b.degree - a.degree; })
    .filter(function (n) { return rank(n) < 2 || n.degree > 0; })
    .filter(function (n) { return (placed.length < room && fits(n)) || n.id === DATA.focus; });
  var shapeOf = {};
  nodes.forEach(function (n) {
    var a = el("a", { href: n.href, tabindex: "-1", class: "system-map__node", "data-node": n.id });
    var focused = n.id === DATA.focus;
    a.appendChild(shape(n.kind, radius(n), {
      stroke: focused ? "#0b0c0c" : "#ffffff",
      "stroke-width": focused ? 3 : 1.5
    }));
    a.firstChild.setAttribute("transform", "translate(" + n.px.toFixed(1) + " " + n.py.toFixed(1) + ")");
    var title = el("title", {});
    title.textContent = n.label + " (" + (styleOf(n.kind).words || n.kind) + ", " + n.degree + " link" + (n.degree === 1 ? "" : "s") + ")";
    a.appendChild(title);
    nodeLayer.appendChild(a);
    shapeOf[n.id] = a;
  });
  named.forEach(function (n) { labelLayer.appendChild(label(n, n.id === DATA.focus)); });

  // Pointing at a shape shows its name and brings its links forward.
  var hoverLabel = null;
  function highlight(id) {
    svg.classList.toggle("system-map__svg--pointing", Boolean(id));
    Object.keys(shapeOf).forEach(function (other) { shapeOf[other].classList.remove("is-near"); });
    Array.prototype.forEach.call(linkLayer.childNodes, function (line) { line.classList.remove("is-near"); });
    if (hoverLabel) { hoverLabel.remove(); hoverLabel = null; }
    if (!id) { return; }
    shapeOf[id].classList.add("is-near");
    (linesOf[id] || []).forEach(function (pair) {
      pair.line.classList.add("is-near");
      shapeOf[pair.other].classList.add("is-near");
    });
    hoverLabel = label(byId[id], true);
    hoverLabel.setAttribute("data-hover", "");
    labelLayer.appendChild(hoverLabel);
  }
  nodeLayer.addEventListener("pointerover", function (event) {
    var a = event.target.closest ? event.target.closest("[data-node]") : null;
    if (a) { highlight(a.getAttribute("data-node")); }
  });
  nodeLayer.addEventListener("pointerleave", function () { highlight(null); });

  canvas.appendChild(svg);

  // Saving the picture: the SVG as it is drawn (its colours and sizes are attributes, not the
  // page's CSS, so the file looks the same on its own), and a PNG drawn from it on a canvas.
  function serialised() {
    var copy = svg.cloneNode(true);
    copy.removeAttribute("aria-hidden");
    copy.removeAttribute("class");
    copy.setAttribute("xmlns", SVGNS);
    Array.prototype.forEach.call(copy.querySelectorAll("[data-hover]"), function (n) { n.remove(); });
    Array.prototype.forEach.call(copy.querySelectorAll(".is-near"), function (n) { n.classList.remove("is-near"); });
    return new XMLSerializer().serializeToString(copy);
  }

  function download(name, href) {
    var a = document.createElement("a");
    a.href = href;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  var filename = "network-map-" + (DATA.day || "today");
  function saveSvg() {
    var url = URL.createObjectURL(new Blob([serialised()], { type: "image/svg+xml" }));
    download(filename + ".svg", url);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function savePng() {
    var image = new Image();
    var factor = 2; // sharp on high-density screens and in print
    image.onload = function () {
      var board = document.createElement("canvas");
      board.width = W * factor;
      board.height = H * factor;
      var context = board.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, board.width, board.height);
      context.drawImage(image, 0, 0, board.width, board.height);
      board.toBlob(function (blob) {
        if (!blob) { return; }
        var url = URL.createObjectURL(blob);
        download(filename + ".png", url);
        window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      }, "image/png");
    };
    // A data: URL, which the site's Content-Security-Policy allows for images (blob: it does not).
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(serialised());
  }

  var tools = figure.querySelector("[data-system-map-tools]");
  if (tools) {
    tools.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-system-map-export]") : null;
      if (!button) { return; }
      if (button.getAttribute("data-system-map-export") === "png") { savePng(); } else { saveSvg(); }
    });
  }
  figure.setAttribute("data-system-map-drawn", String(nodes.length));
}());
