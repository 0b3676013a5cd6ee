// Shows one venue on a Leaflet map. Without a tile server (MAP_TILE_URL empty) the marker still
// shows on a plain background, so the page works offline; the address above says it in words.
(function () {
  "use strict";
  var el = document.getElementById("activity-map");
  if (!el || !window.L) { return; }
  var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng);
  if (isNaN(lat) || isNaN(lng)) { return; }
  // Hidden until now so that without JavaScript there is no empty box; the address says it.
  el.hidden = false;
  var caption = document.getElementById("activity-map-caption");
  if (caption) { caption.hidden = false; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lng], 15);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 19 }).addTo(map);
  }
  // The venue's name is the group's own text: it reaches the popup as a text node, never as HTML.
  var popup = document.createElement("p");
  popup.className = "map-popup__title";
  popup.textContent = el.dataset.name || "Venue";
  L.marker([lat, lng], { alt: el.dataset.name || "Venue" }).addTo(map).bindPopup(popup);
})();
