// One query word's scores over a MiniSearch index: exactly what MiniSearch's own search(word)
// gives (BM25+ per field, times the field's boost; prefix and typo matches weighted as MiniSearch
// weights them), but added straight into a Float64Array by record id. MiniSearch builds an object
// per matching document and per matching word, which for a word in every listing ("recovery",
// or "rec…" while it is typed) takes longer than a keystroke may. Common words also keep their
// per-document scores, so the next keystroke that matches them again only multiplies and adds.
//
// This reads MiniSearch 7's index internals (_index, _fieldIds, _fieldLength, _avgFieldLength,
// _documentCount, _documentIds). tests/js/search-text-scores.test.mjs compares every kind of
// query with MiniSearch's search(), so an upgrade that changes them fails there, not on the site.

const BM25 = { k: 1.2, b: 0.7, d: 0.5 }; // MiniSearch's defaults
const WEIGHTS = { fuzzy: 0.45, prefix: 0.375 }; // likewise
// A word in at least this many documents (in one field) keeps its scores; rarer words are
// quicker to score again than to look up.
const KEEP_FROM = 64;
const KEPT_MAX = 500_000; // scores kept at most (about 6 MB), least recently used dropped first

export class WordScores {
  /** `boosts`: {field: boost} for every field searched (MiniSearch's `boost` search option);
   * `keptMax`: how many documents' scores to keep at most. */
  constructor(miniSearch, boosts, keptMax = KEPT_MAX) {
    this.index = miniSearch._index;
    this.fieldIds = miniSearch._fieldIds;
    this.fieldLength = miniSearch._fieldLength;
    this.averageLength = miniSearch._avgFieldLength;
    this.documentCount = miniSearch._documentCount;
    this.boosts = boosts;
    let size = 0;
    for (const id of miniSearch._documentIds.values()) size = Math.max(size, id + 1);
    this.size = size; // scores are by the documents' own ids, 0 … size - 1
    this.idOf = new Int32Array(miniSearch._nextId);
    for (const [shortId, id] of miniSearch._documentIds) this.idOf[shortId] = id;
    this.kept = new Map(); // "fieldId word" -> {ids: Int32Array, raw: Float64Array}
    this.keptCount = 0;
    this.keptMax = keptMax;
  }

  /**
   * Scores of the documents matching `term` (already processed as the index's terms are), as a
   * Float64Array by id (0: no match). `prefix`: words starting with it match too; `fuzzy`: the
   * edit distance allowed (0: none); `fields`: which fields to search, in the index's order.
   */
  score(term, { prefix = false, fuzzy = 0, fields = Object.keys(this.boosts) } = {}) {
    const into = new Float64Array(this.size);
    const exact = this.index.get(term);
    if (exact) this.add(into, term, exact, 1, fields);
    const fuzzyMatches = fuzzy ? this.index.fuzzyGet(term, fuzzy) : null;
    if (prefix) {
      for (const [word, data] of this.index.atPrefix(term)) {
        const distance = word.length - term.length;
        if (!distance) continue; // the exact match, scored above
        if (fuzzyMatches) fuzzyMatches.delete(word); // a prefix match counts as one, never as a typo
        this.add(into, word, data, (WEIGHTS.prefix * word.length) / (word.length + 0.3 * distance), fields);
      }
    }
    if (fuzzyMatches) {
      for (const [word, [data, distance]] of fuzzyMatches) {
        if (distance) this.add(into, word, data, (WEIGHTS.fuzzy * word.length) / (word.length + distance), fields);
      }
    }
    return into;
  }

  /** Add `word`'s scores in `fields`, times `weight`, into `into`. */
  add(into, word, data, weight, fields) {
    for (const field of fields) {
      const fieldId = this.fieldIds[field];
      const frequencies = data.get(fieldId);
      if (!frequencies) continue;
      // Multiplied in MiniSearch's order, so the scores are the very same numbers.
      const factor = weight * this.boosts[field];
      const kept = frequencies.size >= KEEP_FROM ? this.keep(word, fieldId, frequencies) : null;
      if (kept) {
        const { ids, raw } = kept;
        for (let i = 0; i < ids.length; i += 1) into[ids[i]] += factor * raw[i];
      } else {
        for (const [shortId, frequency] of frequencies) {
          into[this.idOf[shortId]] += factor * this.bm25(frequency, frequencies.size, shortId, fieldId);
        }
      }
    }
  }

  /** MiniSearch's BM25+ for one word in one field of one document. */
  bm25(frequency, matching, shortId, fieldId) {
    const { k, b, d } = BM25;
    const fieldLength = this.fieldLength.get(shortId)[fieldId];
    const inverse = Math.log(1 + (this.documentCount - matching + 0.5) / (matching + 0.5));
    return inverse * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * fieldLength) / this.averageLength[fieldId])));
  }

  /** A common word's scores in one field, worked out once. */
  keep(word, fieldId, frequencies) {
    const key = `${fieldId} ${word}`;
    let kept = this.kept.get(key);
    if (kept) {
      this.kept.delete(key); // and set again below: most recently used last
    } else {
      const ids = new Int32Array(frequencies.size);
      const raw = new Float64Array(frequencies.size);
      let i = 0;
      for (const [shortId, frequency] of frequencies) {
        ids[i] = this.idOf[shortId];
        raw[i] = this.bm25(frequency, frequencies.size, shortId, fieldId);
        i += 1;
      }
      kept = { ids, raw };
      this.keptCount += ids.length;
      for (const [oldest, { ids: dropped }] of this.kept) {
        if (this.keptCount <= this.keptMax) break;
        this.kept.delete(oldest);
        this.keptCount -= dropped.length;
      }
    }
    this.kept.set(key, kept);
    return kept;
  }
}
