// Text matching for the search page. The full index (text-index.js) is built in a worker while
// the page already shows results, so the first results never wait for it; the worker then hands
// it over as flat arrays and every query is answered here, in the keystroke's own task. Until it
// is ready, a query matches the starts of words in each record (no typo tolerance); `onFullIndex`
// lets the page redraw a query typed meanwhile. If the worker can't run, the index is built here
// instead, in chunks between which the page stays responsive.

import { FullTextIndex, fetchTexts, textData, textShardUrls } from "./text-index.js";
import { fold, matchAll, tokenize } from "./text.js";

const MAIN_THREAD_CHUNK = 250; // records indexed between yields when there is no worker
const NAME_SCORE = 3;
const SHORT_WORD = 3; // text-index.js SHORT_PREFIX

export class TextSearch {
  constructor({ workerUrl, indexUrl, minisearchUrl, textUrl, labels, onFullIndex }) {
    this.workerUrl = workerUrl;
    this.indexUrl = indexUrl; // absolute, as the worker fetches it
    this.minisearchUrl = minisearchUrl;
    this.textUrl = textUrl; // absolute: the worker's base URL differs
    this.labels = labels;
    this.onFullIndex = onFullIndex;
    this.full = false; // whether queries go to the full index yet
    this.local = null; // the full index, once here
    this.worker = null;
    this.haystacks = null;
  }

  /** The decoded records: enough for matching word starts. */
  attach(records, vocabularies) {
    this.records = records;
    this.vocabularies = vocabularies;
  }

  /** Start indexing once the first results are drawn: the worker, its scripts and MiniSearch
   * would otherwise compete with them for a busy processor (on two cores, ~the page's whole
   * start). `index` is the parsed index; the worker fetches its own copy (from the HTTP cache,
   * or revalidated), which costs less than copying the page's objects to it. */
  load(index) {
    this.index = index;
    try {
      this.worker = new Worker(this.workerUrl, { type: "module" });
      this.worker.addEventListener("message", (event) => this.heard(event.data));
      this.worker.addEventListener("error", (event) => {
        event.preventDefault(); // handled: the index is built on this thread instead
        this.workerFailed();
      });
    } catch {
      this.worker = null;
    }
    if (!this.worker) {
      this.buildHere();
      return;
    }
    const textUrls = textShardUrls(index, this.textUrl);
    this.worker.postMessage({ type: "build", indexUrl: this.indexUrl, labels: this.labels, textUrls, minisearchUrl: this.minisearchUrl });
  }

  /** The records matching every one of `terms`: {ids, scores} (see text-index.js hitsFrom). */
  search(terms) {
    return this.local ? this.local.search(terms) : this.quickMatch(terms);
  }

  heard(message) {
    if (message.type === "ready") {
      this.local = FullTextIndex.fromTables(message.tables);
      this.worker.terminate(); // its work is done: the page holds the index now
      this.worker = null;
      this.becomeFull();
    } else if (message.type === "failed") {
      this.workerFailed();
    }
  }

  workerFailed() {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    if (this.index) this.buildHere();
  }

  async buildHere() {
    try {
      const texts = fetchTexts(textShardUrls(this.index, this.textUrl));
      await import(this.minisearchUrl); // the UMD build sets globalThis.MiniSearch
      const data = textData(this.index, this.labels, await texts);
      this.local = await FullTextIndex.build(globalThis.MiniSearch, data, MAIN_THREAD_CHUNK);
      this.becomeFull();
    } catch (error) {
      console.error("The full text index could not be built; matching word starts only:", error);
    }
  }

  becomeFull() {
    this.full = true;
    this.index = null; // the parsed copy was kept only in case the worker failed
    this.haystacks = null;
    this.onFullIndex();
  }

  /** The labels of a record's types, substances, audiences, attendance and cost, the words for
   * how it takes referrals and for the nations it serves. */
  labelsOf(record) {
    const found = [...record.typeLabels];
    for (const field of ["substances", "audiences", "attendance", "cost"]) {
      const codes = this.vocabularies[field];
      const names = this.labels[field] || {};
      for (let mask = record.masks[field]; mask; mask &= mask - 1) found.push(names[codes[31 - Math.clz32(mask & -mask)]] || "");
    }
    const referral = this.labels.referral || {};
    if (record.self) found.push(referral.self || "");
    if (record.professional) found.push(referral.professional || "");
    const nations = this.labels.nations || {};
    for (const nation of record.nations) found.push(nations[nation] || nation);
    return found;
  }

  /** Word-start matching over every record's words (made on first use): a few ms a query. */
  quickMatch(terms) {
    if (!this.haystacks) {
      const words = (text) => ` ${tokenize(fold(text)).join(" ")} `;
      this.haystacks = this.records.map((record) => ({
        name: words(record.name),
        rest: words([record.summary, ...record.towns, ...record.areas, ...this.labelsOf(record)].join(" ")),
      }));
    }
    const found = matchAll(terms, (term) => {
      const hitsOf = (start) => {
        const hits = new Map();
        this.haystacks.forEach(({ name, rest }, id) => {
          if (name.includes(start)) hits.set(id, NAME_SCORE);
          else if (rest.includes(start)) hits.set(id, 1);
        });
        return hits;
      };
      // A short word matches whole words when some listing has it as one ("men", not "mentoring"),
      // as the full index does (text-index.js).
      const whole = term.length <= SHORT_WORD ? hitsOf(` ${term} `) : null;
      return whole && whole.size ? whole : hitsOf(` ${term}`);
    });
    return { ids: Int32Array.from(found.keys()), scores: Float64Array.from(found.values()) };
  }
}
