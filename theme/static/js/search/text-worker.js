// A dedicated worker (same-origin module: allowed by script-src 'self') that builds the full
// text index off the page's main thread and answers queries from it. Messages from the page:
// {type: "prepare", minisearchUrl} as soon as it starts, {type: "build", json, labels, textUrls}
// once the page has drawn its first results (the worker fetches the long text itself), then
// {type: "search", seq, terms}.

import { FullTextIndex, fetchTexts, textData } from "./text-index.js";

const CHUNK_SIZE = 2000; // a worker needn't yield often: nothing else runs here
const WARM_SLICE_MS = 5; // a search waits no longer than this for the scores being worked out

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
    return;
  }
  // Searches are answered from here on; between them, the commonest words' scores are worked
  // out, so the first keystrokes that match them don't have to.
  const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
  index.records.keepCommon(WARM_SLICE_MS, pause).catch((error) => console.warn("Search scores not prepared:", error));
}

function search({ seq, terms }) {
  const { ids, scores } = index.search(terms);
  self.postMessage({ type: "results", seq, ids, scores }, [ids.buffer, scores.buffer]);
}

self.addEventListener("message", ({ data: message }) => {
  if (message.type === "prepare") library = import(message.minisearchUrl); // the UMD build sets globalThis.MiniSearch
  else if (message.type === "build") build(message);
  else if (message.type === "search") search(message);
});
