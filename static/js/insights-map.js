// The commissioners' map: each small area (or outward code) a circle at its centre, sized and
// coloured by its band of the chosen measure, from the json_script "insights-map-data" (the
// same figures as the table below, which is what shows without JavaScript); the activities on
// top from search's GeoJSON with the filters chosen, a square pin per activity coloured by its kind,
// grouped where pins would overlap (the map of England's local authorities has none). Every
// label is text (textContent), never HTML.
(function () {
  "use strict";
  var el = document.getElementById("insights-map");
  var source = document.getElementById("insights-map-data");
  if (!el || !source || !window.commonGroundMap) { return; }
  var DATA = JSON.parse(source.textContent);
  var text = window.commonGroundMap.text;
  // Pages of activities fetched at most: beyond them the legend says how many are not shown.
  var PAGE_SIZE = 100;
  var MAX_PAGES = 20;
  // Dark enough for white letters (4.5:1) and for the pin's edge against the page (3:1).
  var CATEGORY_COLOURS = ["#1d4f91", "#b35900", "#2e7d32", "#6a1b9a", "#b10e1e", "#505a5f",
    "#00626b", "#8a3b00", "#3d5a00", "#5b2a86", "#9c1458", "#1f3a5f", "#6b4400", "#245b2f", "#7a1f1f"];

  el.hidden = false;
  var map = window.commonGroundMap(el, { zoomSnap: 0.5 });
  var areas = L.featureGroup().addTo(map);
  DATA.areas.forEach(function (area) {
    var band = DATA.bands[area.band] || DATA.bands[0];
    var label = text("span", area.name + ": " + area.value);
    L.circleMarker([area.lat, area.lng], {
      radius: band.radius, color: "#0b0c0c", weight: 1.5, fillColor: band.colour, fillOpacity: 0.9
    }).bindTooltip(label).addTo(areas);
  });
  if (DATA.areas.length) {
    // Clear of the zoom buttons (top left) and the attribution (bottom right).
    map.fitBounds(areas.getBounds(), {
      paddingTopLeft: [64, 24], paddingBottomRight: [24, 44], animate: false
    });
  } else {
    map.setView([51.45, -0.19], 12);
  }
  el.dataset.areas = String(DATA.areas.length);
  // The map of England has areas only: no activities on top.
  if (!DATA.geojson) { return; }

  // Each top-level kind keeps its colour whatever is shown: its place among the kinds.
  var KINDS = Object.keys(DATA.names);
  var kinds = {};
  var order = [];
  function kindOf(categories) {
    // Shown as the kind asked for, when it is one of its kinds.
    if (DATA.search.category && (categories || []).indexOf(DATA.search.category) >= 0) {
      return DATA.search.category;
    }
    for (var i = 0; i < (categories || []).length; i++) {
      var top = DATA.top[categories[i]];
      if (top) { return top; }
    }
    return "";
  }
  function colourOf(kind) {
    if (!(kind in kinds)) {
      var place = KINDS.indexOf(kind);
      if (place < 0) { place = KINDS.length; }
      kinds[kind] = { colour: CATEGORY_COLOURS[place % CATEGORY_COLOURS.length], count: 0, place: place };
      order.push(kind);
      order.sort(function (a, b) { return kinds[a].place - kinds[b].place; });
    }
    return kinds[kind].colour;
  }
  // Clusters far enough apart that their 40 px icons do not overlap (WCAG 2.5.8 target size).
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 80 });
  map.addLayer(cluster);
  var shown = 0;

  function pin(feature) {
    var p = feature.properties;
    var kind = kindOf(p.categories);
    var colour = colourOf(kind);
    kinds[kind].count += 1;
    var face = text("span", "", "category-pin");
    face.style.background = colour;
    var popup = document.createElement("div");
    var link = text("a", p.title);
    link.href = p.url;
    popup.appendChild(link);
    if (p.organisation) { popup.appendChild(text("p", p.organisation, "map-popup__org")); }
    var marker = L.marker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], {
      icon: L.divIcon({ html: face, className: "", iconSize: [24, 24] }), alt: p.title, title: p.title
    }).bindPopup(popup);
    cluster.addLayer(marker);
    shown += 1;
  }

  function legend(result) {
    var list = document.querySelector("[data-category-legend]");
    var count = document.querySelector("[data-activities-count]");
    list.replaceChildren();
    order.forEach(function (kind) {
      var item = document.createElement("li");
      var swatch = text("span", "", "category-swatch");
      swatch.style.background = kinds[kind].colour;
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(
        (DATA.names[kind] || "Other") + ": " + kinds[kind].count));
      list.appendChild(item);
    });
    list.hidden = order.length === 0;
    count.textContent = result.complete
      ? "Activities found: " + result.total + ", of which " + shown + " have a place on the map."
      : "Activities found: " + result.total + ". The map shows the " + shown +
        " with a place among the first " + (MAX_PAGES * PAGE_SIZE) + ". Choose a kind of activity or a day to see the rest.";
    el.dataset.markers = String(shown);
    el.dispatchEvent(new CustomEvent("markers-ready"));
  }

  function fetchPage(page) {
    var params = new URLSearchParams(DATA.search);
    params.set("page_size", String(PAGE_SIZE));
    params.set("page", String(page));
    return fetch(DATA.geojson + "?" + params.toString(), { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [], total: 0 }; })
      .then(function (data) {
        data.features.forEach(pin);
        if (page * PAGE_SIZE >= data.total) { return { total: data.total, complete: true }; }
        return page < MAX_PAGES ? fetchPage(page + 1) : { total: data.total, complete: false };
      });
  }
  fetchPage(1).then(legend, function () { legend({ total: shown, complete: true }); });
})();
