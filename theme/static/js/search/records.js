// The compact index (plugins/recovery_directory/exports/search_index.py: encode_index) decoded into
// the records the page uses (the text index reads the same file: text-index.js). Missing
// trailing positions in a row mean empty, 0 or false. The flag bits and the coordinate scale come
// from the index itself (`constants`, written from plugins/recovery_directory/shared_constants.json).

/** Mirror of name_slug() in exports/search_index.py (used only for ASCII names; tests/js checks they agree). */
export function nameSlug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

const NO_HOURS = [];

/** A decoded record. Only what the first results need of every record is read at once (flags,
 * and weekly hours straight from the index's own arrays, for "open now"); the rest — the bit masks
 * a narrowed search filters on, places, towns, types, areas, slug, month checked — is made on
 * first use (main.js makes the masks while the page is idle after its first results). Decoding
 * every field of 10,000 records up front made the first results wait for the objects to be made
 * and then for the garbage collector to move them all: the masks and month objects alone were
 * ~15 ms of a cold decode. */
class SearchRecord {
  constructor(id, row, codec) {
    this.id = id;
    this.row = row;
    this.codec = codec;
    const { at, FLAG } = codec;
    const flags = row[at.flags] || 0;
    this.slugCode = row[at.slug];
    this.name = row[at.name];
    this.summary = row[at.summary] || "";
    this.self = Boolean(flags & FLAG.self_referral);
    this.professional = Boolean(flags & FLAG.professional_referral);
    this.open247 = Boolean(flags & FLAG.open_24_7);
    this.national = Boolean(flags & FLAG.national);
    this.temporarilyClosed = Boolean(flags & FLAG.temporarily_closed);
    this.decodedMasks = null;
    this.decodedHours = null;
    this.decodedVerified = undefined;
    this.details = null; // filled from details/<n>.json when the record may be printed
    this.openMinute = -1; // "open now", remembered for one minute (filters.js)
    this.isOpen = false;
    this.distance = null;
    this.decodedPlaces = null;
    this.decodedTypes = null;
    this.decodedAreas = null;
    this.foldedAreas = null;
  }

  /** {field: bit mask} for the filtered list fields and cost (bit i = the vocabulary's value i). */
  get masks() {
    if (this.decodedMasks) return this.decodedMasks;
    const { at, masked } = this.codec;
    const cost = this.row[at.cost] || 0;
    const masks = { cost: cost ? 1 << (cost - 1) : 0 };
    for (const name of masked) masks[name] = this.row[at[name]] || 0;
    this.decodedMasks = masks;
    return masks;
  }

  /** {year, month} the details were last checked, or null. */
  get verified() {
    if (this.decodedVerified === undefined) {
      const month = this.row[this.codec.at.verified_month] || 0;
      this.decodedVerified = month ? { year: Math.floor(month / 100), month: month % 100 } : null;
    }
    return this.decodedVerified;
  }

  get slug() {
    if (typeof this.slugCode === "number") this.slugCode = nameSlug(this.name).slice(0, this.slugCode);
    return this.slugCode;
  }

  /** Each place's weekly hours as the index sends them: [days bit mask, opens, closes (minutes),
   * …], read by "open now" (hours.js) without making an object per entry; the sessions held only
   * online or by phone come last, as one more "place". */
  get weeklyHours() {
    if (this.decodedHours) return this.decodedHours; // kept: "open now" asks again every minute
    const encoded = this.row[this.codec.at.locations] || [];
    const online = this.row[this.codec.at.online];
    if (!encoded.length && !(online && online.length)) return NO_HOURS;
    const weekly = [];
    for (let i = 0; i < encoded.length; i += 1) weekly.push(encoded[i][3] || NO_HOURS);
    if (online && online.length) weekly.push(online);
    this.decodedHours = weekly;
    return weekly;
  }

  /** [{town, lat, lon}]: where each place is (hours: weeklyHours). */
  get locations() {
    return this.places().locations;
  }

  /** The towns of the record's places, each once, in order. */
  get towns() {
    return this.places().towns;
  }

  get types() {
    return this.typesDecoded().types;
  }

  get typeLabels() {
    return this.typesDecoded().labels;
  }

  get areas() {
    this.decodedAreas ??= (this.row[this.codec.at.areas] || []).map((area) => this.codec.areaNames[area]);
    return this.decodedAreas;
  }

  /** The UK nations the record serves ("Wales"; all four for a national service). */
  get nations() {
    const names = this.codec.nationNames;
    const found = [];
    for (let mask = this.row[this.codec.at.nations] || 0; mask; mask &= mask - 1) found.push(names[31 - Math.clz32(mask & -mask)]);
    return found;
  }

  get areasFolded() {
    if (!this.foldedAreas) this.foldedAreas = new Set(this.areas.map((area) => area.toLocaleLowerCase("en-GB")));
    return this.foldedAreas;
  }

  places() {
    if (this.decodedPlaces) return this.decodedPlaces;
    const { towns: places, E4 } = this.codec;
    const encoded = this.row[this.codec.at.locations] || [];
    const locations = new Array(encoded.length);
    const towns = [];
    for (let i = 0; i < encoded.length; i += 1) {
      const [dLat, dLon, town = 0] = encoded[i];
      const place = places[town];
      const located = dLat != null && dLon != null && place.lat != null;
      locations[i] = {
        town: place.name,
        lat: located ? (place.lat + dLat) / E4 : null,
        lon: located ? (place.lon + dLon) / E4 : null,
      };
      if (!towns.includes(place.name)) towns.push(place.name);
    }
    this.decodedPlaces = { locations, towns };
    return this.decodedPlaces;
  }

  typesDecoded() {
    if (this.decodedTypes) return this.decodedTypes;
    const { typeCodes, typeLabels } = this.codec;
    const types = [];
    const labels = [];
    for (let mask = this.row[this.codec.at.types] || 0; mask; mask &= mask - 1) {
      const bit = 31 - Math.clz32(mask & -mask);
      types.push(typeCodes[bit]);
      labels.push(typeLabels[bit]);
    }
    this.decodedTypes = { types, labels };
    return this.decodedTypes;
  }
}

export function decodeIndex(index, labels) {
  const at = Object.fromEntries(index.fields.map((name, position) => [name, position]));
  const typeCodes = index.vocabularies.types;
  const codec = {
    at,
    FLAG: index.constants.flags,
    E4: index.constants.coordinate_scale,
    masked: index.masked, // list fields sent as bit masks, in the index's field order
    typeCodes,
    typeLabels: typeCodes.map((code) => labels.types[code] || code),
    towns: index.towns.map(([name, lat = null, lon = null]) => ({ name, lat, lon })),
    areaNames: index.areas,
    nationNames: index.nations || [],
  };
  const rows = index.records;
  const records = new Array(rows.length);
  for (let id = 0; id < rows.length; id += 1) records[id] = new SearchRecord(id, rows[id], codec);
  return records;
}
