// The results map: self-hosted Leaflet + markercluster, drawn from the same records as the list,
// so it shows exactly the filtered results. Markers are made once per cluster group and reused;
// each update adds and removes only what changed, after the list is already on screen, in short slices that a new
// search stops (main.js calls hold() as each search starts): typing never waits for the map.

import { el, listingUrl } from "./dom.js";

const UPDATE_DELAY_MS = 300; // redraw once typing pauses; the list itself updates on every keystroke
// The map changes in slices of about this long, between which the page stays responsive: 10,000
// markers take a few hundred ms to cluster, and a key pressed meanwhile must not wait for that.
const SLICE_MS = 5;
const FIRST_BATCH = 50; // markers in a first slice; later ones are sized from the time it took
// Taking away more than this share of the markers shown starts a fresh cluster group instead:
// markercluster removes markers one by one with no way to yield, and a new group costs nothing.
const REBUILD_SHARE = 0.5;

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

  if (window.RecoveryMap) window.RecoveryMap.keyboard(map); // keys for pins and popups (map/recovery-map.js)
  let cluster = null;
  let markersByRecord = new Map(); // record id -> its location markers, in the current group
  let onMap = new Set(); // ids of the records whose markers are in the cluster group now
  let placeMarker = null;
  let timer = null;
  let batch = FIRST_BATCH;

  const freshCluster = () => {
    if (cluster) map.removeLayer(cluster);
    cluster = L.markerClusterGroup({ iconCreateFunction: clusterIcon });
    map.addLayer(cluster);
    if (window.RecoveryMap) window.RecoveryMap.followZoom(map, cluster); // map/recovery-map.js
    markersByRecord = new Map();
    onMap = new Set();
  };
  freshCluster();

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

  /** Apply `change(records)` to as many of `records` as fit in one slice; the rest are left. */
  function slice(records, change) {
    const taken = records.splice(0, batch);
    const started = performance.now();
    change(taken);
    const elapsed = performance.now() - started;
    // Size the next slice from this one: grouping costs about the same per marker.
    batch = Math.max(10, Math.min(2000, Math.round((taken.length * SLICE_MS) / Math.max(elapsed, 0.5))));
  }

  /** Start moving the map towards `records`; each slice is a task of its own. */
  function draw(records, near) {
    const empty = records.length === 0; // no results: no empty map to tab through
    if (container.hidden !== empty) {
      container.hidden = empty;
      if (!empty) map.invalidateSize();
    }
    const wanted = new Set(records.map((record) => record.id));
    const removed = [...onMap].filter((id) => !wanted.has(id));
    if (removed.length > REBUILD_SHARE * onMap.size) {
      freshCluster();
      removed.length = 0;
    }
    const adding = records.filter((record) => !onMap.has(record.id));
    const step = () => {
      timer = null;
      if (removed.length) {
        slice(removed, (ids) => {
          cluster.removeLayers(ids.flatMap((id) => markersByRecord.get(id) || []));
          for (const id of ids) onMap.delete(id);
        });
      } else if (adding.length) {
        slice(adding, (taken) => {
          cluster.addLayers(taken.flatMap(markersFor));
          for (const record of taken) onMap.add(record.id);
        });
      } else {
        finish(records, near);
        return;
      }
      timer = setTimeout(step, 0);
    };
    step();
  }

  /** Once every marker is in place: frame them, and say what is shown. */
  function finish(records, near) {
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

  let shown = { records: null, near: null }; // what the map was last asked to show

  return {
    /** Show `records` (and the place searched near) once typing pauses. The same results again
     * (the list redrawn as the minutes pass, for "open now") leave the map as the visitor has
     * moved it, with any popup open. */
    update(records, near) {
      const same = shown.near === near && shown.records && shown.records.length === records.length
        && records.every((record, i) => record === shown.records[i]);
      if (same) return;
      shown = { records, near };
      clearTimeout(timer);
      timer = setTimeout(() => draw(records, near), UPDATE_DELAY_MS);
    },
    /** A search is starting: stop changing the map until its results call update(). What is
     * already done stays done; the next update carries on from there (even with the same results). */
    hold() {
      if (timer) shown = { records: null, near: null };
      clearTimeout(timer);
      timer = null;
    },
  };
}
