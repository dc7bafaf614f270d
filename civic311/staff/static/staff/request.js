// The request page's map: the request and the open requests nearby. The page works without it
// (the list below the map says the same); only the tiles come from elsewhere.
(function () {
  "use strict";
  var el = document.getElementById("map");
  var data = document.getElementById("nearby-points");
  if (!el || !window.L) return;
  var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.long);
  if (!isFinite(lat) || !isFinite(lng)) return;
  el.hidden = false;
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lng], 17);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  var points = data ? JSON.parse(data.textContent) : [];
  points.forEach(function (p) {
    L.circleMarker([p.lat, p.long], { radius: 7, color: "#ffffff", weight: 2, fillColor: "#0b5cad", fillOpacity: 1 })
      .bindTooltip(p.number).addTo(map)
      .on("click", function () { window.location.href = "../" + encodeURIComponent(p.number) + "/"; });
  });
  L.circleMarker([lat, lng], { radius: 10, color: "#ffffff", weight: 3, fillColor: "#b3261e", fillOpacity: 1 }).addTo(map);
})();
