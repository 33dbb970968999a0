// A dedicated worker (same-origin module: allowed by script-src 'self') that builds the full
// text index off the page's main thread and answers queries from it. Messages from the page:
// {type: "prepare", minisearchUrl} as soon as it starts, {type: "build", json, labels, textUrls}
// once the page has drawn its first results (the worker fetches the long text itself), then
// {type: "search", seq, terms}.

import { FullTextIndex, fetchTexts, textData } from "./text-index.js";

const CHUNK_SIZE = 2000; // a worker needn't yield often: nothing else runs here

let index = null;
let library = null;

async function build({ json, labels, textUrls }) {
  try {
    const texts = fetchTexts(textUrls);
    await library;
    const data = textData(JSON.parse(json), labels, await texts);
    index = await FullTextIndex.build(globalThis.MiniSearch, data, CHUNK_SIZE);
    self.postMessage({ type: "ready" });
  } catch (error) {
    self.postMessage({ type: "failed", message: String(error) });
  }
}

function search({ seq, terms }) {
  const hits = index.search(terms);
  const ids = Int32Array.from(hits.keys());
  const scores = Float64Array.from(hits.values());
  self.postMessage({ type: "results", seq, ids, scores }, [ids.buffer, scores.buffer]);
}

self.addEventListener("message", ({ data: message }) => {
  if (message.type === "prepare") library = import(message.minisearchUrl); // the UMD build sets globalThis.MiniSearch
  else if (message.type === "build") build(message);
  else if (message.type === "search") search(message);
});
