// The compact index (plugins/recovery_directory/exports/search_index.py: encode_index) decoded into
// the records the page uses (the text index reads the same file: text-index.js). Missing
// trailing positions in a row mean empty, 0 or false. The flag bits and the coordinate scale come
// from the index itself (`constants`, written from plugins/recovery_directory/shared_constants.json).

/** Mirror of name_slug() in exports/search_index.py (used only for ASCII names; tests/js checks they agree). */
export function nameSlug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

function decodeHours(flat = []) {
  const hours = [];
  for (let i = 0; i + 2 < flat.length; i += 3) hours.push({ days: flat[i], opens: flat[i + 1], closes: flat[i + 2] });
  return hours;
}

/** A decoded record. The slug and folded area names are worked out on first use: only shown
 * and mapped records need a slug, and only a search near a place needs the areas. */
class SearchRecord {
  get slug() {
    if (typeof this.slugCode === "number") this.slugCode = nameSlug(this.name).slice(0, this.slugCode);
    return this.slugCode;
  }

  get areasFolded() {
    if (!this.foldedAreas) this.foldedAreas = new Set(this.areas.map((area) => area.toLocaleLowerCase("en-GB")));
    return this.foldedAreas;
  }
}

export function decodeIndex(index, labels) {
  const at = Object.fromEntries(index.fields.map((name, position) => [name, position]));
  const [SLUG, NAME, SUMMARY, FLAGS, TYPES, COST, AREAS, LOCATIONS, MONTH] = [
    "slug", "name", "summary", "flags", "types", "cost", "areas", "locations", "verified_month",
  ].map((field) => at[field]);
  const { flags: FLAG, coordinate_scale: E4 } = index.constants;
  const masked = index.masked; // list fields sent as bit masks, in the index's field order
  const typeCodes = index.vocabularies.types;
  const typeLabels = typeCodes.map((code) => labels.types[code] || code);
  const towns = index.towns.map(([name, lat = null, lon = null]) => ({ name, lat, lon }));
  const areaNames = index.areas;
  const rows = index.records;
  const records = new Array(rows.length);
  // Plain loops and index access: this runs for every record before the first results appear.
  for (let id = 0; id < rows.length; id += 1) {
    const row = rows[id];
    const flags = row[FLAGS] || 0;
    const cost = row[COST] || 0;
    const typeMask = row[TYPES] || 0;
    const types = [];
    const labelsOfTypes = [];
    for (let mask = typeMask; mask; mask &= mask - 1) {
      const bit = 31 - Math.clz32(mask & -mask);
      types.push(typeCodes[bit]);
      labelsOfTypes.push(typeLabels[bit]);
    }
    const encoded = row[LOCATIONS] || [];
    const locations = new Array(encoded.length);
    const recordTowns = [];
    for (let i = 0; i < encoded.length; i += 1) {
      const location = encoded[i];
      const dLat = location[0];
      const dLon = location[1];
      const place = towns[location[2] || 0];
      const located = dLat != null && dLon != null && place.lat != null;
      locations[i] = {
        town: place.name,
        lat: located ? (place.lat + dLat) / E4 : null,
        lon: located ? (place.lon + dLon) / E4 : null,
        hours: decodeHours(location[3]),
      };
      if (!recordTowns.includes(place.name)) recordTowns.push(place.name);
    }
    const areas = row[AREAS] || [];
    const month = row[MONTH] || 0;
    const record = new SearchRecord();
    record.id = id;
    record.slugCode = row[SLUG];
    record.name = row[NAME];
    record.summary = row[SUMMARY] || "";
    const masks = { cost: cost ? 1 << (cost - 1) : 0 };
    for (const name of masked) masks[name] = row[at[name]] || 0;
    record.masks = masks;
    record.types = types;
    record.typeLabels = labelsOfTypes;
    record.self = Boolean(flags & FLAG.self_referral);
    record.professional = Boolean(flags & FLAG.professional_referral);
    record.open247 = Boolean(flags & FLAG.open_24_7);
    record.national = Boolean(flags & FLAG.national);
    record.temporarilyClosed = Boolean(flags & FLAG.temporarily_closed);
    record.areas = areas.map((area) => areaNames[area]);
    record.foldedAreas = null;
    record.towns = recordTowns;
    record.locations = locations;
    record.verified = month ? { year: Math.floor(month / 100), month: month % 100 } : null;
    record.details = null; // filled from details/<n>.json when the record may be printed
    record.openMinute = -1; // "open now", remembered for one minute (filters.js)
    record.isOpen = false;
    records[id] = record;
  }
  return records;
}
