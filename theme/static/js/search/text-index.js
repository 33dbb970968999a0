// The full text index: MiniSearch (self-hosted) with prefix and typo-tolerant matching, built in
// a worker (text-worker.js) so the first results never wait for it, then handed to the page as
// flat arrays (text-table.js) that answer each keystroke there. Per record it holds the name,
// summary and the long text from text/<n>.json (description, how to refer, opening-hours notes,
// languages, addresses and postcodes). Towns, areas, the nations served and the labels of types,
// substances, audiences, attendance and cost repeat across thousands of records, so each is
// indexed once in a small vocabulary index, and a match there stands for every record that has it.
// Where a word matches sets its weight: a name counts most, a description least.

import { normaliseTerm, tokenize } from "./text.js";
import { WordScores } from "./text-scores.js";
import { compileTable, TableScores } from "./text-table.js";

// Every word matches the start of longer words. Typo tolerance only for longer words (on short
// ones it matches nearly everything), and one slip at most: two would make every long word match
// dozens of others, and cost time.
const FUZZY_FROM = 5;
// Words of up to 3 letters match whole words wherever some listing has them as a whole word ("men"
// is an audience: not "mentoring"; "aa", "bsl" anywhere). Only a short word that is no listing's
// whole word matches the starts of words, in names, summaries and labels ("wom", typed on the way
// to "women"), never in the long text, where a word's first letters would match thousands.
const SHORT_PREFIX = 3;
const SHORT_FIELDS = ["name", "summary"];
// The long text (description, how to refer, opening-hours notes, languages, addresses) is one
// field: fewer fields make a common word ("recovery" is in nearly every listing) quicker to score.
export const RECORD_FIELDS = ["name", "summary", "text"];
const FIELD_BOOST = { name: 4, summary: 2, text: 1 };
// Labels stand for a field in the listing: its type or the substance it helps with weighs about
// as much as its summary.
const VOCABULARY_BOOST = { towns: 2, typeLabels: 2.5, areas: 1.5, nations: 1, substances: 2, audiences: 2, attendance: 1, cost: 1, referral: 1 };
// How a listing takes referrals, as words ("self referral", "GP referral": search_labels()'s
// "referral"), for the records whose flags say so.
const REFERRAL_FLAGS = { self: "self_referral", professional: "professional_referral" };
const RECENT_TERMS = 20; // words whose hits are kept (oldest dropped first)
// Vocabularies read from the compact index's bit masks (field -> labels vocabulary).
const MASKED = { typeLabels: "types", substances: "substances", audiences: "audiences", attendance: "attendance" };
// The nations a record serves (a bit mask, bit i = index.nations[i]), matched by their words in
// the search config's labels ("Wales Cymru": search.py NATION_WORDS).

/**
 * What the text index needs, read straight from the downloaded index (the page's own records
 * come from records.js decodeIndex) and the text shards: the records' own text, and for each
 * vocabulary its labels and the ids of the records that have each label.
 * `labels` is the search config's labels ({types: {code: label}, …}); `texts` the text shards.
 */
