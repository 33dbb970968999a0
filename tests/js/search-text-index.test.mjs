// The full text index's scoring (text-scores.js, and the flat tables the page answers from:
// text-table.js) against MiniSearch's own search(), and what the index finds (text-index.js):
// every word must match, labels stand for their listings, typo tolerance from 5 letters, short
// words match word starts only in names and summaries.
import assert from "node:assert/strict";
import { test } from "node:test";

import MiniSearch from "../../node_modules/minisearch/dist/es/index.js";
import { FullTextIndex, hitsFrom } from "../../theme/static/js/search/text-index.js";
import { WordScores } from "../../theme/static/js/search/text-scores.js";
import { compileTable, TableScores } from "../../theme/static/js/search/text-table.js";
import { normaliseTerm, queryTerms, tokenize } from "../../theme/static/js/search/text.js";

// A corpus with words in every document ("recovery"), in many (KEEP_FROM is 64) and in a few,
// and words that are a prefix or one typo away from others.
const COMMON = ["recovery", "support", "group", "meeting", "weekly"];
const SOME = ["family", "families", "familiar", "alcohol", "alcoholic", "drugs", "women", "peer", "mentor", "mentors"];
const RARE = ["smart", "start", "stars", "cafe", "leeds", "halifax", "harm", "reduction", "reductions", "probation"];

function corpus(count) {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = (words, share) => words.filter(() => random() < share);
  return Array.from({ length: count }, (_, id) => ({
    id,
    name: [...pick(SOME, 0.15), ...pick(RARE, 0.05), "recovery"].join(" "),
    summary: [...pick(COMMON, 0.5), ...pick(SOME, 0.2)].join(" "),
    text: [...COMMON, ...pick(SOME, 0.4), ...pick(RARE, 0.1), ...pick(SOME, 0.3)].join(" "),
  }));
}

const FIELDS = ["name", "summary", "text"];
const BOOST = { name: 4, summary: 2, text: 1 };

function miniSearch(documents) {
  const index = new MiniSearch({ fields: FIELDS, processTerm: normaliseTerm, tokenize });
  index.addAll(documents);
  return index;
}

function miniSearchScores(index, term, options) {
  return new Map(index.search(term, { boost: BOOST, ...options }).map((hit) => [hit.id, hit.score]));
}

function denseToMap(scores) {
  const { ids, scores: values } = hitsFrom(scores);
  return new Map(Array.from(ids, (id, i) => [id, values[i]]));
}

/** The flat table of an index, passed through structuredClone as postMessage would pass it. */
function tableScores(index) {
  const { table, transfer } = compileTable(index, FIELDS);
  return new TableScores(structuredClone(table, { transfer }), BOOST);
}

const CASES = [
  ["recovery", {}, {}],
  ["fam", { prefix: true }, { prefix: true }],
  ["mentor", { prefix: true }, { prefix: true }],
  ["alcohl", { fuzzy: 1 }, { fuzzy: 1, maxFuzzy: 1 }],
  ["smart", { prefix: true, fuzzy: 1 }, { prefix: true, fuzzy: 1, maxFuzzy: 1 }],
  ["stars", { prefix: true, fuzzy: 1 }, { prefix: true, fuzzy: 1, maxFuzzy: 1 }],
  ["familie", { prefix: true, fuzzy: 1 }, { prefix: true, fuzzy: 1, maxFuzzy: 1 }],
  ["recoverys", { prefix: true, fuzzy: 1 }, { prefix: true, fuzzy: 1, maxFuzzy: 1 }],
  ["re", { prefix: true, fields: ["name", "summary"] }, { prefix: true, fields: ["name", "summary"] }],
  ["zzz", { prefix: true }, { prefix: true }],
  ["zzzzzzzzzzzzzzzzzzzz", { prefix: true, fuzzy: 1 }, { prefix: true, fuzzy: 1, maxFuzzy: 1 }],
];

function assertSameScores(found, expected, message) {
  assert.deepEqual([...found.keys()].sort((a, b) => a - b), [...expected.keys()].sort((a, b) => a - b), message);
  for (const [id, score] of expected) assert.equal(found.get(id), score, `${message}: document ${id}`);
}

test("word scores are MiniSearch's own, for exact, prefix, typo and field-limited searches", () => {
  const documents = corpus(400);
  const index = miniSearch(documents);
  const scores = new WordScores(index, BOOST);
  const table = tableScores(index);
  for (const [term, ours, theirs] of CASES) {
    const expected = miniSearchScores(index, term, theirs);
    for (const round of ["first", "again, from kept scores"]) {
      assertSameScores(denseToMap(scores.score(term, ours)), expected, `${term} (${round})`);
    }
    assertSameScores(denseToMap(table.score(term, ours)), expected, `${term} (table)`);
  }
  assert.ok(scores.kept.size > 0, "common words keep their scores");
});

