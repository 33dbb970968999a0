// Filtering and the counts beside each filter value. Values within one group widen the search
// (any of them), groups narrow it (all of them). A value's count is how many results there
// would be with that value ticked, keeping every other group as it is (so counts never lie).
// List filters compare bit masks, so 10,000 listings take a millisecond or two.

import { isOpenNow } from "./hours.js";

const FLAG_TESTS = {
  self: (record) => record.self,
  professional: (record) => record.professional,
  open_now: (record, context) => context.openNow(record),
  open_24_7: (record) => record.open247,
};

/**
 * The candidates that pass every filter, and counts: {"type=lero": 3, "self": 5, …}.
 * `now` is the UK day and time, computed once per search so every card agrees.
 */
export function filterAndCount(candidates, state, config, vocabularies, now) {
  const openCache = new Map();
  const context = {
    openNow: (record) => {
      let open = openCache.get(record.id);
      if (open === undefined) {
        open = isOpenNow(record, now);
        openCache.set(record.id, open);
      }
      return open;
    },
  };
  const groups = [];
  for (const { param, field } of config.listFilters) {
    const wanted = (state.lists[param] || []).reduce((mask, code) => {
      const bit = vocabularies[field].indexOf(code);
      return bit < 0 ? mask : mask | (1 << bit);
    }, 0);
    if ((state.lists[param] || []).length) groups.push({ key: param, test: (record) => (record.masks[field] & wanted) !== 0 });
  }
  for (const { param } of config.flagFilters) {
    if (state.flags[param]) groups.push({ key: param, test: (record) => FLAG_TESTS[param](record, context) });
  }

  const listCounts = Object.fromEntries(config.listFilters.map(({ param, field }) => [param, new Array(vocabularies[field].length).fill(0)]));
  const flagCounts = Object.fromEntries(config.flagFilters.map(({ param }) => [param, 0]));
  const countInto = (record, only) => {
    for (const { param, field } of config.listFilters) {
      if (only && only !== param) continue;
      const counts = listCounts[param];
      for (let mask = record.masks[field]; mask; mask &= mask - 1) counts[31 - Math.clz32(mask & -mask)] += 1;
    }
    for (const { param } of config.flagFilters) {
      if (only && only !== param) continue;
      if (FLAG_TESTS[param](record, context)) flagCounts[param] += 1;
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

  const counts = { ...flagCounts };
  for (const { param, field } of config.listFilters) {
    vocabularies[field].forEach((code, bit) => {
      counts[`${param}=${code}`] = listCounts[param][bit];
    });
  }
  return { results, counts, openNow: context.openNow };
}
