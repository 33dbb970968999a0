// "Near": turn what the visitor typed into a point (and, for postcodes, the local authority)
// through the configured postcodes.io-compatible lookup, or the browser's own location.

const FULL = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/; // postcodes.io's loose shape
const OUTCODE = /^[A-Z]{1,2}\d[A-Z\d]?$/;
const SECTOR = /^([A-Z]{1,2}\d[A-Z\d]?)\s+\d[A-Z]?$/; // "HX1 2": a postcode typed half-way
const COORDINATES = /^(-?\d{1,2}(?:\.\d+)?),\s*(-?\d{1,3}(?:\.\d+)?)$/;

/** What kind of place `text` names: {kind: "postcode"|"outcode"|"point"|"invalid"|"empty", …}. */
export function classifyNear(text) {
  const typed = text.trim().replace(/\s+/g, " ");
  if (!typed) return { kind: "empty" };
  const coordinates = typed.match(COORDINATES);
  if (coordinates) return { kind: "point", lat: Number(coordinates[1]), lon: Number(coordinates[2]), typed };
  const upper = typed.toUpperCase();
  if (FULL.test(upper)) return { kind: "postcode", code: upper.replace(/\s/g, ""), typed: upper };
  if (OUTCODE.test(upper)) return { kind: "outcode", code: upper, typed: upper };
  const sector = upper.match(SECTOR);
  if (sector) return { kind: "outcode", code: sector[1], typed: upper };
  return { kind: "invalid", typed };
}

/** True for text that should be a "near" search rather than words (the home page's box takes both). */
export function looksLikePostcode(text) {
  const kind = classifyNear(text).kind;
  return kind === "postcode" || kind === "outcode";
}

const cache = new Map();

/**
 * Look `text` up. Resolves to {ok: true, lat, lon, districts, label, note} or {ok: false, message};
 * never rejects, so a failed lookup is always a message and never a blank page.
 */
export function resolveNear(text, lookupUrl) {
  const place = classifyNear(text);
  if (place.kind === "empty") return Promise.resolve(null);
  if (place.kind === "point") {
    return Promise.resolve({ ok: true, lat: place.lat, lon: place.lon, districts: [], label: "your location", note: "" });
  }
  if (place.kind === "invalid") {
    return Promise.resolve({
      ok: false,
      message: `“${place.typed}” is not a UK postcode. Check it, or type just the first part, such as HX1.`,
    });
  }
  const key = `${place.kind}:${place.code}`;
  if (!cache.has(key)) {
    const lookup = fetchPlace(place, lookupUrl);
    cache.set(key, lookup);
    lookup.then((answer) => answer.retry && cache.delete(key)); // don't keep network failures
  }
  return cache.get(key).then((answer) => ({ ...answer, typed: place.typed }));
}

async function fetchPlace(place, lookupUrl) {
  const path = place.kind === "postcode" ? "postcodes" : "outcodes";
  let body;
  try {
    const response = await fetch(`${lookupUrl}/${path}/${encodeURIComponent(place.code)}`, {
      headers: { Accept: "application/json" },
      referrerPolicy: "no-referrer",
    });
    body = await response.json();
  } catch {
    return {
      ok: false,
      retry: true,
      message: "The postcode service did not answer, so the results are not sorted by distance. Try again in a moment.",
    };
  }
  if (body && body.status === 200 && body.result) return placeFromResult(place, body.result);
  return { ok: false, retry: !body || body.status >= 429, message: lookupError(place, body || {}) };
}

function placeFromResult(place, result) {
  const label = place.kind === "postcode" ? result.postcode || place.typed : result.outcode || place.code;
  if (typeof result.latitude !== "number" || typeof result.longitude !== "number") {
    return { ok: false, message: `${label} has no map position, so we can't sort by distance. Try a nearby postcode.` };
  }
  // Postcodes give one local authority; outcodes can straddle several and give an array.
  const districts = [result.admin_district].flat().filter(Boolean);
  return {
    ok: true,
    lat: result.latitude,
    lon: result.longitude,
    districts,
    label,
    note: place.kind === "outcode" ? `Distances are from the middle of the ${label} postcode area.` : "",
  };
}

function lookupError(place, body) {
  const typed = place.typed;
  if (body.error === "Invalid postcode") {
    return `“${typed}” is not a valid UK postcode. Check it, or type just the first part, such as HX1.`;
  }
  if (body.terminated && body.terminated.year_terminated) {
    return `${typed} is no longer in use (it was retired in ${body.terminated.year_terminated}). Try a nearby postcode, or just the first part, such as ${typed.split(" ")[0]}.`;
  }
  if (body.status === 404 && place.kind === "outcode") {
    return `We couldn't find the postcode area “${typed}”. Check it, or type a full postcode.`;
  }
  if (body.status === 404) {
    return `We couldn't find the postcode ${typed}. Check it and try again, or type just the first part, such as ${typed.split(" ")[0]}.`;
  }
  return "The postcode service could not look that up just now, so the results are not sorted by distance. Try again in a moment.";
}

/** The browser's position, rounded to about a kilometre (it goes into the shareable URL). */
export function currentPosition() {
  return new Promise((resolve) => {
    if (!("geolocation" in navigator)) {
      resolve({ ok: false, message: "This browser can't share your location. Type a postcode instead." });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ ok: true, text: `${position.coords.latitude.toFixed(2)},${position.coords.longitude.toFixed(2)}` }),
      () => resolve({ ok: false, message: "Your location wasn't shared, so type a postcode instead." }),
      { timeout: 15000, maximumAge: 600000 },
    );
  });
}
