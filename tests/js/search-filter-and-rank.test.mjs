// Filter counts (filters.js) against a plain reference, and ranking only the shown results
// (results.js rankFirst, arrange) against a full stable sort.
import assert from "node:assert/strict";
import { test } from "node:test";

import { filterAndCount } from "../../theme/static/js/search/filters.js";
import { arrange, rankFirst } from "../../theme/static/js/search/results.js";

function random(seed) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

const CONFIG = {
  listFilters: [
    { param: "type", field: "types" },
    { param: "substance", field: "substances" },
  ],
  flagFilters: [{ param: "self" }, { param: "open_now" }],
};
const VOCABULARIES = { types: ["lero", "mutual_aid", "housing"], substances: ["alcohol", "drugs"] };
const MONDAY_NOON = { day: 0, minutes: 720 };

function records(count, seed = 3) {
  const next = random(seed);
  return Array.from({ length: count }, (_, id) => ({
    id,
    masks: { types: Math.floor(next() * 8), substances: Math.floor(next() * 4) },
    self: next() < 0.5,
    open247: false,
    temporarilyClosed: false,
    weeklyHours: [next() < 0.5 ? [1, 600, 780] : []], // Mondays 10:00–13:00, or never
  }));
}

/** What the counts must be: for each value, the results if it were ticked, other groups kept. */
function referenceCounts(all, state) {
  const passes = (record, except) =>
    CONFIG.listFilters.every(({ param, field }) => {
      const wanted = state.lists[param] || [];
      return param === except || !wanted.length || wanted.some((code) => record.masks[field] & (1 << VOCABULARIES[field].indexOf(code)));
    }) &&
    CONFIG.flagFilters.every(({ param }) => {
      if (param === except || !state.flags[param]) return true;
      return param === "self" ? record.self : record.weeklyHours[0].length > 0;
    });
  const counts = {};
  for (const { param } of CONFIG.flagFilters) {
    counts[param] = all.filter((r) => passes(r, param) && (param === "self" ? r.self : r.weeklyHours[0].length > 0)).length;
  }
  for (const { param, field } of CONFIG.listFilters) {
    VOCABULARIES[field].forEach((code, bit) => {
      counts[`${param}=${code}`] = all.filter((r) => passes(r, param) && r.masks[field] & (1 << bit)).length;
    });
  }
  return { results: all.filter((r) => passes(r, null)), counts };
}

test("counts say how many results each value would give, keeping the other groups", () => {
  const all = records(300);
  const states = [
    { lists: {}, flags: {} },
    { lists: { type: ["lero"] }, flags: {} },
    { lists: { type: ["lero", "housing"], substance: ["drugs"] }, flags: { self: true } },
    { lists: { substance: ["alcohol"] }, flags: { open_now: true } },
  ];
  for (const state of states) {
    const { results, counts } = filterAndCount(all, state, CONFIG, VOCABULARIES, MONDAY_NOON);
    const expected = referenceCounts(all, state);
    assert.deepEqual(results, expected.results, JSON.stringify(state));
    assert.deepEqual(counts, expected.counts, JSON.stringify(state));
  }
});

test("open now is worked out again when the minute changes", () => {
  const [record] = records(1);
  record.weeklyHours = [[1, 600, 720]];
  const state = { lists: {}, flags: { open_now: true } };
  assert.equal(filterAndCount([record], state, CONFIG, VOCABULARIES, { day: 0, minutes: 719 }).results.length, 1);
  assert.equal(filterAndCount([record], state, CONFIG, VOCABULARIES, { day: 0, minutes: 720 }).results.length, 0);
});

test("the first results are ranked exactly as a full stable sort ranks them", () => {
  const next = random(11);
  const items = Array.from({ length: 500 }, (_, id) => ({ id, score: Math.floor(next() * 40) })); // many ties
  const compare = (a, b) => b.score - a.score;
  const sorted = [...items].sort(compare);
  for (const count of [1, 25, 50, 124, 125, 600]) {
    const ranked = rankFirst(items, compare, count);
    assert.deepEqual(ranked.slice(0, count), sorted.slice(0, count), `first ${count}`);
    assert.deepEqual(new Set(ranked), new Set(items), "nothing lost or repeated");
    assert.equal(ranked.length, items.length);
  }
});

