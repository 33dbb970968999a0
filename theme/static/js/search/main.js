// The search page: loads the build-time index, then keeps the results, filter counts, map and
// address bar in step with the form. Without JavaScript the same form and the browse links work.

import { loadDetails } from "./details.js";
import { filterAndCount } from "./filters.js";
import { nearestLocation, withinMiles } from "./geo.js";
import { londonNow } from "./hours.js";
import { createResultsMap } from "./map.js";
import { currentPosition, resolveNear } from "./near.js";
import { buildHandout } from "./print.js";
import { decodeIndex } from "./records.js";
import { arrange, contactLine, renderCounts, renderList, statusText } from "./results.js";
import { activeFilterCount, addressOf, applyStateToForm, saveState, stateFromForm, stateFromParams } from "./state.js";
import { queryTerms, splitQuery } from "./text.js";
import { TextSearch } from "./text-search.js";

const PAGE_SIZE = 25; // enough to choose from; fewer cards to draw on every keystroke
const DETAILS_DELAY_MS = 300; // fetch phone numbers etc. for the shown results once typing pauses
// The address bar follows typing once it pauses: each change to it has the browser record the
// page in its history and fetch the page's icon again, work that would otherwise slow every key.
const ADDRESS_DELAY_MS = 300;

const page = document.getElementById("search-page");
const config = JSON.parse(document.getElementById("search-config").textContent);
const form = document.getElementById("search-form");
const ui = {
  status: document.getElementById("search-status"),
  list: document.getElementById("search-list"),
  tools: document.getElementById("search-tools"),
  share: document.getElementById("search-share"),
  print: document.getElementById("search-print"),
  moreWrap: document.getElementById("search-more-wrap"),
  more: document.getElementById("search-more"),
  furtherWrap: document.getElementById("search-further-wrap"),
  further: document.getElementById("search-further"),
  filtersToggle: document.getElementById("search-filters-toggle"),
  filterPanel: document.getElementById("search-filter-panel"),
  locate: document.getElementById("search-locate"),
  nearInput: document.getElementById("search-near"),
  nearMessage: document.getElementById("search-near-message"),
  map: document.getElementById("search-map"),
  handout: document.getElementById("print-handout"),
};
const siteRoot = page.dataset.siteRoot;
const detailsUrl = new URL(config.detailsUrl, new URL(siteRoot, window.location.href));

let records = [];
let vocabularies = null;
let totals = null; // how many records carry each filter value (the index's `totals`)
let distancesSet = false; // whether a search near a place has put distances on records
let shardSize = 100;
let detailsTimer = null;
let state = null;
let near = null; // the resolved place: {lat, lon, districts, label}
let nearLookups = 0;
let limit = PAGE_SIZE;
let map = null;
let shownRecords = [];
let shownGroups = []; // the groups on screen, each cut to what is shown: what the handout prints
let drawnMinute = null; // the UK minute "open now" was last worked out for
let orderedRecords = []; // every result, in order: what the map shows
let steps = {}; // where the last search's time went (ms): match, filter, arrange, list, rest
let furtherStep = null; // the next distance that would show more results, or null
let focusSummaryNext = false; // after a search the visitor asked for, focus lands on the summary
let typedState = null; // a state typed into the form, on its way to the address bar
// What the page shows with no words typed, kept: the first letter of a word (too short to narrow
// by) and clearing the box show exactly it again, so neither filters every listing anew.
let wordless = null; // {key, near, outcome}
let addressTimer = null;

const indexUrl = new URL(page.dataset.indexUrl, window.location.href).href; // absolute: the worker fetches it too

// Text matching: word starts at once; the full index is built in a worker once the first results are drawn.
const textSearch = new TextSearch({
  workerUrl: page.dataset.textWorkerUrl,
  indexUrl,
  minisearchUrl: new URL(page.dataset.minisearchUrl, window.location.href).href, // the worker's base URL differs
  textUrl: new URL(config.textUrl, new URL(siteRoot, window.location.href)).href,
  labels: config.searchLabels,
  onFullIndex: () => {
    performance.mark("search-text-indexed");
    page.dataset.textIndex = "full";
    if (state && textTerms(state.q)) render(); // a query typed meanwhile may now find typos too
    whenIdle(warmUp);
  },
});

