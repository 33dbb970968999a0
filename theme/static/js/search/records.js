// The compact index (plugins/recovery_directory/search_index.py: encode_index) decoded into
// the records the page uses, and the text index over them (MiniSearch, self-hosted). Missing
// trailing positions in a row mean empty, 0 or false.

const E4 = 10000; // coordinates are sent as integers of 1/10,000 degree
export const FLAG = { self: 1, professional: 2, open247: 4, national: 8, temporarilyClosed: 16 };

/** Mirror of name_slug() in search_index.py (used only for ASCII names). */
export function nameSlug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

function decodeHours(flat = []) {
  const hours = [];
  for (let i = 0; i + 2 < flat.length; i += 3) hours.push({ days: flat[i], opens: flat[i + 1], closes: flat[i + 2] });
  return hours;
}

export function decodeIndex(index, labels) {
  const at = Object.fromEntries(index.fields.map((name, position) => [name, position]));
  const [SLUG, NAME, SUMMARY, FLAGS, TYPES, AUDIENCES, SUBSTANCES, ATTENDANCE, COST, AREAS, LOCATIONS, MONTH] = [
    "slug", "name", "summary", "flags", "types", "audiences", "substances", "attendance", "cost", "areas", "locations",
    "verified_month",
  ].map((field) => at[field]);
  const typeCodes = index.vocabularies.types;
  const typeLabels = typeCodes.map((code) => labels.types[code] || code);
  const towns = index.towns.map(([name, lat = null, lon = null]) => ({ name, lat, lon }));
  const areaNames = index.areas;
  const areaFolded = areaNames.map((area) => area.toLocaleLowerCase("en-GB"));
  const records = new Array(index.records.length);
  index.records.forEach((row, id) => {
    const name = row[NAME];
    const slug = row[SLUG];
    const flags = row[FLAGS] || 0;
    const cost = row[COST] || 0;
    const typeMask = row[TYPES] || 0;
    const types = [];
    const labelsOfTypes = [];
    for (let bit = 0; bit < typeCodes.length; bit += 1) {
      if (typeMask & (1 << bit)) {
        types.push(typeCodes[bit]);
        labelsOfTypes.push(typeLabels[bit]);
      }
    }
    const locations = (row[LOCATIONS] || []).map(([dLat, dLon, town = 0, hours]) => {
      const place = towns[town];
      const located = dLat != null && dLon != null && place.lat != null;
      return {
        town: place.name,
        lat: located ? (place.lat + dLat) / E4 : null,
        lon: located ? (place.lon + dLon) / E4 : null,
        hours: decodeHours(hours),
      };
    });
    const areas = row[AREAS] || [];
    const month = row[MONTH] || 0;
    records[id] = {
      id,
      slug: typeof slug === "number" ? nameSlug(name).slice(0, slug) : slug,
      name,
      summary: row[SUMMARY] || "",
      masks: {
        types: typeMask,
        audiences: row[AUDIENCES] || 0,
        substances: row[SUBSTANCES] || 0,
        attendance: row[ATTENDANCE] || 0,
        cost: cost ? 1 << (cost - 1) : 0,
      },
      types,
      typeLabels: labelsOfTypes,
      self: Boolean(flags & FLAG.self),
      professional: Boolean(flags & FLAG.professional),
      open247: Boolean(flags & FLAG.open247),
      national: Boolean(flags & FLAG.national),
      temporarilyClosed: Boolean(flags & FLAG.temporarilyClosed),
      areas: areas.map((area) => areaNames[area]),
      areasFolded: new Set(areas.map((area) => areaFolded[area])),
      towns: locations.length > 1 ? [...new Set(locations.map((location) => location.town))] : locations.map((l) => l.town),
      locations,
      verified: month ? { year: Math.floor(month / 100), month: month % 100 } : null,
      details: null, // filled from details/<n>.json when the record may be printed
    };
  });
  return records;
}

// Words too common to narrow anything: dropped from both the index and queries, so "support for
// families" finds what "support families" finds.
const STOP_WORDS = new Set(["a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"]);
const ASCII = /^[\x00-\x7f]*$/;

/** Lower case, accents off ("café" matches "cafe"), stop words dropped. */
export function normaliseTerm(term) {
  let folded = term.toLowerCase();
  if (!ASCII.test(folded)) folded = folded.normalize("NFD").replace(/\p{M}/gu, "");
  return STOP_WORDS.has(folded) ? null : folded;
}

export function buildTextIndex(records) {
  const index = new window.MiniSearch({
    idField: "id",
    fields: ["name", "summary", "towns", "typeLabels", "areas"],
    extractField: (record, field) => {
      const value = record[field];
      return Array.isArray(value) ? value.join(" ") : value;
    },
    processTerm: normaliseTerm,
    searchOptions: {
      prefix: true,
      // Typo tolerance only for longer words: on short ones it matches nearly everything.
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      boost: { name: 3, towns: 2, typeLabels: 2, areas: 1.5 },
      combineWith: "AND",
    },
  });
  index.addAll(records);
  return index;
}
