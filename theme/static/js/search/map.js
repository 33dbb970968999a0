// The results map: self-hosted Leaflet + markercluster, drawn from the same records as the list,
// so it shows exactly the filtered results. Markers are made once and reused; each update adds
// and removes only what changed, after the list is already on screen.

import { el, listingUrl } from "./dom.js";

const UPDATE_DELAY_MS = 300; // redraw once typing pauses; the list itself updates on every keystroke
const REBUILD_FROM = 1000; // changes this big: start again, in chunks, rather than edit in place

function clusterIcon(cluster) {
  const count = cluster.getChildCount();
  const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
  const label = document.createElement("span");
  label.className = "visually-hidden";
  label.textContent = count === 1 ? " place" : " places";
  const inner = el("div", {}, el("span", {}, String(count), label));
  return window.L.divIcon({ html: inner, className: `marker-cluster marker-cluster-${size}`, iconSize: window.L.point(40, 40) });
}

/** Load Leaflet and markercluster (self-hosted, in order) after the list is ready: the map
 * shouldn't hold up the first results. */
function loadScripts(urls) {
  return urls.reduce(
    (previous, url) =>
      previous.then(
        () =>
          new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = url;
            script.onload = resolve;
            script.onerror = () => reject(new Error(`could not load ${url}`));
            document.head.append(script);
          }),
      ),
    Promise.resolve(),
  );
}

/** Resolves to the map, or null if its scripts can't load (the list works without it). */
export async function createResultsMap(container, config, siteRoot) {
  try {
    await loadScripts(container.dataset.scripts.split(" ").filter(Boolean));
  } catch {
    return null;
  }
  const L = window.L;
  if (!L || !L.markerClusterGroup) return null;
  container.hidden = false;
  const map = L.map(container, { scrollWheelZoom: false }).setView(config.ukCentre, config.ukZoom);
  // OSM tiles need a Referer and the site sends none by default: give them the origin only.
  L.tileLayer(config.tileUrl, {
    attribution: config.tileAttribution,
    maxZoom: config.maxZoom,
    referrerPolicy: "strict-origin",
  }).addTo(map);
  const cluster = L.markerClusterGroup({ chunkedLoading: true, chunkInterval: 40, iconCreateFunction: clusterIcon });
  map.addLayer(cluster);

  const markersByRecord = new Map(); // record id -> its location markers
  let shownIds = new Set();
  let placeMarker = null;
  let timer = null;

  const markersFor = (record) => {
    if (!markersByRecord.has(record.id)) {
      const markers = record.locations
        .filter((location) => location.lat != null && location.lon != null)
        .map((location) => {
          const marker = L.marker([location.lat, location.lon], { title: record.name, alt: record.name });
          marker.bindPopup(() =>
            el("p", {}, el("a", { href: listingUrl(siteRoot, record) }, record.name), el("br"), location.town),
          );
          return marker;
        });
      markersByRecord.set(record.id, markers);
    }
    return markersByRecord.get(record.id);
  };

  function draw(records, near) {
    const empty = records.length === 0; // no results: no empty map to tab through
    if (container.hidden !== empty) {
      container.hidden = empty;
      if (!empty) map.invalidateSize();
    }
    const nextIds = new Set(records.map((record) => record.id));
    const added = records.filter((record) => !shownIds.has(record.id)).flatMap(markersFor);
    const removedIds = [...shownIds].filter((id) => !nextIds.has(id));
    if (removedIds.length + added.length > REBUILD_FROM) {
      // markercluster removes markers one at a time without yielding; adding is chunked.
      cluster.clearLayers();
      cluster.addLayers(records.flatMap(markersFor));
    } else {
      cluster.removeLayers(removedIds.flatMap((id) => markersByRecord.get(id) || []));
      cluster.addLayers(added);
    }
    shownIds = nextIds;

    if (placeMarker) placeMarker.remove();
    placeMarker = near ? L.circleMarker([near.lat, near.lon], { radius: 9, interactive: false, className: "search-map__place" }).addTo(map) : null;

    // Frame the place and its nearest results, or every result when there is no place.
    const framed = near ? records.filter((r) => r.distance).slice(0, 5) : records;
    const points = framed.flatMap(markersFor).map((marker) => marker.getLatLng());
    if (near) points.push(L.latLng(near.lat, near.lon));
    // Padding wider than a pin is tall, so no framed pin is cut off by the map's edge; no
    // animation, so the map is still by the time anyone (or a checker) looks at it.
    if (points.length) map.fitBounds(L.latLngBounds(points), { maxZoom: 13, padding: [48, 48], animate: false });
    else map.setView(config.ukCentre, config.ukZoom, { animate: false });

    const slugs = records.filter((record) => markersFor(record).length).map((record) => record.slug);
    container.shownSlugs = slugs; // read by the tests
    container.dataset.points = String(records.reduce((sum, record) => sum + markersFor(record).length, 0));
  }

  return {
    update(records, near) {
      clearTimeout(timer);
      timer = setTimeout(() => draw(records, near), UPDATE_DELAY_MS);
    },
  };
}
