// The full text index as a few flat arrays, so the page can answer text queries itself, in the
// same task as the keystroke. The worker builds the index with MiniSearch (text-worker.js), then
// compiles it here: every word with its postings (record id and score) per field, the scores
// worked out once (BM25+, as text-scores.js does). The arrays are transferred to the page, not
// copied, and the worker stops. Answering on the page spares a round trip through the worker,
// which cost each keystroke an extra frame: the browser paints the typed letter, then the results.
//
// TableScores.score gives exactly WordScores.score's numbers, adding them up in the same order
// (word starts in the index's order, typos in the fuzzy search's), so rankings don't move;
// tests/js/search-text-index.test.mjs checks both against MiniSearch's search().

import { WordScores } from "./text-scores.js";

const WEIGHTS = { fuzzy: 0.45, prefix: 0.375 }; // MiniSearch's defaults, as in text-scores.js

/**
 * Compile a built MiniSearch index over `fields` into transferable arrays:
 * {table, transfer} where `transfer` lists the ArrayBuffers to pass to postMessage.
 */
export function compileTable(miniSearch, fields) {
  const scores = new WordScores(miniSearch, Object.fromEntries(fields.map((field) => [field, 1])));
  const fieldIds = fields.map((field) => miniSearch._fieldIds[field]);
  const words = [];
  let postings = 0;
  for (const [word, data] of miniSearch._index) {
    words.push(word);
    for (const fieldId of fieldIds) postings += data.has(fieldId) ? data.get(fieldId).size : 0;
  }
  const width = fields.length;
  const offsets = new Int32Array(words.length * width + 1);
  const ids = new Int32Array(postings);
  const raw = new Float64Array(postings);
  let at = 0;
  let position = 0;
  for (const [, data] of miniSearch._index) {
    fieldIds.forEach((fieldId, column) => {
      offsets[position * width + column] = at;
      const frequencies = data.get(fieldId);
      if (!frequencies) return;
      for (const [shortId, frequency] of frequencies) {
        ids[at] = scores.idOf[shortId];
        raw[at] = scores.bm25(frequency, frequencies.size, shortId, fieldId);
        at += 1;
      }
    });
    position += 1;
  }
  offsets[words.length * width] = at;
  // The words as one string (one copy to send, not one per word), where each starts.
  const starts = new Int32Array(words.length + 1);
  words.forEach((word, i) => (starts[i + 1] = starts[i] + word.length));
  const order = Int32Array.from(words.keys()).sort((a, b) => (words[a] < words[b] ? -1 : 1)); // for word starts
  const byLength = Int32Array.from(words.keys()).sort((a, b) => words[a].length - words[b].length || a - b); // for typos
  const typoRank = fuzzyOrder(miniSearch._index._tree, words);
  const table = { fields, size: scores.size, text: words.join(""), starts, order, byLength, typoRank, offsets, ids, raw };
  return { table, transfer: [starts, order, byLength, typoRank, offsets, ids, raw].map((array) => array.buffer) };
}

/**
 * Each word's place in the order MiniSearch's fuzzy search meets words (its radix tree walked
 * first child first), which is not the order the index iterates in (last child first). Typo
 * matches are added up in that order, as MiniSearch adds them, so the sums are the same numbers.
 */
function fuzzyOrder(tree, words) {
  const position = new Map(words.map((word, i) => [word, i]));
  const rank = new Int32Array(words.length);
  let next = 0;
  const walk = (node, prefix) => {
    for (const [key, child] of node) {
      if (key === "") rank[position.get(prefix)] = next++; // MiniSearch marks a word's end with ""
      else walk(child, prefix + key);
    }
  };
  walk(tree, "");
  return rank;
}

export class TableScores {
  /** `table` from compileTable; `boosts`: {field: boost} (MiniSearch's `boost` search option). */
  constructor(table, boosts) {
    Object.assign(this, table);
    this.boosts = boosts;
    this.count = this.starts.length - 1;
    this.column = Object.fromEntries(this.fields.map((field, i) => [field, i]));
    // Where each word length begins in byLength.
    const longest = this.count ? this.lengthOf(this.byLength[this.count - 1]) : 0;
    this.lengthStarts = new Int32Array(longest + 2).fill(this.count);
    for (let i = this.count - 1; i >= 0; i -= 1) this.lengthStarts[this.lengthOf(this.byLength[i])] = i;
    for (let length = longest; length >= 0; length -= 1) {
      this.lengthStarts[length] = Math.min(this.lengthStarts[length], this.lengthStarts[length + 1]);
    }
  }

