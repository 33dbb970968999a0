// The site's own postcode lookup: one small file per outcode (/postcodes/HX1.json), generated at
// build time from the ONS Postcode Directory (plugins/recovery_directory/geocoding/site_lookup.py),
// so a postcode typed here is only ever sent to this site.

const SCALE = 10000; // the files give positions in 1e-4 degrees, each relative to the one before

/** The file's postcodes as [{inward, lat, lon, district}] (lat/lon null where ONS has no point). */
export function decodeOutcode(file) {
  const places = [];
  let lat = 0;
  let lon = 0;
  for (let i = 0; i * 3 < file.inward.length; i += 1) {
    const dlat = file.dlat[i];
    const placed = dlat !== null && dlat !== undefined;
    if (placed) {
      lat += dlat;
      lon += file.dlon[i];
    }
    const district = file.district ? file.district[i] : 0;
    places.push({
      inward: file.inward.slice(i * 3, i * 3 + 3),
      lat: placed ? lat / SCALE : null,
      lon: placed ? lon / SCALE : null,
      district: district === null || district === undefined ? null : file.districts[district] ?? null,
    });
  }
  return places;
}

const unique = (values) => [...new Set(values.filter(Boolean))];

/** The middle value (of two, their mean): as the outcode's own centre is made (site_lookup.py),
 * so a few postcodes placed far off don't move a sector's middle. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Answer a place classified by near.js ({kind: "postcode"|"outcode", code, typed}) from its
 * outcode's file: {ok: true, lat, lon, districts, label, note} or {ok: false, message}.
 */
export function placeFromOutcode(file, place) {
  const outcode = file.outcode;
  if (place.kind === "postcode") {
    const inward = place.code.slice(-3);
    const found = decodeOutcode(file).find((entry) => entry.inward === inward);
    const label = `${outcode} ${inward}`;
    if (!found) {
      return { ok: false, message: `We couldn't find the postcode ${label}. Check it and try again, or type just the first part, such as ${outcode}.` };
    }
    if (found.lat === null) {
      return { ok: false, message: `${label} has no map position, so we can't sort by distance. Try a nearby postcode.` };
    }
    return { ok: true, lat: found.lat, lon: found.lon, districts: unique([found.district]), label, note: "" };
  }
  const sector = place.typed.match(/\s(\d)[A-Z]?$/);
  if (sector) {
    const label = `${outcode} ${sector[1]}`;
    const inSector = decodeOutcode(file).filter((entry) => entry.inward[0] === sector[1] && entry.lat !== null);
    if (!inSector.length) return { ok: false, message: `We couldn't find the postcode sector “${label}”. Check it, or type a full postcode.` };
    return {
      ok: true, lat: median(inSector.map((entry) => entry.lat)), lon: median(inSector.map((entry) => entry.lon)),
      districts: unique(inSector.map((entry) => entry.district)), label,
      note: `Distances are from the middle of the ${label} postcode sector.`,
    };
  }
  if (typeof file.lat !== "number") {
    return { ok: false, message: `${outcode} has no map position, so we can't sort by distance. Try a full postcode.` };
  }
  return {
    ok: true, lat: file.lat, lon: file.lon, districts: unique(file.districts), label: outcode,
    note: `Distances are from the middle of the ${outcode} postcode area.`,
  };
}

// Jersey, Guernsey and the Isle of Man have postcodes but are not in the UK: the ONS data gives
// them no position or council, and this directory lists UK services.
const CROWN_DEPENDENCIES = { JE: "Jersey", GY: "Guernsey", IM: "the Isle of Man" };

/** A message for a postcode outside the UK's data (or null): no nearby postcode would help. */
export function outsideTheUk(outcode) {
  const island = CROWN_DEPENDENCIES[outcode.replace(/\d.*$/, "")];
  if (!island || !/^[A-Z]{2}\d/.test(outcode)) return null;
  return `${outcode} is in ${island}, which is not part of the UK, so this directory can't sort services by distance from it. National phone and online services may still help: clear the postcode to see every service.`;
}

/** Fetch the outcode's file from this site (`baseUrl`, e.g. https://site/postcodes/) and answer. */
export async function lookUpPlace(place, baseUrl) {
  const outcode = place.kind === "postcode" ? place.code.slice(0, -3) : place.code;
  const abroad = outsideTheUk(outcode);
  if (abroad) return { ok: false, message: abroad };
  let response;
  try {
    response = await fetch(new URL(`${encodeURIComponent(outcode)}.json`, baseUrl), { credentials: "same-origin" });
  } catch {
    return { ok: false, retry: true, message: "The postcode lookup did not load, so the results are not sorted by distance. Try again in a moment." };
  }
  if (response.status === 404) {
    const message = place.kind === "postcode"
      ? `We couldn't find the postcode ${place.typed}. Check it and try again.`
      : `We couldn't find the postcode area “${place.typed}”. Check it, or type a full postcode.`;
    return { ok: false, message };
  }
  try {
    if (!response.ok) throw new Error(String(response.status));
    return placeFromOutcode(await response.json(), place);
  } catch {
    return { ok: false, retry: true, message: "The postcode lookup did not load, so the results are not sorted by distance. Try again in a moment." };
  }
}
