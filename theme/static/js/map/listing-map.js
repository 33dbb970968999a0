/* The small map on a listing page, drawn from the container's data- attributes
   (templates/partials/listing_map.html): no folium per listing, so 10,000 listings build fast.
   Names arrive as JSON data and are set as properties or textContent, never as HTML. */
(function () {
  "use strict";

  function drawMap(container) {
    var points = JSON.parse(container.getAttribute("data-points") || "[]");
    if (!points.length || typeof L === "undefined") return;
    var maxZoom = Number(container.getAttribute("data-max-zoom")) || 19;
    var typeIndex = container.getAttribute("data-type-index") || "other";
    container.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false, maxZoom: maxZoom });
    L.tileLayer(container.getAttribute("data-tile-url"), {
      maxZoom: maxZoom,
      referrerPolicy: "strict-origin", // OSM tiles need a Referer; the site sends none by default
      attribution: container.getAttribute("data-attribution") // site settings, not contributor text
    }).addTo(map);
    var icon = L.divIcon({ className: "rd-pin rd-pin--" + typeIndex, iconSize: [24, 24], iconAnchor: [12, 12] });
    var corners = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], { icon: icon, title: point.label, keyboard: true });
      var label = document.createElement("p");
      label.className = "map-popup__name";
      label.textContent = point.label;
      marker.bindPopup(label).addTo(map);
      corners.push([point.lat, point.lon]);
    });
    map.fitBounds(corners, { maxZoom: 15, padding: [24, 24] });
    container.setAttribute("data-map-ready", "true");
  }

  Array.prototype.forEach.call(document.querySelectorAll(".listing-map[data-points]"), drawMap);
})();
