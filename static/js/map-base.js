// What every public map shares: the site's tile layer when it has one (MAP_TILE_URL), a scale
// bar, and a zoom limit. Without a tile server a map has no background: the scale, the markers
// and their labels are what it shows, and each page says so in words beside it.
(function () {
  "use strict";
  if (!window.L) { return; }

  // Street level: closer than this a page of results or one venue shows nothing more, and
  // without tiles it only spreads the markers over an empty box.
  var MAX_ZOOM = 16;

  // options: maxZoom, zoomSnap, and scrollWheelZoom (off unless asked for: a public map sits in
  // a page that scrolls, and the wheel should scroll the page past it, not zoom it).
  window.commonGroundMap = function (el, options) {
    var maxZoom = (options && options.maxZoom) || MAX_ZOOM;
    var map = L.map(el, {
      scrollWheelZoom: Boolean(options && options.scrollWheelZoom),
      maxZoom: maxZoom,
      zoomSnap: (options && options.zoomSnap) || 1
    });
    L.control.scale({ imperial: false, maxWidth: 150 }).addTo(map);
    if (el.dataset.tiles) {
      // The attribution is the site's own setting (MAP_TILE_ATTRIBUTION), never user text.
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: maxZoom }).addTo(map);
    } else {
      el.classList.add("map--no-tiles");
    }
    return map;
  };

  // A short text label for a marker or a popup, as a node (never parsed as HTML).
  window.commonGroundMap.text = function (tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) { node.className = className; }
    return node;
  };
})();