/** The index, parsed. `response.json()` rather than `text()` then `JSON.parse`: at 10,000
 * listings the page was ready ~55 ms sooner in an A/B (docs/benchmarks.md). The text worker
 * fetches the index for itself (from the HTTP cache) rather than being sent the text. */
async function loadIndex() {
  const response = await fetch(indexUrl, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`the search index answered HTTP ${response.status}`);
  return response.json();
}

function whenIdle(work) {
  if ("requestIdleCallback" in window) requestIdleCallback(work, { timeout: 2000 });
  else setTimeout(work, 0);
}

/** Run a keystroke's search once while the page is idle, drawing nothing: otherwise the first
 * letter a visitor types is also the first run of the full index's matching, the filters over
 * thousands of matches and the ranking, in code the browser has not optimised yet (at 10,000
 * listings the first keystroke took 50–64 ms, the ones after it ~20: docs/benchmarks.md). */
function warmUp() {
  if (!records.length || !state) return;
  const hits = textSearch.search(queryTerms("re"));
  const scoreOf = new Float64Array(records.length);
  hits.ids.forEach((id, i) => (scoreOf[id] = hits.scores[i]));
  const candidates = Array.from(hits.ids, (id) => records[id]);
  const { results } = filterAndCount(candidates, { lists: {}, flags: {} }, config, vocabularies, londonNow());
  arrange(results, null, scoreOf, state.within, PAGE_SIZE);
}

/** The words to match, or null when the box holds no text query (a postcode in it means "near"). */
function textTerms(q) {
  const { words } = splitQuery(q);
  // One letter matches nearly every listing: wait for the second before narrowing by words.
  if (!words || words.length < 2) return null;
  const terms = queryTerms(words);
  return terms.length ? terms : null;
}

/** Everything to draw for the current state, worked out at once: text matching too, so a
 * keystroke's results are drawn in the same frame as the letter typed. */
function search() {
  const terms = textTerms(state.q);
  let candidates = records;
  let scoreOf = null;
  let lap = performance.now();
  const took = () => {
    const now = performance.now();
    const ms = now - lap;
    lap = now;
    return ms;
  };
  steps = { match: 0 };
  const now = londonNow();
  const key = terms ? null : JSON.stringify([state.lists, state.flags, state.within, limit, now]);
  if (wordless && key === wordless.key && near === wordless.near) {
    Object.assign(steps, { filter: 0, arrange: 0 });
    return wordless.outcome;
  }
  if (terms) {
    const hits = textSearch.search(terms);
    steps.match = took();
    candidates = Array.from(hits.ids, (id) => records[id]);
    scoreOf = new Float64Array(records.length);
    hits.ids.forEach((id, i) => (scoreOf[id] = hits.scores[i]));
  }
  let beyond = [];
  if (near) {
    // Near a place: what is within reach, services open to the place's council area however far
    // their premises are (a Kirklees service 15 miles from Batley still takes Batley's people),
    // and national and online services; the rest is counted, one "further away" step at a time.
    const reach = withinMiles(state.within);
    const inside = [];
    distancesSet = true;
    for (const record of candidates) {
      record.distance = record.national ? null : nearestLocation(record, near);
      // A local service with no venue (a phone line for one council) is for its areas only: it
      // shows through them, at any distance, and is never "further away" from anywhere else.
      const venueless = !record.national && !record.locations.length;
      const close = record.national || (record.distance ? record.distance.miles <= reach : reach === Infinity && !venueless);
      record.areaOnly = !close && servesArea(record);
      if (close || record.areaOnly) inside.push(record);
      else if (!venueless) beyond.push(record);
    }
    candidates = inside;
  }
  const everything = candidates === records ? totals : null; // the index's counts hold for every record
  const { results, counts, openNow } = filterAndCount(candidates, state, config, vocabularies, now, everything);
  if (!near && distancesSet) {
    for (const record of records) record.distance = null; // no place now: cards show no distance
    distancesSet = false;
  }
  if (beyond.length) beyond = filterAndCount(beyond, state, config, vocabularies, now).results;
  steps.filter = took();
  const groups = arrange(results, near, scoreOf, state.within, limit);
  steps.arrange = took();
  const outcome = {
    groups,
    counts,
    openNow,
    total: results.length,
    national: near ? results.filter((record) => record.national).length : 0,
    serving: near ? results.filter((record) => !record.national && record.areaOnly && record.locations.length).length : 0,
    remote: near ? results.filter((record) => !record.national && record.areaOnly && !record.locations.length).length : 0,
    beyond,
  };
  if (key) wordless = { key, near, outcome };
  return outcome;
}

