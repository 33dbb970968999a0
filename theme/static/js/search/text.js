// How search text is split into words and folded, shared by the full text index (text-index.js,
// in a worker) and the quick matcher used until it is ready (text-search.js), so both agree.

const SPLIT = /[\n\r\p{Z}\p{P}]+/u; // MiniSearch's own default: spaces and punctuation
// Words too common to narrow anything: dropped from both the index and queries, so "support for
// families" finds what "support families" finds, and "alcohol near me" what "alcohol" finds (where
// is the postcode box's job: the page offers it when no postcode is given).
const STOP_WORDS = new Set(["a", "an", "and", "at", "by", "for", "in", "me", "near", "of", "on", "or", "the", "to", "with"]);
const ASCII = /^[\x00-\x7f]*$/;

export function tokenize(text) {
  return text.split(SPLIT);
}

/** Lower case and accents off ("Café" matches "cafe"). */
export function fold(text) {
  const lower = text.toLowerCase();
  return ASCII.test(lower) ? lower : lower.normalize("NFD").replace(/\p{M}/gu, "");
}

/** A word as indexed and searched: folded, or null for a stop word. */
export function normaliseTerm(term) {
  const folded = fold(term);
  return folded && !STOP_WORDS.has(folded) ? folded : null;
}

/** The words of a query that narrow it. */
export function queryTerms(q) {
  return tokenize(q).map(normaliseTerm).filter(Boolean);
}

/**
 * Records matching every term: `hitsFor(term)` gives a Map of record id -> score for one term
 * (it may match in different fields per term); scores add up.
 */
export function matchAll(terms, hitsFor) {
  let combined = null;
  for (const term of terms) {
    const hits = hitsFor(term);
    if (combined === null) {
      combined = hits;
      continue;
    }
    const both = new Map();
    for (const [id, score] of combined) {
      const more = hits.get(id);
      if (more !== undefined) both.set(id, score + more);
    }
    combined = both;
    if (!combined.size) break;
  }
  return combined || new Map();
}

// A postcode typed among words ("Halifax HX1 1RE", "cafe LS2", "LS1 gambling") means "near" it:
// full postcodes anywhere, or an outcode (optionally with the sector digit) as the last words or
// the first. Punctuation around it is not part of it ("LS1 4AP.", "(LS1 4AP)", "…, LS1 4AP, UK").
const POSTCODE_IN_TEXT = /(?:^|[^A-Za-z\d])([A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2})(?![A-Za-z\d])/;
const OUTCODE_AT_END = /(?:^|[^A-Za-z\d])([A-Za-z]{1,2}\d[A-Za-z\d]?(?:\s+\d[A-Za-z]?)?)[\s\p{P}]*$/u;
const OUTCODE_AT_START = /^[\s\p{P}]*([A-Za-z]{1,2}\d[A-Za-z\d]?(?:\s+\d[A-Za-z]?)?)(?=[\s\p{P}])/u;
// An address line, not words to search for: a house number and a street ("10 Downing Street,",
// "Flat 2, 1 Park Row,") before a comma. "12 step, LS1 4AP" and "24/7 helpline, LS1" are words.
const STREET = "street|st|road|rd|lane|ln|avenue|ave|close|drive|dr|way|place|court|crescent|terrace|gardens|grove|square|walk|row|hill|park|green|mews|parade|view|rise|vale|wynd|brae|gate|yard|quay|wharf|buildings|estate";
const ADDRESS = new RegExp(`^\\s*(?:(?:flat|unit|apartment|apt)\\.?\\s*\\d+[a-z]?\\s*,\\s*)?\\d+[a-z]?\\s+[^,\\d]*\\b(?:${STREET})\\b\\.?\\s*,`, "i");
// What is left around a postcode taken out: brackets and commas on their own, and "UK" after it.
const LEFT_OVER = /(?:^|\s)(?:[\p{P}]+|UK|United Kingdom)(?=\s|$)/giu;

/** {words, postcode}: the query without its postcode, and the postcode ("" if none). */
export function splitQuery(q) {
  const text = (q || "").trim();
  const full = text.match(POSTCODE_IN_TEXT);
  const found = full || text.match(OUTCODE_AT_END) || text.match(OUTCODE_AT_START);
  if (!found) return { words: text, postcode: "" };
  const start = found.index + found[0].indexOf(found[1]);
  // An address pasted whole ("10 Downing Street, London SW1A 2AA"): its postcode is the place,
  // and the street and town are not words to look for in listings.
  const before = full && ADDRESS.test(text.slice(0, start)) ? "" : text.slice(0, start);
  const rest = `${before} ${text.slice(start + found[1].length)}`;
  const words = rest.replace(LEFT_OVER, " ").replace(/[\s,;:]+$/, "").replace(/\s+/g, " ").trim();
  return { words, postcode: found[1].toUpperCase().replace(/\s+/g, " ") };
}
