// In the venue editor, and in the activity form's "Add a new venue" chooser: click the map (or
// drag the marker) to set latitude and longitude.
(function () {
  "use strict";
  function init() {
    var lat = document.getElementById("id_latitude");
    var lng = document.getElementById("id_longitude");
    if (!lat || !lng || !window.L || !window.commonGroundMap || lat.dataset.venueMap) {
      return;
    }
    lat.dataset.venueMap = "ready";
    var box = document.createElement("div");
    box.id = "venue-map";
    box.style.height = "320px";
    box.style.margin = "1rem 0";
    box.style.background = "#e8efe9";
    box.setAttribute("aria-label", "Map: click to place the venue. You can also type the latitude and longitude.");
    // The tile settings come from the hook's #map-config, since this box is made here: the shared
    // set-up reads them from the map's own data-tiles and data-attribution.
    var config = document.getElementById("map-config");
    if (config && config.dataset.tiles) {
      box.dataset.tiles = config.dataset.tiles;
      box.dataset.attribution = config.dataset.attribution || "";
    }
    (lng.closest(".w-panel__content, .w-field__wrapper") || lng.parentNode).appendChild(box);
    var start = [parseFloat(lat.value) || 51.4489, parseFloat(lng.value) || -0.1971];
    // Unlike the public maps: an editor placing a door zooms in closer than street level, and
    // the map is the thing being worked on, so the wheel zooms it.
    var map = window.commonGroundMap(box, { maxZoom: 19, scrollWheelZoom: true })
      .setView(start, lat.value ? 15 : 12);
    var marker = L.marker(start, { draggable: true }).addTo(map);
    function set(p) {
      lat.value = p.lat.toFixed(6);
      lng.value = p.lng.toFixed(6);
      marker.setLatLng(p);
    }
    map.on("click", function (e) { set(e.latlng); });
    // In the chooser the form sits in a hidden tab of a modal, so the map is drawn at no size:
    // redraw it whenever its box gets one.
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize(); }).observe(box);
    }
    marker.on("dragend", function () { set(marker.getLatLng()); });
    [lat, lng].forEach(function (input) {
      input.addEventListener("change", function () {
        var p = L.latLng(parseFloat(lat.value), parseFloat(lng.value));
        if (!isNaN(p.lat) && !isNaN(p.lng)) { marker.setLatLng(p); map.setView(p); }
      });
    });
  }
  function start() {
    init();
    // The chooser's form arrives later (and again after a refused postcode): set it up then.
    new MutationObserver(init).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