test("the table finds what MiniSearch finds for every word of the corpus, and every one-letter slip of it", () => {
  const index = miniSearch(corpus(300));
  const table = tableScores(index);
  const words = [...new Set([...COMMON, ...SOME, ...RARE])];
  const slips = words.flatMap((word) => [
    word.slice(0, -1), // a letter short
    `${word}s`, // one more
    word.slice(1), // first letter lost
    `${word.slice(0, 2)}x${word.slice(3)}`, // a letter changed
    `${word.slice(0, 2)}${word[3]}${word[2]}${word.slice(4)}`, // two letters swapped: two edits
  ]);
  for (const term of [...words, ...slips]) {
    for (const [ours, theirs] of [
      [{ prefix: true, fuzzy: 1 }, { prefix: true, fuzzy: 1, maxFuzzy: 1 }],
      [{ fuzzy: 1 }, { fuzzy: 1, maxFuzzy: 1 }],
      [{ prefix: true }, { prefix: true }],
      [{}, {}],
    ]) {
      assertSameScores(denseToMap(table.score(term, ours)), miniSearchScores(index, term, theirs), `${term} ${JSON.stringify(ours)}`);
    }
  }
});

test("kept scores stay within their limit, dropping the least recently used", () => {
  const index = miniSearch(corpus(400));
  const scores = new WordScores(index, BOOST, 1000);
  scores.score("recovery");
  scores.score("support");
  scores.score("group");
  assert.ok(scores.keptCount <= 1000);
  assert.ok(![...scores.kept.keys()].some((key) => key.endsWith(" recovery")), "the oldest went first");
  assert.deepEqual(denseToMap(scores.score("meeting")), denseToMap(new WordScores(index, BOOST).score("meeting")));
});

/** A small text index: three listings and a vocabulary of towns and types; `how` is "built" (as
 * when the page builds it itself) or "handed over" (compiled in the worker, sent to the page). */
async function smallIndex(how) {
  const data = {
    count: 3,
    fields: {
      name: ["Calder Recovery Cafe", "Leeds Women's Group", "Harbour Housing"],
      summary: ["A cafe run by people in recovery.", "Peer support for women.", "Supported housing."],
      text: ["Meets for breakfast. SMART Recovery on Tuesdays.", "Refer through probation or yourself.", "Aftercare and family support."],
    },
    vocabularies: {
      towns: { labels: ["Halifax", "Leeds"], members: [[0, 2], [1]] },
      typeLabels: { labels: ["Recovery cafe", "Recovery housing"], members: [[0], [2]] },
    },
  };
  return indexOf(data, how);
}

/** The index of `data` as the page builds it ("built") or as the worker hands it over. */
async function indexOf(data, how) {
  if (how === "built") return FullTextIndex.build(MiniSearch, data, 10);
  const { tables, transfer } = await FullTextIndex.compile(MiniSearch, data, 10);
  return FullTextIndex.fromTables(structuredClone(tables, { transfer }));
}

const HOW = ["built", "handed over"];

const found = (index, query) => [...index.search(queryTerms(query)).ids];

for (const how of HOW) test(`every word must match, each anywhere in the listing or its labels (${how})`, async () => {
  const index = await smallIndex(how);
  assert.deepEqual(found(index, "halifax"), [0, 2]);
  assert.deepEqual(found(index, "halifax cafe"), [0]);
  assert.deepEqual(found(index, "halifax housing"), [2]);
  assert.deepEqual(found(index, "leeds probation"), [1]);
  assert.deepEqual(found(index, "halifax probation"), []);
  assert.deepEqual(found(index, "smart recovery"), [0]);
});

for (const how of HOW) test(`typos are forgiven from five letters; short words match word starts in names and summaries (${how})`, async () => {
  const index = await smallIndex(how);
  assert.deepEqual(found(index, "brekfast"), [0]);
  assert.deepEqual(found(index, "halifx"), [0, 2]);
  assert.deepEqual(found(index, "wom"), [1], "a word start in a name or summary");
  assert.deepEqual(found(index, "bre"), [], "not a word start in the long text");
  assert.deepEqual(found(index, "brea"), [0], "from four letters, word starts in the long text too");
});

for (const how of HOW) test(`a name match ranks above a match in the long text (${how})`, async () => {
  const index = await smallIndex(how);
  const { ids, scores } = index.search(queryTerms("housing"));
  assert.deepEqual([...ids], [2]);
  const family = index.search(queryTerms("support"));
  const score = new Map(Array.from(family.ids, (id, i) => [id, family.scores[i]]));
  assert.ok(score.get(1) > score.get(2), "in the summary beats in the long text");
  assert.ok(scores[0] > 0);
});

for (const how of HOW) test(`a short word that is some listing's whole word matches only whole words (${how})`, async () => {
  const data = {
    count: 3,
    fields: {
      name: ["Men's Recovery Circle", "Peer Mentoring Project", "Naloxone Point"],
      summary: ["A group for men.", "Mentoring by people in recovery.", "Naloxone kits and training."],
      text: ["", "", ""],
    },
    vocabularies: { audiences: { labels: ["Men", "Women"], members: [[0], [1]] } },
  };
  const index = await indexOf(data, how);
  assert.deepEqual(found(index, "men"), [0], "not Mentoring");
  assert.deepEqual(found(index, "ment"), [1], "four letters: word starts");
  assert.deepEqual(found(index, "nal"), [2], "no listing has the whole word: word starts");
  assert.deepEqual(found(index, "wom"), [1], "a label's start");
});
