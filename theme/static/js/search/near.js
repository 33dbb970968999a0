// "Near": turn what the visitor typed into a point (and, for postcodes, the local authority)
// through the site's own postcode files (postcode-lookup.js), or the browser's own location.

import { lookUpPlace } from "./postcode-lookup.js";

const FULL = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/; // the loose UK shape
const OUTCODE = /^[A-Z]{1,2}\d[A-Z\d]?$/;
const SECTOR = /^([A-Z]{1,2}\d[A-Z\d]?)\s+\d[A-Z]?$/; // "HX1 2": a postcode typed half-way
const COORDINATES = /^(-?\d{1,2}(?:\.\d+)?),\s*(-?\d{1,3}(?:\.\d+)?)$/;

/** What kind of place `text` names: {kind: "postcode"|"outcode"|"point"|"invalid"|"empty", …}. */
export function classifyNear(text) {
  const typed = text.trim().replace(/\s+/g, " ");
  if (!typed) return { kind: "empty" };
  const coordinates = typed.match(COORDINATES);
  if (coordinates) return { kind: "point", lat: Number(coordinates[1]), lon: Number(coordinates[2]), typed };
  // "LS1 4AP.", "(LS1 4AP)", "LS1 4AP, UK": the postcode without what is written around it
  const bare = typed.replace(/[\s,]+(?:UK|United Kingdom)$/i, "").replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, "");
  const upper = (bare || typed).toUpperCase();
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
 * Look `text` up in the postcode files at `lookupUrl` (this site's /postcodes/). Resolves to
 * {ok: true, lat, lon, districts, label, note} or {ok: false, message}; never rejects, so a
 * failed lookup is always a message and never a blank page.
 */
export function resolveNear(text, lookupUrl) {
  const place = classifyNear(text);
  if (place.kind === "empty") return Promise.resolve(null);
  if (place.kind === "point") {
    // A point has no council here (that needs the postcode it is in): say what a postcode adds.
    const note = "Type your postcode instead to also see services for your council area, such as phone lines with no venue.";
    return Promise.resolve({ ok: true, lat: place.lat, lon: place.lon, districts: [], label: "your location", note });
  }
  if (place.kind === "invalid") {
    return Promise.resolve({
      ok: false,
      message: `“${place.typed}” is not a UK postcode. Check it, or type just the first part, such as HX1.`,
    });
  }
  const key = `${place.kind}:${place.typed}`; // "HX1 2" (a sector) and "HX1" answer differently
  if (!cache.has(key)) {
    const lookup = lookUpPlace(place, lookupUrl);
    cache.set(key, lookup);
    lookup.then((answer) => answer.retry && cache.delete(key)); // don't keep network failures
  }
  return cache.get(key).then((answer) => ({ ...answer, typed: place.typed }));
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