function servesArea(record) {
  return Boolean(near) && near.districts.some((district) => record.areasFolded.has(district.toLocaleLowerCase("en-GB")));
}

/** The nearest distance choice beyond the current one that would show more: {within, count}. */
function nextStep(beyond) {
  if (!beyond.length) return null;
  const choices = config.nearDistances.slice(config.nearDistances.indexOf(state.within) + 1);
  for (const within of choices) {
    const limit = withinMiles(within);
    const count = beyond.filter((record) => (record.distance ? record.distance.miles <= limit : limit === Infinity)).length;
    if (count) return { within, count };
  }
  return null;
}

function showFurtherButton(step) {
  furtherStep = step;
  ui.furtherWrap.hidden = !step;
  if (!step) return;
  const more = step.count === 1 ? "1 more service" : `${step.count} more services`;
  ui.further.textContent =
    step.within === "any" ? `Show ${more} further away` : `Show ${more} up to ${step.within} miles away`;
}

function showActiveFilters() {
  const count = activeFilterCount(state, config);
  ui.filtersToggle.textContent = count ? `Filters (${count} on)` : "Filters";
}

function render() {
  const started = performance.now();
  if (map) map.hold(); // the map catches up once typing pauses; until then it keeps out of the way
  const outcome = search();
  const context = { siteRoot, openNow: outcome.openNow, servesArea };
  let lap = performance.now();
  const { shown, drawn } = renderList(ui.list, outcome.groups, context, limit);
  steps.list = performance.now() - lap;
  lap = performance.now();
  const ordered = outcome.groups.flatMap((group) => group.items);
  orderedRecords = ordered;
  shownRecords = ordered.slice(0, shown);
  shownGroups = drawn;
  drawnMinute = minuteOf(londonNow());
  renderCounts(form, outcome.counts);
  const { postcode } = splitQuery(state.q);
  const text = statusText({
    total: outcome.total,
    shown,
    q: textTerms(state.q) ? splitQuery(state.q).words : "",
    near,
    within: state.within,
    national: outcome.national,
    serving: outcome.serving,
    remote: outcome.remote,
    further: outcome.beyond.length,
    filterCount: activeFilterCount(state, config),
    ignoredPostcode: postcode && postcode !== (near && near.typed) ? postcode : "",
  });
  if (ui.status.textContent !== text) ui.status.textContent = text;
  ui.tools.hidden = outcome.total === 0;
  ui.moreWrap.hidden = shown >= outcome.total;
  showFurtherButton(nextStep(outcome.beyond));
  showActiveFilters();
  if (map) map.update(ordered, near);
  clearTimeout(detailsTimer);
  detailsTimer = setTimeout(fillContacts, DETAILS_DELAY_MS);
  if (focusSummaryNext) {
    focusSummaryNext = false;
    ui.status.focus();
  }
  const ms = performance.now() - started;
  steps.rest = performance.now() - lap;
  const detail = { total: outcome.total, shown, ms, steps, textIndex: textSearch.full ? "full" : "quick", records: shownRecords };
  page.dispatchEvent(new CustomEvent("search:rendered", { detail }));
}

