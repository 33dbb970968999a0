// The full text index: MiniSearch (self-hosted) with prefix and typo-tolerant matching, built in
// a worker (text-worker.js) so the first results never wait for it. Per record it holds the name,
// summary and the long text from text/<n>.json (description, how to refer, opening-hours notes,
// languages, addresses and postcodes). Towns, areas and the labels of types, substances,
// audiences, attendance and cost repeat across thousands of records, so each is indexed once in
// a small vocabulary index, and a match there stands for every record that has it.
// Where a word matches sets its weight: a name counts most, a description least.

import { matchAll, normaliseTerm, tokenize } from "./text.js";

const SEARCH_OPTIONS = {
  prefix: true,
  // Typo tolerance only for longer words (on short ones it matches nearly everything), and one
  // slip at most: two would make every long word match dozens of others, and cost time.
  fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
  maxFuzzy: 1,
};
// Words of up to 3 letters match the start of words in names, summaries and labels, but only
// whole words in the long text: there, the first letters of a word being typed would match
// thousands of words in thousands of listings. "aa" or "bsl" is still found anywhere.
const SHORT_PREFIX = 3;
const SHORT_FIELDS = ["name", "summary"];
// The long text (description, how to refer, opening-hours notes, languages, addresses) is one
// field: fewer fields make a common word ("recovery" is in nearly every listing) quicker to score.
export const RECORD_FIELDS = ["name", "summary", "text"];
const FIELD_BOOST = { name: 4, summary: 2, text: 1 };
// Labels stand for a field in the listing: its type or the substance it helps with weighs about
// as much as its summary.
const VOCABULARY_BOOST = { towns: 2, typeLabels: 2.5, areas: 1.5, substances: 2, audiences: 2, attendance: 1, cost: 1 };
const RECENT_TERMS = 20; // words whose hits are kept (oldest dropped first)
// Vocabularies read from the compact index's bit masks (field -> labels vocabulary).
const MASKED = { typeLabels: "types", substances: "substances", audiences: "audiences", attendance: "attendance" };

/**
 * What the text index needs, read straight from the downloaded index (the page's own records
 * come from records.js decodeIndex) and the text shards: the records' own text, and for each
 * vocabulary its labels and the ids of the records that have each label.
 * `labels` is the search config's labels ({types: {code: label}, …}); `texts` the text shards.
 */
export function textData(index, labels, texts = []) {
  const at = (field) => index.fields.indexOf(field);
  const [NAME, SUMMARY, AREAS, LOCATIONS, COST] = ["name", "summary", "areas", "locations", "cost"].map(at);
  const vocabulary = (names) => ({ labels: names, members: names.map(() => []) });
  const vocabularies = {
    towns: vocabulary(index.towns.map(([name]) => name)),
    areas: vocabulary(index.areas),
    cost: vocabulary(index.vocabularies.cost.map((code) => labels.cost[code] || code)),
  };
  const masks = Object.entries(MASKED).map(([name, field]) => {
    vocabularies[name] = vocabulary(index.vocabularies[field].map((code) => (labels[field] || {})[code] || code));
    return { position: at(field), members: vocabularies[name].members };
  });
  const count = index.records.length;
  const fields = Object.fromEntries(RECORD_FIELDS.map((field) => [field, new Array(count).fill("")]));
  const text = fields.text;
  index.records.forEach((row, id) => {
    fields.name[id] = row[NAME];
    fields.summary[id] = row[SUMMARY] || "";
    for (const { position, members } of masks) {
      for (let mask = row[position] || 0; mask; mask &= mask - 1) members[31 - Math.clz32(mask & -mask)].push(id);
    }
    if (row[COST]) vocabularies.cost.members[row[COST] - 1].push(id);
    for (const area of row[AREAS] || []) vocabularies.areas.members[area].push(id);
    let previous = -1;
    for (const [, , town = 0] of row[LOCATIONS] || []) {
      if (town !== previous) vocabularies.towns.members[town].push(id); // a town's locations are usually adjacent
      previous = town;
    }
  });
  for (const shard of texts) {
    shard.records.forEach((row, offset) => {
      text[shard.start + offset] = row.filter(Boolean).join("\n");
    });
  }
  for (const { members } of Object.values(vocabularies)) members.forEach((ids, i) => (members[i] = [...new Set(ids)]));
  return { count, fields, vocabularies };
}

export class FullTextIndex {
  /** Build from textData(); `chunkSize` records at a time, yielding in between. */
  static async build(MiniSearch, data, chunkSize) {
    const shared = { processTerm: normaliseTerm, tokenize, searchOptions: SEARCH_OPTIONS };
    const records = new MiniSearch({
      ...shared,
      idField: "id",
      fields: RECORD_FIELDS,
      // Documents are record ids: no objects to make for 10,000 records.
      extractField: (id, field) => (field === "id" ? id : data.fields[field][id]),
      searchOptions: { ...SEARCH_OPTIONS, boost: FIELD_BOOST },
    });
    const entries = Object.entries(data.vocabularies).flatMap(([field, { labels, members }]) =>
      labels.map((label, i) => ({ label, boost: VOCABULARY_BOOST[field], members: members[i] })),
    );
    const vocabulary = new MiniSearch({
      ...shared,
      idField: "id",
      fields: ["label"],
      extractField: (position, field) => (field === "id" ? position : entries[position].label),
    });
    vocabulary.addAll(entries.map((_, position) => position));
    await records.addAllAsync(Array.from({ length: data.count }, (_, id) => id), { chunkSize });
    return new FullTextIndex(records, vocabulary, entries);
  }

  constructor(records, vocabulary, entries) {
    this.records = records;
    this.vocabulary = vocabulary;
    this.entries = entries;
    // Each keystroke repeats every word before the one being typed ("family sup", "family supp"):
    // their hits are kept for a while rather than searched again.
    this.recent = new Map();
  }

  /** Map of record id -> score for the records matching every term (each term may match in a
   * different field). */
  search(terms) {
    return matchAll(terms, (term) => this.hitsFor(term));
  }

  hitsFor(term) {
    let hits = this.recent.get(term);
    if (hits) return hits;
    hits = new Map();
    if (term.length <= SHORT_PREFIX) {
      for (const hit of this.records.search(term, { prefix: false })) hits.set(hit.id, hit.score);
      for (const hit of this.records.search(term, { fields: SHORT_FIELDS })) hits.set(hit.id, Math.max(hit.score, hits.get(hit.id) || 0));
    } else {
      for (const hit of this.records.search(term)) hits.set(hit.id, hit.score);
    }
    for (const hit of this.vocabulary.search(term)) {
      const { boost, members } = this.entries[hit.id];
      for (const id of members) hits.set(id, (hits.get(id) || 0) + boost * hit.score);
    }
    if (this.recent.size >= RECENT_TERMS) this.recent.delete(this.recent.keys().next().value);
    this.recent.set(term, hits);
    return hits;
  }
}

/** The text shards' URLs for an index: text/0.json … (as many as its records need). */
export function textShardUrls(index, baseUrl) {
  const size = index.textShardSize;
  if (!size) return [];
  return Array.from({ length: Math.ceil(index.records.length / size) }, (_, n) => new URL(`${n}.json`, baseUrl).href);
}

/** Fetch every text shard; a shard that fails leaves its records to name, summary and labels. */
export async function fetchTexts(urls) {
  const shards = await Promise.all(
    urls.map((url) =>
      fetch(url, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.json();
        })
        .catch((error) => {
          console.warn(`Search text ${url} could not be read, so its listings match on names, summaries and labels only:`, error);
          return null;
        }),
    ),
  );
  return shards.filter(Boolean);
}
