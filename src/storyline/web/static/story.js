// Story page: a Leaflet map of the events' places. Tiles come from OpenStreetMap when online; offline
// (or if Leaflet failed to load) the markers and the event list below still work.
(function () {
  "use strict";
  var holder = document.getElementById("map");
  var data = document.getElementById("markers-data");
  if (!holder || !data) { return; }
  var markers = JSON.parse(data.textContent || "[]");
  if (typeof L === "undefined") {
    holder.textContent = "Map unavailable; the located events are listed below.";
    return;
  }
  var map = L.map(holder, { worldCopyJump: true });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18,
    attribution: "&copy; OpenStreetMap contributors"
  }).addTo(map);
  var points = [];
  markers.forEach(function (m) {
    var marker = L.marker([m.lat, m.lon]).addTo(map);
    var label = document.createElement("span");
    label.textContent = m.label;  // text, never HTML
    marker.bindPopup(label);
    points.push([m.lat, m.lon]);
  });
  if (points.length === 1) { map.setView(points[0], 8); }
  else { map.fitBounds(points, { padding: [20, 20], maxZoom: 10 }); }
  holder.setAttribute("data-markers", String(points.length));
})();
