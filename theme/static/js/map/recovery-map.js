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

  // Keyboard use (WCAG 2.1.1, 2.4.3, 2.4.11). Leaflet's own keys work only while the map box
  // itself has focus, not a pin in it: a popup opened from a pin kept focus on the pin, hid the
  // next pins tabbed to, and Escape didn't close it. The search page's map uses these too.
  function keyboard(map) {
    if (map._recoveryKeys) return;
    map._recoveryKeys = true;
    var box = map.getContainer();
    map.on("popupopen", function (event) {
      var link = event.popup.getElement() && event.popup.getElement().querySelector("a[href]");
      if (link) link.focus({ preventScroll: true });
    });
    map.on("popupclose", function (event) {
      var pin = event.popup._source && event.popup._source.getElement && event.popup._source.getElement();
      var inside = event.popup.getElement() && event.popup.getElement().contains(document.activeElement);
      if (pin && pin.isConnected && (inside || document.activeElement === document.body)) pin.focus({ preventScroll: true });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && box.querySelector(".leaflet-popup")) {
        map.closePopup();
        event.preventDefault();
      }
    });
    // A pin gets focus from the keyboard: any popup still open (another pin's) would cover pins.
    box.addEventListener("focusin", function (event) {
      var popup = box.querySelector(".leaflet-popup");
      if (popup && !popup.contains(event.target) && event.target.classList.contains("leaflet-marker-icon")) map.closePopup();
    });
    nameClusters();
  }

  // Cluster markers are buttons named only by a number ("11, button"): say what they are. A
  // cluster is its own icon and remakes it whenever its count changes (no event says so), so
  // the name is set where the icon is made, once for every map on the page.
  function nameClusters() {
    var proto = window.L && L.MarkerCluster && L.MarkerCluster.prototype;
    if (!proto || proto._recoveryNamed) return;
    var createIcon = proto.createIcon;
    proto.createIcon = function () {
      var icon = createIcon.apply(this, arguments);
      icon.setAttribute("aria-label", this.getChildCount() + " places here: press Enter to zoom in");
      return icon;
    };
    proto._recoveryNamed = true;
  }

  // After Enter on a cluster, focus the first of its pins (or the smaller cluster now holding
  // it), not the map box markercluster focuses: the keyboard carries on where the eye goes.
  function followZoom(map, cluster) {
    cluster.on("clusterkeypress", function (event) {
      if (!event.originalEvent || event.originalEvent.key !== "Enter") return;
      var first = event.layer.getAllChildMarkers()[0];
      var focusFirst = function () {
        cluster.off("animationend spiderfied", focusFirst);
        var shown = cluster.getVisibleParent(first);
        var icon = shown && shown.getElement && shown.getElement();
        if (icon) icon.focus({ preventScroll: true });
      };
      cluster.on("animationend spiderfied", focusFirst);
    });
  }

  function ready(map, cluster) {
    keyboard(map);
    followZoom(map, cluster);
    var target = map.getContainer();
    target.setAttribute("data-map-ready", "true");
    target.setAttribute("data-pin-count", String(cluster.getLayers().length));
    if (window.performance && performance.mark) performance.mark("map-ready");
    target.dispatchEvent(new CustomEvent("map:ready", { bubbles: true, detail: { map: map, cluster: cluster } }));
    window.RecoveryMap.instance = { map: map, cluster: cluster };
  }

  nameClusters(); // markercluster is loaded before this file wherever a map is drawn
  window.RecoveryMap = { pinMaker: pinMaker, ready: ready, popupFor: popupFor, keyboard: keyboard, followZoom: followZoom };
})();
