// The map of the browse pages: every matching request (up to the server's limit, newest first),
// not only the page of the list. The list below holds the same requests and works without it.
(function () {
  "use strict";
  var el = document.getElementById("browse-map");
  if (!el || !window.L || !window.fetch) return;
  var note = document.getElementById("browse-map-note");
  el.parentNode.hidden = false;
  var center = el.getAttribute("data-center").split(",").map(parseFloat);
  var map = L.map(el, { scrollWheelZoom: false }).setView(center, 11);
  if (el.getAttribute("data-tiles")) {
    L.tileLayer(el.getAttribute("data-tiles"), { maxZoom: 19, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
  }
  var track = el.getAttribute("data-track");
  fetch(el.getAttribute("data-points"), { headers: { "Accept": "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (body) {
      var layer = L.featureGroup();
      body.points.forEach(function (p) {
        var marker = L.circleMarker([p[0], p[1]], {
          radius: 6, weight: 2, color: "#ffffff",
          fillColor: p[3] === "open" ? "#b3261e" : "#2e7d32", fillOpacity: 0.9
        });
        var link = document.createElement("a");
        link.href = track + p[2];
        link.textContent = p[2];
        var box = document.createElement("div");
        box.appendChild(link);
        box.appendChild(document.createTextNode(" · " + p[4] + " · " + el.getAttribute(p[3] === "open" ? "data-label-open" : "data-label-closed")));
        marker.bindPopup(box);
        layer.addLayer(marker);
      });
      layer.addTo(map);
      if (body.points.length) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
      if (body.more) note.textContent = el.getAttribute("data-more");
    })
    .catch(function () { el.parentNode.hidden = true; });
})();
