// Shows one venue on a Leaflet map. Without a tile server (MAP_TILE_URL empty) the marker and
// the venue's name show on a plain background with a scale, so the page works offline; the
// address above says where it is in words.
(function () {
  "use strict";
  var el = document.getElementById("activity-map");
  if (!el || !window.L || !window.commonGroundMap) { return; }
  var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng);
  if (isNaN(lat) || isNaN(lng)) { return; }
  // Hidden until now so that without JavaScript there is no empty box; the address says it.
  el.hidden = false;
  var caption = document.getElementById("activity-map-caption");
  if (caption) { caption.hidden = false; }
  // A private venue is shown at the centre of its outward code: a district, not a street.
  var approximate = el.dataset.approximate === "true";
  var map = window.commonGroundMap(el).setView([lat, lng], approximate ? 13 : 15);
  var name = el.dataset.name || "Venue";
  // The venue's name is the group's own text: it reaches the map as text nodes, never as HTML.
  var marker = L.marker([lat, lng], { alt: name, title: name }).addTo(map);
  var popup = window.commonGroundMap.text("p", name, "map-popup__title");
  marker.bindPopup(popup);
  if (!el.dataset.tiles) {
    // With no background the name beside the pin is what tells the box is a map.
    var label = window.commonGroundMap.text("span", name);
    marker.bindTooltip(label, {
      permanent: true, direction: "top", offset: [0, -40], className: "map-label"
    });
  }
})();
