// The full text index: MiniSearch (self-hosted) with prefix and typo-tolerant matching, built in
// a worker (text-worker.js) so the first results never wait for it. Only names and summaries
// are indexed per record; towns, type labels and areas repeat across thousands of records, so
// each is indexed once in a small vocabulary index, and a match there stands for every record
// that has it. That makes the index several times quicker to build than one field per record.

import { matchAll, normaliseTerm, tokenize } from "./text.js";

const SEARCH_OPTIONS = {
  prefix: true,
  // Typo tolerance only for longer words: on short ones it matches nearly everything.
  fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
};
const NAME_BOOST = 3;
const VOCABULARY_BOOST = { towns: 2, typeLabels: 2, areas: 1.5 };

/**
 * What the text index needs, read straight from the downloaded index (the page's own records
 * come from records.js decodeIndex): names, summaries, and for each vocabulary its labels and
 * the ids of the records that have each label.
 */
export function textData(index, typeLabels) {
  const at = (field) => index.fields.indexOf(field);
  const [NAME, SUMMARY, TYPES, AREAS, LOCATIONS] = ["name", "summary", "types", "areas", "locations"].map(at);
  const typeCodes = index.vocabularies.types;
  const vocabularies = {
    towns: { labels: index.towns.map(([name]) => name), members: index.towns.map(() => []) },
    typeLabels: { labels: typeCodes.map((code) => typeLabels[code] || code), members: typeCodes.map(() => []) },
    areas: { labels: index.areas, members: index.areas.map(() => []) },
  };
  const names = new Array(index.records.length);
  const summaries = new Array(index.records.length);
  index.records.forEach((row, id) => {
    names[id] = row[NAME];
    summaries[id] = row[SUMMARY] || "";
    for (let mask = row[TYPES] || 0; mask; mask &= mask - 1) vocabularies.typeLabels.members[31 - Math.clz32(mask & -mask)].push(id);
    for (const area of row[AREAS] || []) vocabularies.areas.members[area].push(id);
    let previous = -1;
    for (const [, , town = 0] of row[LOCATIONS] || []) {
      if (town !== previous) vocabularies.towns.members[town].push(id); // a town's locations are usually adjacent
      previous = town;
    }
  });
  for (const { members } of Object.values(vocabularies)) members.forEach((ids, i) => (members[i] = [...new Set(ids)]));
  return { names, summaries, vocabularies };
}

export class FullTextIndex {
  /** Build from textData(); `chunkSize` records at a time, yielding in between. */
  static async build(MiniSearch, data, chunkSize) {
    const shared = { processTerm: normaliseTerm, tokenize, searchOptions: SEARCH_OPTIONS };
    const records = new MiniSearch({
      ...shared,
      idField: "id",
      fields: ["name", "summary"],
      // Documents are record ids: no objects to make for 10,000 records.
      extractField: (id, field) => (field === "id" ? id : field === "name" ? data.names[id] : data.summaries[id]),
      searchOptions: { ...SEARCH_OPTIONS, boost: { name: NAME_BOOST } },
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
    await records.addAllAsync(Array.from(data.names, (_, id) => id), { chunkSize });
    return new FullTextIndex(records, vocabulary, entries);
  }

  constructor(records, vocabulary, entries) {
    this.records = records;
    this.vocabulary = vocabulary;
    this.entries = entries;
  }

  /** Map of record id -> score for the records matching every term. */
  search(terms) {
    return matchAll(terms, (term) => {
      const hits = new Map();
      for (const hit of this.records.search(term)) hits.set(hit.id, hit.score);
      for (const hit of this.vocabulary.search(term)) {
        const { boost, members } = this.entries[hit.id];
        for (const id of members) hits.set(id, (hits.get(id) || 0) + boost * hit.score);
      }
      return hits;
    });
  }
}
