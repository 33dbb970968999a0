// Words that stand for a listing without being in its text — the nations it serves ("Wales",
// "Cymru": search.py NATION_WORDS) and how it takes referrals ("self referral") — found alike by
// the quick matcher that answers until the full index is built (text-search.js) and by the full
// index (text-index.js), on the golden index the Python build encoded (tests/test_search_golden.py).
// What each query should find comes from Python's decoded records, not from the labels.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import MiniSearch from "../../node_modules/minisearch/dist/es/index.js";
import { decodeIndex } from "../../theme/static/js/search/records.js";
import { FullTextIndex, textData } from "../../theme/static/js/search/text-index.js";
import { TextSearch } from "../../theme/static/js/search/text-search.js";
import { queryTerms } from "../../theme/static/js/search/text.js";

const golden = (name) => JSON.parse(readFileSync(new URL(`./golden/${name}`, import.meta.url), "utf8"));
const index = golden("search-index.json");
const decoded = golden("search-decoded.json");
const words = golden("search-words.json");
const texts = golden("search-text.json");

const ids = (keep) => decoded.flatMap((record, id) => (keep(record) ? [id] : []));
const serves = (nation) => (record) => record.nations.includes(nation);

// [query, what it must find]; each must find something and leave something out.
const CASES = [
  ["Wales", serves("Wales")],
  ["cymru", serves("Wales")],
  ["Scotland", serves("Scotland")],
  ["northern ireland", serves("Northern Ireland")],
  ["England", serves("England")],
  ["self referral", (record) => record.self_referral],
  ["GP referral", (record) => record.professional_referral],
];

function quickMatcher() {
  const search = new TextSearch({ labels: words, onFullIndex: () => {} });
  search.attach(decodeIndex(index, golden("search-labels.json")), index.vocabularies);
  return search;
}

async function fullIndex() {
  return FullTextIndex.build(MiniSearch, textData(index, words, texts), 10);
}

test("the golden records cover every case: each query finds some listings and not others", () => {
  for (const [query, keep] of CASES) {
    const expected = ids(keep);
    assert.ok(expected.length > 0 && expected.length < decoded.length, query);
  }
  assert.ok(decoded.some((record) => record.nations.length === 4), "a service open to every nation");
});

for (const [name, make] of [["the quick matcher", quickMatcher], ["the full index", fullIndex]]) {
  test(`${name} finds the nations and referral routes the records carry`, async () => {
    const search = await make();
    for (const [query, keep] of CASES) {
      const found = [...search.search(queryTerms(query)).ids].sort((a, b) => a - b);
      // Other words of a record may hold the query too ("England" in a summary): every record
      // carrying the label must be found, and every record found must carry it or say the words.
      const expected = ids(keep);
      for (const id of expected) assert.ok(found.includes(id), `${name}: "${query}" missed ${decoded[id].slug}`);
      const said = (id) => queryTerms(query).every((term) => JSON.stringify(decoded[id]).toLowerCase().includes(term));
      for (const id of found) assert.ok(expected.includes(id) || said(id), `${name}: "${query}" found ${decoded[id].slug}`);
    }
  });
}
