// The results map: the same page of results as the list, as clustered markers, with the search
// centre and distance drawn. Without JavaScript the list is the whole experience; with it, the
// map and "use my location" appear.
(function () {
  "use strict";

  // The zoom buttons hold the top left corner (10 px in, 30 px wide) and the attribution the
  // bottom right: a view fitted to the markers keeps them clear of both.
  var CLEAR_OF_ZOOM = [64, 24];

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
  if (!el || !window.L || !window.fetch || !window.commonGroundMap) { return; }
  var text = window.commonGroundMap.text;
  el.hidden = false;
  document.querySelectorAll("[data-map-note]").forEach(function (note) { note.hidden = false; });

  // Quarter zoom steps, so the search circle fills the map whatever its size.
  var map = window.commonGroundMap(el, { zoomSnap: 0.25 });
  // The zoom, on the element, for anyone checking the map from outside (the browser tests).
  map.on("zoomend", function () { el.dataset.zoom = String(map.getZoom()); });
  var view = null; // what the map must show: the search circle, then the markers too
  if (el.dataset.lat) {
    var centre = L.latLng(parseFloat(el.dataset.lat), parseFloat(el.dataset.lng));
    var radius = parseFloat(el.dataset.radius);
    if (radius > 0) {
      L.circle(centre, {
        radius: radius, color: "#0b5e55", weight: 2, dashArray: "6 6", fillOpacity: 0.05,
        interactive: false
      }).addTo(map);
      view = centre.toBounds(radius * 2);
    } else {
      view = L.latLngBounds(centre, centre);
    }
    var label = text("span", el.dataset.place ? "Search centre: " + el.dataset.place : "Search centre");
    L.circleMarker(centre, {
      radius: 6, color: "#0b0c0c", weight: 3, fillColor: "#ffdd00", fillOpacity: 1, interactive: false
    }).bindTooltip(label, { permanent: true, direction: "bottom", offset: [0, 10], className: "map-label" })
      .addTo(map);
  }
  if (view && radius > 0) {
    map.fitBounds(view, { paddingTopLeft: CLEAR_OF_ZOOM, paddingBottomRight: [24, 44] });
  } else {
    map.setView(view ? view.getCenter() : [51.45, -0.19], 13);
  }

  // Activities at one venue share a point: the cluster opens into a ring of pins (spiderfy)
  // at the map's closest zoom, each one a link, so none hides under another.
  // Pins group only when they would overlap, not whenever they are near each other: a pin
  // stands 41 px tall above its point and a cluster is 40 px round, so 64 px apart neither
  // covers the other (each keeps the 24 px target of WCAG 2.5.8).
  var cluster = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 64, spiderfyDistanceMultiplier: 1.5
  });
  map.addLayer(cluster);
  var markers = {};

  fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.ok ? response.json() : { features: [] }; })
    .then(function (data) {
      data.features.forEach(function (feature) {
        var p = feature.properties;
        var ll = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
        var popup = document.createElement("div");
        var link = text("a", p.title);
        link.href = p.url;
        popup.appendChild(link);
        if (p.organisation) { popup.appendChild(text("p", p.organisation, "map-popup__org")); }
        if (p.venue) { popup.appendChild(text("p", p.venue, "map-popup__venue")); }
        // A private venue is pinned at the centre of its outward code, not at the address.
        if (p.approximate) { popup.appendChild(text("p", "Approximate area", "map-popup__venue")); }
        var marker = L.marker(ll, { alt: p.title, title: p.title }).bindPopup(popup);
        marker.on("click", function () {
          var item = document.getElementById("result-" + p.id);
          if (item) { item.classList.add("result--active"); }
        });
        markers[p.id] = marker;
        cluster.addLayer(marker);
      });
      function ready() {
        el.dataset.markers = String(data.features.length);
        el.dispatchEvent(new CustomEvent("markers-ready"));
      }
      if (!data.features.length) {
        // The list has no venue to show: no empty box either.
        el.hidden = true;
        document.querySelectorAll("[data-map-note]").forEach(function (note) { note.hidden = true; });
        ready();
      } else {
        var bounds = cluster.getBounds();
        if (view) { bounds.extend(view); }
        // At once, not animated: Leaflet ignores a new view asked for during an animation.
        map.fitBounds(bounds, { paddingTopLeft: CLEAR_OF_ZOOM, paddingBottomRight: [24, 44],
                                maxZoom: 15, animate: false });
        ready();
      }
    });

  // Hovering or focusing a result shows its marker: its popup at once when the marker is in
  // view, otherwise the cluster opens, never closer than the map's street-level limit.
  var wanted = null; // the last result asked for: an earlier one's zoom may end after it
  document.querySelectorAll(".result").forEach(function (item) {
    function show() {
      var marker = markers[item.dataset.id];
      if (!marker) { return; }
      wanted = marker;
      if (cluster.getVisibleParent(marker) === marker && map.getBounds().contains(marker.getLatLng())) {
        marker.openPopup();
      } else {
        cluster.zoomToShowLayer(marker, function () {
          if (wanted === marker) { marker.openPopup(); }
        });
      }
    }
    item.addEventListener("mouseenter", show);
    item.addEventListener("focusin", show);
  });
})();