/** Add each shown card's phone number once its details shard has arrived. */
async function fillContacts() {
  const shown = shownRecords;
  try {
    await loadDetails(shown, detailsUrl, shardSize);
  } catch {
    return; // cards still link to each listing's page, which has every contact detail
  }
  for (const record of shown) {
    const slot = ui.list.querySelector(`.result[data-slug="${CSS.escape(record.slug)}"] .result__contact`);
    if (slot && !slot.firstChild) {
      const line = contactLine(record);
      if (line) slot.append(line);
    }
  }
}

function sayNear(message, isError) {
  ui.nearMessage.textContent = message;
  ui.nearMessage.classList.toggle("is-error", isError);
  if (isError) ui.nearInput.setAttribute("aria-invalid", "true");
  else ui.nearInput.removeAttribute("aria-invalid");
}

/** Look up state.near; false if a newer lookup started meanwhile (its answer wins). */
async function updateNear() {
  const lookup = ++nearLookups;
  if (!state.near) {
    near = null;
    sayNear("", false);
    return true;
  }
  const answer = await resolveNear(state.near, new URL(config.postcodeLookupUrl, new URL(siteRoot, window.location.href)));
  if (lookup !== nearLookups) return false;
  if (answer && answer.ok) {
    near = answer;
    const district = answer.districts.length ? ` (${answer.districts.join(", ")})` : "";
    sayNear(`Sorted by distance from ${answer.label}${district}. ${answer.note}`.trim(), false);
  } else {
    near = null;
    sayNear(answer ? answer.message : "", Boolean(answer));
  }
  return true;
}

/** The text box takes postcodes too ("Halifax HX1 1RE", or the home page's "LS2"): on a
 * search, the postcode moves to the "near" box, replacing one already there (the summary says
 * "Press Enter to search near …": a GP moves on to the next patient's postcode), and the words stay. */
function movePostcodeQuery() {
  const { words, postcode } = splitQuery(form.elements.q.value);
  if (postcode) {
    form.elements.near.value = postcode;
    form.elements.q.value = words;
  }
}

/** Put typed changes in the address bar now, if they are still waiting. */
function settleAddress() {
  clearTimeout(addressTimer);
  if (typedState) saveState(typedState, config, "replace");
  typedState = null;
}

/** Record the state: "push" makes a back-button step at once, "replace" (typing) once typing
 * pauses, or before the next step. */
function saveAddress(mode) {
  if (mode === "replace") {
    typedState = state;
    clearTimeout(addressTimer);
    addressTimer = setTimeout(settleAddress, ADDRESS_DELAY_MS);
  } else {
    settleAddress();
    saveState(state, config, "push");
  }
}

async function refresh(mode) {
  limit = PAGE_SIZE;
  saveAddress(mode);
  ui.share.href = addressOf(state, config);
  await render();
}

async function commitNear(mode) {
  state = stateFromForm(form, config);
  if (await updateNear()) await refresh(mode);
}

