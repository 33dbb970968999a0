// A dedicated worker (same-origin module: allowed by script-src 'self') that builds the full
// text index off the page's main thread, then hands it to the page as flat arrays (transferred,
// not copied: text-table.js) and is done. The page sends one message once it has drawn its first
// results: {type: "build", indexUrl, labels, textUrls, minisearchUrl} (the worker fetches the
// index and the long text itself: the index is in the HTTP cache by then).

import { FullTextIndex, fetchTexts, textData } from "./text-index.js";

const CHUNK_SIZE = 2000; // a worker needn't yield often: nothing else runs here

async function fetchIndex(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`the search index answered HTTP ${response.status}`);
  return response.json();
}

async function build({ indexUrl, labels, textUrls, minisearchUrl }) {
  try {
    const index = fetchIndex(indexUrl);
    const texts = fetchTexts(textUrls);
    await import(minisearchUrl); // the UMD build sets globalThis.MiniSearch
    const data = textData(await index, labels, await texts);
    const { tables, transfer } = await FullTextIndex.compile(globalThis.MiniSearch, data, CHUNK_SIZE);
    self.postMessage({ type: "ready", tables }, transfer);
  } catch (error) {
    self.postMessage({ type: "failed", message: String(error) });
  }
}

self.addEventListener("message", ({ data: message }) => {
  if (message.type === "build") build(message);
});
