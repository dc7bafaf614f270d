// The report form, enhanced. Without this file the form works as it is: the address field is
// looked up on the server. With it: a map whose pin stays in the middle (drag it, tap it, or
// use the arrow keys on it), "use my location", the address and ward shown as soon as they are
// known, photo previews, and what was typed kept across a reload (sessionStorage).
// Leaflet is served from our own static files; only the tiles come from the tile server, and
// when they fail the pin and everything else still work.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var latInput = document.getElementById("id_lat");
  var longInput = document.getElementById("id_long");
  var pointFor = document.getElementById("id_point_for");
  var address = document.getElementById("id_address");
  var found = document.getElementById("place-found");
  var placeUrl = form.getAttribute("data-place-url");
  var PIN = pointFor.getAttribute("data-pin");
  var filledAddress = "";  // the address the map filled in (replaced when the pin moves)

  // --- Where the user's attention goes after a post ------------------------------------------
  var summary = document.getElementById("error-summary") || document.getElementById("nearby");
  if (summary) summary.focus();

  // --- The place --------------------------------------------------------------------------------
  function say(text) { found.textContent = text; }

  function lookup(params, done) {
    var query = Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    }).join("&");
    fetch(placeUrl + "?" + query, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (result) { done(result[0], result[1]); })
      .catch(function () { done(false, { error: found.getAttribute("data-offline") || "" }); });
  }

  function describe(place) {
    var text = (found.getAttribute("data-found") || "Found:") + " " + (place.address || found.getAttribute("data-point") || "");
    return place.areas ? text + " — " + place.areas : text;
  }

  var map = null, programmatic = false, lookupTimer = null;

  function setPoint(lat, lng, source) {
    latInput.value = lat.toFixed(6);
    longInput.value = lng.toFixed(6);
    pointFor.value = source;
  }

  function pinMoved() {
    if (!map) return;
    var c = map.getCenter();
    setPoint(c.lat, c.lng, PIN);
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(function () {
      lookup({ lat: c.lat.toFixed(6), long: c.lng.toFixed(6) }, function (ok, body) {
        if (!ok) { say(body.error || ""); return; }
        if (!address.value.trim() || address.value === filledAddress) {
          address.value = body.address || "";
          filledAddress = address.value;
        }
        say(describe(body));
      });
    }, 350);
  }

  function moveTo(lat, lng, zoom) {
    programmatic = true;
    map.setView([lat, lng], zoom || Math.max(map.getZoom(), 17), { animate: false });
    programmatic = false;
  }

  var box = form.querySelector(".report-map");
  var canvas = document.getElementById("report-map");
  if (box && canvas && window.L) {
    box.hidden = false;
    var center = canvas.getAttribute("data-center").split(",").map(parseFloat);
    var start = latInput.value && longInput.value
      ? [parseFloat(latInput.value), parseFloat(longInput.value)] : center;
    map = L.map(canvas, { keyboard: true, scrollWheelZoom: false, tap: true })
      .setView(start, latInput.value ? 17 : 13);
    var tiles = canvas.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: canvas.getAttribute("data-attribution") || "" }).addTo(map);
    }
    // The pin is drawn over the map's middle, so moving the map (by any means) moves the pin.
    var pin = document.createElement("div");
    pin.className = "crosshair";
    pin.setAttribute("aria-hidden", "true");
    pin.innerHTML = '<svg viewBox="0 0 28 40" width="28" height="40"><path d="M14 0C6.3 0 0 6.2 0 13.9 0 24.3 14 40 14 40s14-15.7 14-26.1C28 6.2 21.7 0 14 0z" fill="#b3261e" stroke="#fff" stroke-width="2"/><circle cx="14" cy="14" r="5" fill="#fff"/></svg>';
    canvas.appendChild(pin);
    var touched = !!latInput.value;
    map.on("moveend", function () { if (!programmatic && touched) pinMoved(); });
    map.on("dragstart zoomstart", function () { if (!programmatic) touched = true; });
    map.on("click", function (e) { touched = true; map.panTo(e.latlng); });
    canvas.addEventListener("keydown", function (e) {
      if (/^(Arrow|\+|-|=)/.test(e.key)) touched = true;
    });
    document.getElementById("pin-here").addEventListener("click", function () {
      touched = true; pinMoved();
    });
    var locate = document.getElementById("use-location");
    if (!navigator.geolocation) {
      locate.hidden = true;
    } else {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          touched = true;
          moveTo(position.coords.latitude, position.coords.longitude, 18);
          pinMoved();
        }, function () {
          say(locate.getAttribute("data-denied") || "");
        }, { enableHighAccuracy: true, timeout: 10000 });
      });
    }
  }

  // A typed address moves the pin there (and the server will not look it up again).
  address.addEventListener("change", function () {
    var text = address.value.trim();
    if (!text || text === filledAddress) return;
    latInput.value = ""; longInput.value = ""; pointFor.value = "";
    lookup({ address: text }, function (ok, body) {
      if (!ok) { say(body.error || ""); return; }
      if (address.value.trim() !== text) return;
      setPoint(body.lat, body.long, text);
      if (map) moveTo(body.lat, body.long, 17);
      say(describe(body));
    });
  });

  // --- Photo previews ---------------------------------------------------------------------------
  var photos = document.getElementById("id_photos");
  var previews = document.getElementById("previews");
  if (photos && previews && window.URL && URL.createObjectURL) {
    photos.addEventListener("change", function () {
      previews.textContent = "";
      Array.prototype.forEach.call(photos.files, function (file) {
        var li = document.createElement("li");
        if (/^image\//.test(file.type)) {
          var img = document.createElement("img");
          img.src = URL.createObjectURL(file);
          img.alt = file.name;
          li.appendChild(img);
        }
        var name = document.createElement("span");
        name.textContent = file.name;
        li.appendChild(name);
        previews.appendChild(li);
      });
    });
  }

  // --- What was typed survives a reload ---------------------------------------------------------
  var key = "civic311-draft:" + location.pathname;
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return el.name && !/^(csrfmiddlewaretoken|website|kept|drop|offered)$/.test(el.name) && el.type !== "file" && el.type !== "submit";
  });
  function save() {
    var data = {};
    fields.forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else if (el.value) {
        data[el.name] = el.value;
      }
    });
    try { sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* private mode */ }
  }
  var pristine = fields.every(function (el) {
    return (el.type === "radio" || el.type === "checkbox") ? !el.checked : !el.value;
  });
  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  if (pristine && saved) {
    fields.forEach(function (el) {
      var value = saved[el.name];
      if (value === undefined) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = value.indexOf(el.value) !== -1;
      else el.value = value;
    });
    if (map && latInput.value && longInput.value) moveTo(parseFloat(latInput.value), parseFloat(longInput.value), 17);
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function () {
    try { sessionStorage.removeItem(key); } catch (e) { /* private mode */ }
  });
})();