export function textData(index, labels, texts = []) {
  const at = (field) => index.fields.indexOf(field);
  const [NAME, SUMMARY, AREAS, LOCATIONS, COST, FLAGS, NATIONS] = ["name", "summary", "areas", "locations", "cost", "flags", "nations"].map(at);
  const vocabulary = (names) => ({ labels: names, members: names.map(() => []) });
  const vocabularies = {
    towns: vocabulary(index.towns.map(([name]) => name)),
    areas: vocabulary(index.areas),
    cost: vocabulary(index.vocabularies.cost.map((code) => labels.cost[code] || code)),
    nations: vocabulary((index.nations || []).map((name) => (labels.nations || {})[name] || name)),
  };
  const referrals = Object.entries(REFERRAL_FLAGS).filter(([kind]) => (labels.referral || {})[kind]);
  vocabularies.referral = vocabulary(referrals.map(([kind]) => labels.referral[kind]));
  const referralBits = referrals.map(([, flag]) => index.constants.flags[flag]);
  const masks = Object.entries(MASKED).map(([name, field]) => {
    vocabularies[name] = vocabulary(index.vocabularies[field].map((code) => (labels[field] || {})[code] || code));
    return { position: at(field), members: vocabularies[name].members };
  });
  if (NATIONS >= 0) masks.push({ position: NATIONS, members: vocabularies.nations.members });
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
    referralBits.forEach((bit, i) => (row[FLAGS] || 0) & bit && vocabularies.referral.members[i].push(id));
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

/** The records' and the vocabularies' MiniSearch indexes, and each label's records. */
async function miniSearches(MiniSearch, data, chunkSize) {
  const shared = { processTerm: normaliseTerm, tokenize };
  const records = new MiniSearch({
    ...shared,
    idField: "id",
    fields: RECORD_FIELDS,
    // Documents are record ids: no objects to make for 10,000 records.
    extractField: (id, field) => (field === "id" ? id : data.fields[field][id]),
  });
  const entries = Object.entries(data.vocabularies).flatMap(([field, { labels, members }]) =>
    labels.map((label, i) => ({ label, boost: VOCABULARY_BOOST[field], members: Int32Array.from(members[i]) })),
  );
  const vocabulary = new MiniSearch({
    ...shared,
    idField: "id",
    fields: ["label"],
    extractField: (position, field) => (field === "id" ? position : entries[position].label),
  });
  vocabulary.addAll(entries.map((_, position) => position));
  await records.addAllAsync(Array.from({ length: data.count }, (_, id) => id), { chunkSize });
  return { records, vocabulary, entries };
}

export class FullTextIndex {
  /** Build from textData(); `chunkSize` records at a time, yielding in between. */
  static async build(MiniSearch, data, chunkSize) {
    const { records, vocabulary, entries } = await miniSearches(MiniSearch, data, chunkSize);
    return new FullTextIndex(new WordScores(records, FIELD_BOOST), new WordScores(vocabulary, { label: 1 }), entries);
  }

  /** Build, then compile into flat arrays for the page (text-table.js): {tables, transfer}, where
   * `transfer` lists the buffers postMessage can hand over rather than copy. */
  static async compile(MiniSearch, data, chunkSize) {
    const built = await miniSearches(MiniSearch, data, chunkSize);
    const records = compileTable(built.records, RECORD_FIELDS);
    const vocabulary = compileTable(built.vocabulary, ["label"]);
    return {
      tables: { records: records.table, vocabulary: vocabulary.table, entries: built.entries },
      transfer: [...records.transfer, ...vocabulary.transfer, ...built.entries.map(({ members }) => members.buffer)],
    };
  }

  /** The index from compile()'s tables: answers queries as build()'s would, with the same scores. */
  static fromTables({ records, vocabulary, entries }) {
    return new FullTextIndex(new TableScores(records, FIELD_BOOST), new TableScores(vocabulary, { label: 1 }), entries);
  }

  constructor(records, vocabulary, entries) {
    this.records = records;
    this.vocabulary = vocabulary;
    this.entries = entries;
    // Each keystroke repeats every word before the one being typed ("family sup", "family supp"):
    // their hits are kept for a while rather than searched again.
    this.recent = new Map();
  }

  /** The records matching every term (each term may match in a different field): {ids, scores},
   * ids ascending; a record's score is the sum of its terms' scores. */
  search(terms) {
    let combined = null;
    for (const term of terms) {
      const scores = this.hitsFor(term);
      if (!combined) {
        combined = Float64Array.from(scores);
        continue;
      }
      for (let id = 0; id < combined.length; id += 1) {
        combined[id] = combined[id] > 0 && scores[id] > 0 ? combined[id] + scores[id] : 0;
      }
    }
    return hitsFrom(combined || new Float64Array(0));
  }

  /** One term's scores by record id (0: no match). */
  hitsFor(term) {
    let hits = this.recent.get(term);
    if (hits) return hits;
    const fuzzy = term.length >= FUZZY_FROM ? 1 : 0;
    let labels;
    if (term.length <= SHORT_PREFIX) {
      hits = this.records.score(term);
      labels = this.vocabulary.score(term);
      if (!hits.some((score) => score > 0) && !labels.some((score) => score > 0)) {
        const starts = this.records.score(term, { prefix: true, fields: SHORT_FIELDS });
        for (let id = 0; id < hits.length; id += 1) if (starts[id] > hits[id]) hits[id] = starts[id];
        labels = this.vocabulary.score(term, { prefix: true });
      }
    } else {
      hits = this.records.score(term, { prefix: true, fuzzy });
      labels = this.vocabulary.score(term, { prefix: true, fuzzy });
    }
    labels.forEach((score, position) => {
      if (!score) return;
      const { boost, members } = this.entries[position];
      for (let i = 0; i < members.length; i += 1) hits[members[i]] += boost * score;
    });
    if (this.recent.size >= RECENT_TERMS) this.recent.delete(this.recent.keys().next().value);
    this.recent.set(term, hits);
    return hits;
  }
}

/** {ids, scores} of the records with a score above 0. */
export function hitsFrom(scores) {
  let count = 0;
  for (let id = 0; id < scores.length; id += 1) if (scores[id] > 0) count += 1;
  const ids = new Int32Array(count);
  const kept = new Float64Array(count);
  let at = 0;
  for (let id = 0; id < scores.length; id += 1) {
    if (scores[id] > 0) {
      ids[at] = id;
      kept[at] = scores[id];
      at += 1;
    }
  }
  return { ids, scores: kept };
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