function wireEvents() {
  form.addEventListener("input", (event) => {
    if (event.target === form.elements.q) {
      state = stateFromForm(form, config);
      refresh("replace");
    } else if (event.target === ui.nearInput && !ui.nearInput.value.trim()) {
      commitNear("replace");
    }
  });
  form.addEventListener("change", (event) => {
    if (event.target.type === "checkbox") {
      state = stateFromForm(form, config);
      refresh("push");
    } else if (event.target === ui.nearInput) {
      commitNear("push");
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    movePostcodeQuery();
    focusSummaryNext = true; // a search asked for: take the visitor to what it found
    commitNear("push");
  });
  form.elements.within.addEventListener("change", () => commitNear("push"));
  ui.further.addEventListener("click", () => {
    if (!furtherStep) return;
    form.elements.within.value = furtherStep.within;
    focusSummaryNext = true;
    commitNear("push");
  });
  ui.filtersToggle.addEventListener("click", () => {
    const open = ui.filtersToggle.getAttribute("aria-expanded") !== "true";
    ui.filtersToggle.setAttribute("aria-expanded", String(open));
    ui.filterPanel.classList.toggle("is-open", open);
  });
  document.addEventListener("search:card-actions", () => state && render());
  window.addEventListener("popstate", async () => {
    clearTimeout(addressTimer); // the page's address is the one gone back to: nothing to record
    typedState = null;
    state = stateFromParams(new URLSearchParams(window.location.search), config);
    applyStateToForm(form, state, config);
    await updateNear();
    limit = PAGE_SIZE;
    ui.share.href = window.location.href;
    await render();
  });
  ui.more.addEventListener("click", async () => {
    const before = shownRecords.length;
    limit += PAGE_SIZE;
    await render();
    const next = ui.list.querySelectorAll(".result__title a")[before];
    if (next) next.focus();
  });
  ui.print.addEventListener("click", async () => {
    try {
      await loadDetails(shownRecords, detailsUrl, shardSize);
    } catch {
      // print what the index has: names, summaries, distances and links to each listing
    }
    prepareHandout();
    window.print();
  });
  window.addEventListener("beforeprint", prepareHandout);
  ui.locate.addEventListener("click", async () => {
    sayNear("Finding your location…", false);
    const position = await currentPosition();
    if (!position.ok) {
      sayNear(position.message, true);
      return;
    }
    ui.nearInput.value = position.text;
    commitNear("push");
  });
}

const minuteOf = (now) => now.day * 1440 + now.minutes;

/** "Open now" holds for a minute at a time: draw the results again when the UK's minute has
 * changed (a café closing at 4pm kept "Open now" on screen, and under the filter, until the next
 * search). Cards that still show the same are kept, so this costs little. */
function keepOpenNowCurrent() {
  const check = () => {
    if (state && !document.hidden && drawnMinute !== null && minuteOf(londonNow()) !== drawnMinute) render();
  };
  setInterval(check, 15_000);
  document.addEventListener("visibilitychange", check);
  window.addEventListener("pageshow", check);
}

function describeSearch() {
  const parts = [];
  if (state.q) parts.push(`Search: “${state.q}”.`);
  if (near) {
    parts.push(state.within === "any" ? `Nearest to ${near.label} first.` : `Within ${state.within} miles of ${near.label}, nearest first.`);
  }
  const ticked = [...form.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.labels[0].firstChild.textContent.trim());
  if (ticked.length) parts.push(`Filters: ${ticked.join(", ")}.`);
  return parts.join(" ");
}

function prepareHandout() {
  settleAddress(); // the handout prints the page's address
  buildHandout(ui.handout, shownGroups, { siteRoot, siteName: config.siteName, description: describeSearch() });
}

async function start() {
  const index = loadIndex();
  page.classList.add("is-enhanced"); // from here the filters fold away behind one button on phones
  ui.filtersToggle.hidden = false;
  const params = new URLSearchParams(window.location.search);
  applyStateToForm(form, stateFromParams(params, config), config);
  movePostcodeQuery();
  // Arriving with a search (from the home page's box, a shared link): focus the results summary.
  focusSummaryNext = params.has("q") || params.has("near");
  if ("geolocation" in navigator) ui.locate.hidden = false;
  const loaded = await index;
  performance.mark("search-index-loaded"); // marks let the benchmark say where the time goes
  records = decodeIndex(loaded, config.labels);
  vocabularies = loaded.vocabularies;
  totals = loaded.totals || null;
  shardSize = loaded.detailsShardSize;
  textSearch.attach(records, vocabularies);
  performance.mark("search-index-decoded");
  state = stateFromForm(form, config); // includes anything typed while the index loaded
  wireEvents();
  keepOpenNowCurrent();
  await updateNear();
  await refresh("replace");
  // Ready: results, filters, distance and open now all work, and so do text queries (on word
  // starts until the full index, with typo tolerance, takes over a moment later).
  page.dataset.searchReady = "true";
  performance.mark("search-ready");
  textSearch.load(loaded); // the full text index is built off this thread from now
  setTimeout(() => records.forEach((record) => record.masks), 0); // ready for the first filter ticked
  map = await createResultsMap(ui.map, config, siteRoot);
  if (map) map.update(orderedRecords, near);
}

start().catch((error) => {
  ui.status.textContent =
    "Search could not start, so use the lists of types and areas below: each links to every organisation it covers.";
  console.error("Search could not start:", error);
});
