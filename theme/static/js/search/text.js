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
// the first.
const POSTCODE_IN_TEXT = /(?:^|\s)([A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2})(?=\s|$)/;
const OUTCODE_AT_END = /(?:^|\s)([A-Za-z]{1,2}\d[A-Za-z\d]?(?:\s+\d[A-Za-z]?)?)\s*$/;
const OUTCODE_AT_START = /^\s*([A-Za-z]{1,2}\d[A-Za-z\d]?(?:\s+\d[A-Za-z]?)?)(?=\s)/;

/** {words, postcode}: the query without its postcode, and the postcode ("" if none). */
export function splitQuery(q) {
  const text = (q || "").trim();
  const found = text.match(POSTCODE_IN_TEXT) || text.match(OUTCODE_AT_END) || text.match(OUTCODE_AT_START);
  if (!found) return { words: text, postcode: "" };
  const words = (text.slice(0, found.index) + " " + text.slice(found.index + found[0].length)).replace(/\s+/g, " ").trim();
  return { words, postcode: found[1].toUpperCase().replace(/\s+/g, " ") };
}