  lengthOf(word) {
    return this.starts[word + 1] - this.starts[word];
  }

  wordAt(word) {
    return this.text.slice(this.starts[word], this.starts[word + 1]);
  }

  /** The same as WordScores.score (text-scores.js): scores by record id, 0 for no match. */
  score(term, { prefix = false, fuzzy = 0, fields = Object.keys(this.boosts) } = {}) {
    const into = new Float64Array(this.size);
    const starting = prefix || fuzzy ? this.wordsStartingWith(term) : [];
    const exact = this.exactWord(term, prefix || fuzzy ? starting : null);
    if (exact >= 0) this.add(into, exact, 1, fields);
    const typos = fuzzy ? this.wordsOneEditFrom(term) : null;
    if (prefix) {
      for (const word of starting) {
        const length = this.lengthOf(word);
        const distance = length - term.length;
        if (!distance) continue; // the exact match, scored above
        if (typos) typos.delete(word); // a prefix match counts as one, never as a typo
        this.add(into, word, (WEIGHTS.prefix * length) / (length + 0.3 * distance), fields);
      }
    }
    if (typos) {
      for (const word of typos) {
        const length = this.lengthOf(word);
        this.add(into, word, (WEIGHTS.fuzzy * length) / (length + 1), fields);
      }
    }
    return into;
  }

  add(into, word, weight, fields) {
    const width = this.fields.length;
    for (const field of fields) {
      const column = this.column[field];
      if (column === undefined) continue;
      const factor = weight * this.boosts[field];
      const end = this.offsets[word * width + column + 1];
      for (let i = this.offsets[word * width + column]; i < end; i += 1) into[this.ids[i]] += factor * this.raw[i];
    }
  }

  /** The word equal to `term`, or -1 (from the words starting with it, when already found). */
  exactWord(term, starting) {
    if (starting) return starting.find((word) => this.lengthOf(word) === term.length) ?? -1;
    const first = this.firstNotBefore(term);
    return first < this.count && this.wordAt(this.order[first]) === term ? this.order[first] : -1;
  }

  /** Position in `order` of the first word not sorting before `term`. */
  firstNotBefore(term) {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.wordAt(this.order[middle]) < term) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Every word starting with `term` (itself included), in the index's order. */
  wordsStartingWith(term) {
    const found = [];
    for (let i = this.firstNotBefore(term); i < this.count; i += 1) {
      const word = this.order[i];
      if (this.lengthOf(word) < term.length || !this.text.startsWith(term, this.starts[word])) break;
      found.push(word);
    }
    return found.sort((a, b) => a - b);
  }

  /** The words exactly one edit (insert, delete or change a letter) from `term`, in the order
   * MiniSearch's fuzzy search finds them (fuzzyOrder): its matches at distance 1. */
  wordsOneEditFrom(term) {
    const found = [];
    const startOf = (length) => this.lengthStarts[Math.min(Math.max(length, 0), this.lengthStarts.length - 1)];
    const from = startOf(term.length - 1);
    const to = startOf(term.length + 2);
    for (let i = from; i < to; i += 1) {
      const word = this.byLength[i];
      if (this.oneEditApart(term, word)) found.push(word);
    }
    return new Set(found.sort((a, b) => this.typoRank[a] - this.typoRank[b]));
  }

  /** Whether `term` and the word at `word` are exactly one edit apart. */
  oneEditApart(term, word) {
    const text = this.text;
    const start = this.starts[word];
    const length = this.lengthOf(word);
    if (Math.abs(length - term.length) > 1) return false;
    let head = 0; // letters alike from the start
    while (head < term.length && head < length && term.charCodeAt(head) === text.charCodeAt(start + head)) head += 1;
    if (head === term.length && head === length) return false; // the same word
    let tail = 0; // letters alike from the end, not overlapping the start
    while (
      tail < term.length - head &&
      tail < length - head &&
      term.charCodeAt(term.length - 1 - tail) === text.charCodeAt(start + length - 1 - tail)
    ) {
      tail += 1;
    }
    return term.length - head - tail <= 1 && length - head - tail <= 1;
  }
}
