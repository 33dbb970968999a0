// Filtering and the counts beside each filter value. Values within one group widen the search
// (any of them), groups narrow it (all of them). A value's count is how many results there
// would be with that value ticked, keeping every other group as it is (so counts never lie).
// This runs on every keystroke over every match (all 10,000 listings for a common word), so
// list filters compare bit masks, and "open now" is worked out once a minute per listing.

import { isOpenNow } from "./hours.js";

/** Whether `record` is open at `now`; remembered on the record for as long as `now` lasts. */
function openAt(record, now, minute) {
  if (record.openMinute !== minute) {
    record.openMinute = minute;
    record.isOpen = isOpenNow(record, now);
  }
  return record.isOpen;
}

const FLAG_TESTS = {
  self: (record) => record.self,
  professional: (record) => record.professional,
  open_now: (record, now, minute) => openAt(record, now, minute),
  open_24_7: (record) => record.open247,
};

// The index's name for each flag filter its totals count ("open now" changes by the minute).
const TOTAL_FLAGS = { self: "self_referral", professional: "professional_referral", open_24_7: "open_24_7" };

/**
 * The candidates that pass every filter, and counts: {"type=lero": 3, "self": 5, …}.
 * `now` is the UK day and time, computed once per search so every card agrees. `totals` (the
 * index's own counts, exports/search_index.py) may be given only when `candidates` is every record.
 */
export function filterAndCount(candidates, state, config, vocabularies, now, totals = null) {
  const minute = now.day * 1440 + now.minutes;
  const lists = config.listFilters.map(({ param, field }) => ({ param, field, counts: new Array(vocabularies[field].length).fill(0) }));
  const flags = config.flagFilters.map(({ param }) => ({ param, test: FLAG_TESTS[param], count: 0 }));

  // The groups the visitor narrowed by, each a test; `key` says which counts it holds back.
  const groups = [];
  for (const { param, field } of config.listFilters) {
    const codes = state.lists[param] || [];
    const wanted = codes.reduce((mask, code) => {
      const bit = vocabularies[field].indexOf(code);
      return bit < 0 ? mask : mask | (1 << bit);
    }, 0);
    if (codes.length) groups.push({ key: param, test: (record) => (record.masks[field] & wanted) !== 0 });
  }
  for (const { param, test } of flags) {
    if (state.flags[param]) groups.push({ key: param, test: (record) => test(record, now, minute) });
  }

  if (totals && !groups.length && config.flagFilters.every(({ param }) => param === "open_now" || param in TOTAL_FLAGS)) {
    return everyRecord(candidates, config, vocabularies, totals, (record) => openAt(record, now, minute));
  }

  /** Count `record` under every value (or, with `only`, under that one group's values). */
  const countInto = (record, only) => {
    for (const list of lists) {
      if (only !== null && only !== list.param) continue;
      const counts = list.counts;
      for (let mask = record.masks[list.field]; mask; mask &= mask - 1) counts[31 - Math.clz32(mask & -mask)] += 1;
    }
    for (const flag of flags) {
      if (only !== null && only !== flag.param) continue;
      if (flag.test(record, now, minute)) flag.count += 1;
    }
  };

  const results = [];
  for (const record of candidates) {
    let failed = null;
    let failures = 0;
    for (const group of groups) {
      if (!group.test(record)) {
        failures += 1;
        failed = group.key;
        if (failures > 1) break;
      }
    }
    if (failures === 0) {
      results.push(record);
      countInto(record, null);
    } else if (failures === 1) {
      countInto(record, failed); // it would be a result if this one group allowed it
    }
  }

  const counts = {};
  for (const { param, count } of flags) counts[param] = count;
  for (const { param, field, counts: byBit } of lists) {
    vocabularies[field].forEach((code, bit) => {
      counts[`${param}=${code}`] = byBit[bit];
    });
  }
  return { results, counts, openNow: (record) => openAt(record, now, minute) };
}

/** Nothing narrows the search: every record is a result and the counts are the index's totals,
 * all but "open now", counted here. The page's first results come sooner for not counting every
 * value of 10,000 records in code the browser has not yet optimised. */
function everyRecord(records, config, vocabularies, totals, openNow) {
  const counts = {};
  for (const { param } of config.flagFilters) {
    if (param !== "open_now") {
      counts[param] = totals.flags[TOTAL_FLAGS[param]];
      continue;
    }
    let open = 0;
    for (const record of records) if (openNow(record)) open += 1;
    counts[param] = open;
  }
  for (const { param, field } of config.listFilters) {
    vocabularies[field].forEach((code, bit) => {
      counts[`${param}=${code}`] = totals[field][bit];
    });
  }
  return { results: records.slice(), counts, openNow };
}
