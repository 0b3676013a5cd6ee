// The results map: the same page of results as the list, as clustered markers. Without
// JavaScript the list is the whole experience; with it, the map and "use my location" appear.
(function () {
  "use strict";

  var locate = document.getElementById("use-location");
  var near = document.getElementById("near");
  var point = document.getElementById("near_point");
  if (point && near) {
    // Typing a place replaces the located point (the server also prefers typed text).
    near.addEventListener("input", function () { point.value = ""; });
  }
  if (locate && near && point && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      locate.disabled = true;
      locate.textContent = "Finding you…";
      navigator.geolocation.getCurrentPosition(function (position) {
        // The box names the place; the coordinates travel in the hidden field.
        point.value = position.coords.latitude.toFixed(5) + "," + position.coords.longitude.toFixed(5);
        near.value = "Your location";
        locate.form.submit();
      }, function () {
        locate.disabled = false;
        locate.textContent = "Use my location";
        near.focus();
      }, { timeout: 10000 });
    });
  }

  var el = document.getElementById("results-map");
  if (!el || !window.L || !window.fetch) { return; }
  el.hidden = false;
  var note = document.getElementById("map-note");
  if (note) { note.hidden = false; }
  // Clustering needs a maxZoom, which a tile layer would otherwise give (there may be none).
  var map = L.map(el, { scrollWheelZoom: false, maxZoom: 18 });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 19 }).addTo(map);
  }
  if (el.dataset.lat) {
    map.setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)], 13);
  } else {
    map.setView([51.45, -0.19], 12);
  }
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
  map.addLayer(cluster);
  var markers = {};

  fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.ok ? response.json() : { features: [] }; })
    .then(function (data) {
      data.features.forEach(function (feature) {
        var p = feature.properties;
        var ll = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = p.title;
        var marker = L.marker(ll, { alt: p.title, title: p.title }).bindPopup(link);
        marker.on("click", function () {
          var item = document.getElementById("result-" + p.id);
          if (item) { item.classList.add("result--active"); }
        });
        markers[p.id] = marker;
        cluster.addLayer(marker);
      });
      if (data.features.length) {
        map.fitBounds(cluster.getBounds(), { padding: [30, 30], maxZoom: 15 });
      }
      el.dataset.markers = String(data.features.length);
      el.dispatchEvent(new CustomEvent("markers-ready"));
    });

  // Hovering or focusing a result shows its marker.
  document.querySelectorAll(".result").forEach(function (item) {
    function show() {
      var marker = markers[item.dataset.id];
      if (marker) { cluster.zoomToShowLayer(marker, function () { marker.openPopup(); }); }
    }
    item.addEventListener("mouseenter", show);
    item.addEventListener("focusin", show);
  });
})();
