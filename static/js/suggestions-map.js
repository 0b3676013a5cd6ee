// The suggestions on a map, numbered as in the list. Without JavaScript the numbered list is
// the whole page (and the form still works); with it, the map appears beside the list.
(function () {
  "use strict";

  var el = document.getElementById("suggestions-map");
  var data = document.getElementById("suggestion-points");
  if (!el || !data || !window.L || !window.commonGroundMap) { return; }
  var points;
  try {
    points = JSON.parse(data.textContent);
  } catch (e) {
    return;
  }
  if (!points.length) { return; }

  // Shown only now, so that without JavaScript there is no empty box.
  el.hidden = false;
  document.querySelectorAll("[data-map-note]").forEach(function (note) { note.hidden = false; });

  var map = window.commonGroundMap(el);
  var SIZE = 32;

  // Suggestions at one venue share a point: side by side, each number stays in sight and can
  // be clicked or reached with the keyboard, at any zoom.
  var atPoint = {};
  points.forEach(function (p) {
    var key = p.lat + "," + p.lng;
    (atPoint[key] = atPoint[key] || []).push(p);
  });

  var markers = {};
  var bounds = [];
  points.forEach(function (p) {
    var together = atPoint[p.lat + "," + p.lng];
    var shift = (together.indexOf(p) - (together.length - 1) / 2) * (SIZE + 2);
    // A private venue is pinned at the centre of its outward code: say so.
    var label = p.number + ". " + p.title + (p.approximate ? " (approximate area)" : "");
    // A numbered marker: the number is the link between the map and the list. Leaflet puts an
    // element given as html into the icon as it is; a string would be parsed as HTML.
    var number = document.createElement("span");
    number.textContent = String(p.number);
    var icon = L.divIcon({
      className: "map-number",
      html: number,
      iconSize: [SIZE, SIZE],
      iconAnchor: [SIZE / 2 - shift, SIZE / 2],
      popupAnchor: [shift, -SIZE / 2]
    });
    var popup = document.createElement("a");
    popup.href = p.url;
    popup.textContent = label;
    var marker = L.marker([p.lat, p.lng], { icon: icon, title: label, keyboard: true })
      .bindPopup(popup)
      .addTo(map);
    var markerEl = marker.getElement();
    if (markerEl) {
      markerEl.setAttribute("aria-label", label);
      markerEl.setAttribute("role", "button");
    }
    marker.on("click", function () { highlight(p.id); });
    markers[p.id] = marker;
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length === 1 || L.latLngBounds(bounds).getNorthEast().equals(L.latLngBounds(bounds).getSouthWest())) {
    map.setView(bounds[0], 15);
  } else {
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
  }

  function highlight(id) {
    document.querySelectorAll(".suggestion--active").forEach(function (item) {
      item.classList.remove("suggestion--active");
    });
    var item = document.getElementById("suggestion-" + id);
    if (item) { item.classList.add("suggestion--active"); }
  }

  // Hovering or moving into a suggestion shows where it is.
  document.querySelectorAll(".suggestion").forEach(function (item) {
    function show() {
      var marker = markers[item.dataset.id];
      if (marker) { marker.openPopup(); }
    }
    item.addEventListener("mouseenter", show);
    item.addEventListener("focusin", show);
  });
})();