test("arrange puts the shown results in score order, and near a place by distance", () => {
  const next = random(5);
  const results = Array.from({ length: 400 }, (_, id) => ({
    id,
    national: id % 10 === 0,
    distance: id % 7 === 0 ? null : { miles: next() * 30 },
  }));
  const scoreOf = Float64Array.from(results, () => next());
  const [all] = arrange(results, null, scoreOf, "10", 25);
  const byScore = [...results].sort((a, b) => scoreOf[b.id] - scoreOf[a.id]);
  assert.deepEqual(all.items.slice(0, 25), byScore.slice(0, 25));
  assert.equal(all.items.length, 400);

  const near = { label: "HX1 1RE" };
  const [local, national] = arrange(results, near, scoreOf, "10", 25);
  const located = results.filter((r) => !r.national && r.distance).sort((a, b) => a.distance.miles - b.distance.miles);
  assert.deepEqual(local.items.slice(0, 25), located.slice(0, 25));
  assert.deepEqual(national.items.slice(0, 25), byScore.filter((r) => r.national).slice(0, 25));
  assert.equal(local.items.length + national.items.length, 400);
});

test("near a place, services further away that serve its council area come after the close ones", () => {
  const results = [
    { id: 0, national: false, distance: { miles: 3 } },
    { id: 1, national: false, distance: { miles: 22 }, areaOnly: true, locations: [{}] },
    { id: 2, national: true, distance: null },
    { id: 3, national: false, distance: { miles: 15 }, areaOnly: true, locations: [{}] },
    { id: 4, national: false, distance: { miles: 1 }, areaOnly: false },
  ];
  const groups = arrange(results, { label: "WF17 5AA", districts: ["Kirklees"] }, null, "10", 25);
  assert.deepEqual(groups.map((group) => group.title), [
    "Within 10 miles of WF17 5AA", "Further away, open to people in Kirklees", "National, online and phone services",
  ]);
  assert.deepEqual(groups.map((group) => group.items.map((r) => r.id)), [[4, 0], [3, 1], [2]]);
  const none = arrange(results.filter((r) => !r.areaOnly), { label: "WF17 5AA", districts: ["Kirklees"] }, null, "10", 25);
  assert.equal(none.length, 2, "no empty group");
});

test("near a place, a local phone line with no venue that serves its council has a group of its own", () => {
  const results = [
    { id: 0, national: false, distance: { miles: 3 } },
    { id: 1, national: false, distance: null, areaOnly: true, locations: [] },
    { id: 2, national: true, distance: null },
    { id: 3, national: false, distance: { miles: 15 }, areaOnly: true, locations: [{}] },
    // a venue the map can't place: it has no distance, but it isn't a phone line
    { id: 4, national: false, distance: null, areaOnly: true, locations: [{ lat: null }] },
  ];
  const groups = arrange(results, { label: "WF17 5AA", districts: ["Kirklees"] }, null, "10", 25);
  assert.deepEqual(groups.map((group) => group.title), [
    "Within 10 miles of WF17 5AA", "By phone or online, for people in Kirklees",
    "Further away, open to people in Kirklees", "National, online and phone services",
  ]);
  assert.deepEqual(groups.map((group) => group.items.map((r) => r.id)), [[0], [1], [3, 4], [2]]);
});

test("a link asking for a filter value that has no box (language=en) narrows nothing", async () => {
  const { stateFromParams } = await import("../../theme/static/js/search/state.js");
  const config = {
    listFilters: [{ param: "language", field: "languages", leftOut: ["en"] }, { param: "type", field: "types" }],
    flagFilters: [],
    nearDistances: ["5", "10", "any"],
    nearDefault: "10",
  };
  const state = stateFromParams(new URLSearchParams("language=en&language=cy&type=lero"), config);
  assert.deepEqual(state.lists, { language: ["cy"], type: ["lero"] });
});
