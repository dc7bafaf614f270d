// The small map on the tracking page. The page works without it: the place is also a link to
// OpenStreetMap. Leaflet comes from our own static files; only the tiles come from elsewhere,
// and when they fail the point still shows on a plain background.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.long);
  if (!isFinite(lat) || !isFinite(lng)) return;
  el.hidden = false;
  var map = L.map(el, { scrollWheelZoom: false, attributionControl: true }).setView([lat, lng], 16);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  L.circleMarker([lat, lng], {
    radius: 10, color: "#ffffff", weight: 3, fillColor: "#b3261e", fillOpacity: 1
  }).addTo(map);
})();
