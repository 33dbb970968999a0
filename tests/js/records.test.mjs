// records.js, the browser's decoder of the search index, against the golden files the Python
// build encoded (tests/test_search_golden.py keeps them current): every record must decode to
// what Python's decode_index reads from the same bytes.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { decodeIndex, nameSlug } from "../../theme/static/js/search/records.js";

const golden = (name) => JSON.parse(readFileSync(new URL(`./golden/${name}`, import.meta.url), "utf8"));
const index = golden("search-index.json");
const expected = golden("search-decoded.json");
const labels = golden("search-labels.json");
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const codes = (mask, vocabulary) => vocabulary.filter((_, bit) => mask & (1 << bit));
const clock = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

test("every record decodes to what Python reads from the same index", () => {
  const records = decodeIndex(index, labels);
  assert.equal(records.length, expected.length);
  records.forEach((record, id) => {
    const want = expected[id];
    assert.equal(record.id, id);
    assert.equal(record.slug, want.slug);
    assert.equal(record.name, want.name);
    assert.equal(record.summary, want.summary);
    for (const field of index.masked) assert.deepEqual(codes(record.masks[field], index.vocabularies[field]), want[field], field);
    assert.deepEqual(codes(record.masks.cost, index.vocabularies.cost), want.cost ? [want.cost] : []);
    assert.deepEqual(record.types, want.types);
    assert.deepEqual(record.typeLabels, want.types.map((code) => labels.types[code]));
    assert.equal(record.self, want.self_referral);
    assert.equal(record.professional, want.professional_referral);
    assert.equal(record.open247, want.open_24_7);
    assert.equal(record.national, want.national);
    assert.equal(record.temporarilyClosed, want.status === "temporarily_closed");
    assert.deepEqual(record.areas, want.areas_served);
    assert.deepEqual(record.nations, want.nations);
    assert.deepEqual(record.towns, want.towns);
    assert.deepEqual(record.locations, want.locations.map(({ town, lat, lon }) => ({ town, lat, lon })));
    // "Open now" reads each place's hours as the index sends them: [days, opens, closes, …], the
    // online sessions last.
    const triples = (flat) => Array.from({ length: flat.length / 3 }, (_, i) => flat.slice(3 * i, 3 * i + 3));
    assert.deepEqual(
      record.weeklyHours.map((weekly) => triples(weekly).map(([days, opens, closes]) => [codes(days, DAYS), clock(opens), clock(closes)])),
      [...want.locations.map(({ hours }) => hours), ...(want.online_hours.length ? [want.online_hours] : [])].map((hours) =>
        hours.map(({ days, opens, closes }) => [days, opens, closes]),
      ),
    );
    const [year, month] = want.last_verified.split("-").map(Number);
    assert.deepEqual(record.verified, { year, month });
  });
});

test("the golden index covers what the decoder has to handle", () => {
  const records = decodeIndex(index, labels);
  assert.ok(records.some((record) => record.locations.some((location) => location.lat !== null)), "a located place");
  assert.ok(records.some((record) => record.locations.length === 0), "a listing without premises");
  assert.ok(records.some((record) => record.nations.length === 4), "a national service (every nation)");
  assert.ok(records.some((record) => record.weeklyHours.length > record.locations.length), "sessions held online");
  assert.ok(records.some((record) => record.nations.length === 1 && record.nations[0] !== "England"), "a service in one nation");
  assert.ok(index.records.some((row) => typeof row[index.fields.indexOf("slug")] === "number"), "a slug sent as a length");
});

test("flag bits and the coordinate scale come from the index, not from copies in JavaScript", () => {
  const { flags } = index.constants;
  const swapped = {
    ...index,
    constants: {
      flags: { ...flags, self_referral: flags.professional_referral, professional_referral: flags.self_referral },
      coordinate_scale: index.constants.coordinate_scale * 10,
    },
  };
  const records = decodeIndex(swapped, labels);
  records.forEach((record, id) => {
    assert.equal(record.self, expected[id].professional_referral);
    assert.equal(record.professional, expected[id].self_referral);
    record.locations.forEach((location, i) => {
      const want = expected[id].locations[i].lat;
      assert.equal(location.lat === null ? null : Math.round(location.lat * 10 * 1e4), want === null ? null : Math.round(want * 1e4));
    });
  });
});

test("nameSlug agrees with Python's name_slug", () => {
  for (const [name, slug] of golden("name-slugs.json")) assert.equal(nameSlug(name), slug, name);
});

test("the index's totals are the counts of every decoded record, at any time of the week", async () => {
  const { filterAndCount } = await import("../../theme/static/js/search/filters.js");
  const records = decodeIndex(index, labels);
  const config = {
    listFilters: [...index.masked, "cost"].map((field) => ({ param: field, field })),
    flagFilters: ["self", "professional", "open_now", "open_24_7"].map((param) => ({ param })),
  };
  const nothing = { lists: {}, flags: {} };
  let open = 0;
  for (let day = 0; day < 7; day += 1) {
    for (let minutes = 0; minutes < 1440; minutes += 30) {
      const now = { day, minutes };
      const counted = filterAndCount(records, nothing, config, index.vocabularies, now);
      const fromTotals = filterAndCount(records, nothing, config, index.vocabularies, now, index.totals);
      assert.deepEqual(fromTotals.counts, counted.counts, `day ${day}, minute ${minutes}`);
      assert.deepEqual(fromTotals.results, counted.results);
      open += fromTotals.counts.open_now;
    }
  }
  assert.ok(open > 0, "some listing is open at some time, so the open-now count is exercised");
  // Once anything narrows the search, the totals are not used.
  const narrowed = { lists: { types: [index.vocabularies.types[0]] }, flags: {} };
  const now = { day: 0, minutes: 720 };
  assert.deepEqual(
    filterAndCount(records, narrowed, config, index.vocabularies, now, index.totals).counts,
    filterAndCount(records, narrowed, config, index.vocabularies, now).counts,
  );
});
