/* The directory map's pins and popups. Loaded before the script folium generates
   (map/directory-map.js), which calls RecoveryMap.pinMaker() for its cluster's rows and
   RecoveryMap.ready() once every pin is in the cluster layer.

   Contributor text (names, towns) arrives as JSON data and is only ever set with textContent
   or as a property, never parsed as HTML. No inline styles: pins are styled by class (map.css). */
(function () {
  "use strict";

  if (window.performance && performance.mark) performance.mark("map-scripts-start"); // benchmarks/map.py
  var container = document.getElementById("map_directory");
  if (container) {
    container.hidden = false; // shown only when scripts run; the list below is the no-JS path
  }

  function siteRoot() {
    var root = container ? container.getAttribute("data-site-root") || "." : ".";
    return root.replace(/\/$/, "") + "/";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function pinIcon(typeIndex) {
    return L.divIcon({
      className: "rd-pin rd-pin--" + typeIndex,
      iconSize: [24, 24],
      iconAnchor: [12, 12],
      popupAnchor: [0, -12]
    });
  }

  // row: [lat, lon, name, url, town, [type indexes]] (see maps.py Pin.row)
  function popupFor(row, typeLabels) {
    var box = element("div", "map-popup");
    var heading = element("p", "map-popup__name");
    var link = element("a", null, row[2]);
    link.href = siteRoot() + row[3];
    heading.appendChild(link);
    box.appendChild(heading);
    var types = row[5].map(function (index) { return typeLabels[index]; });
    box.appendChild(element("p", "map-popup__types", types.join(", ")));
    box.appendChild(element("p", "map-popup__town", row[4]));
    return box;
  }

  function pinMaker(typeLabels) {
    var icons = typeLabels.map(function (_, index) { return pinIcon(index); });
    return function (row) {
      var marker = L.marker([row[0], row[1]], {
        icon: icons[row[5][0]] || pinIcon("other"),
        title: row[2] + ", " + row[4],
        keyboard: true
      });
      // Built when first opened: 10,000 popups up front would cost time nobody asked for.
      marker.bindPopup(function () { return popupFor(row, typeLabels); });
      return marker;
    };
  }

  function ready(map, cluster) {
    var target = map.getContainer();
    target.setAttribute("data-map-ready", "true");
    target.setAttribute("data-pin-count", String(cluster.getLayers().length));
    if (window.performance && performance.mark) performance.mark("map-ready");
    target.dispatchEvent(new CustomEvent("map:ready", { bubbles: true, detail: { map: map, cluster: cluster } }));
    window.RecoveryMap.instance = { map: map, cluster: cluster };
  }

  window.RecoveryMap = { pinMaker: pinMaker, ready: ready, popupFor: popupFor };
})();
