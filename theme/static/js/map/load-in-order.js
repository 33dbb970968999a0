/* Starts the map's scripts (this tag's data-scripts, in order) as soon as each has arrived, rather
   than after the whole page is parsed, as `defer` would: below the map, /map/ lists every place
   by town (10,000 listings: 2.5 MB of HTML), and with `defer` the map waited for all of it.
   Scripts added with async = false run in the order added, each once it and those before it have
   arrived (HTML's "list of scripts that will execute in order as soon as possible").
   The map reads its container's size when it starts, so nothing starts before the page's
   stylesheets have loaded (or failed). The URLs are data, not an inline script: the CSP allows none. */
(function () {
  "use strict";

  var tag = document.currentScript;
  var urls = ((tag && tag.getAttribute("data-scripts")) || "").split(/\s+/).filter(Boolean);
  var started = false;

  function start() {
    if (started) return;
    started = true;
    urls.forEach(function (url) {
      var script = document.createElement("script");
      script.src = url;
      script.async = false;
      document.head.appendChild(script);
    });
  }

  function applies(link) {
    return !link.media || window.matchMedia(link.media).matches; // a print sheet doesn't size the map
  }

  var pending = Array.prototype.filter.call(document.querySelectorAll('link[rel="stylesheet"]'), function (link) {
    return !link.sheet && applies(link);
  });
  if (!pending.length) {
    start();
    return;
  }
  var left = pending.length;
  pending.forEach(function (link) {
    function done() {
      left -= 1;
      if (left === 0) start();
    }
    link.addEventListener("load", done, { once: true });
    link.addEventListener("error", done, { once: true });
  });
  window.addEventListener("load", start, { once: true }); // a sheet that ended unseen holds nothing up
})();
