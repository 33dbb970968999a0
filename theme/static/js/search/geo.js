// Distances for "near": great-circle (haversine) miles between two points.

const EARTH_RADIUS_MILES = 3958.8;
const radians = (degrees) => (degrees * Math.PI) / 180;

export function haversineMiles(a, b) {
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The listing's located place nearest `point`: {miles, location}, or null if none has a pin. */
export function nearestLocation(record, point) {
  let best = null;
  for (const location of record.locations) {
    if (location.lat == null || location.lon == null) continue;
    const miles = haversineMiles(point, location);
    if (!best || miles < best.miles) best = { miles, location };
  }
  return best;
}

/** A distance as people say it: "less than a mile", "about a mile", "about 3 miles", "27 miles". */
export function milesText(miles) {
  if (miles < 0.75) return "less than a mile";
  if (miles < 1.5) return "about a mile";
  if (miles < 10) return `about ${Math.round(miles)} miles`;
  return `${Math.round(miles)} miles`;
}

/** The limit in miles for a "within" choice ("10", "any"). */
export function withinMiles(within) {
  return within === "any" ? Infinity : Number(within);
}
