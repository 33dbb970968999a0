// The shortlist kept in this browser only (localStorage): never sent anywhere, no cookie. Pages
// in other tabs hear of changes through the `storage` event; this tab through "shortlist:change".
// Where storage is blocked (some private modes) the list lives in memory for this page only.

import { cleanItems, MAX_ITEMS } from "./list.js";

const KEY = "recovery-directory:my-list";
const CHANGE = "shortlist:change";
let memory = null; // the fallback when localStorage can't be used

function storage() {
  try {
    const test = `${KEY}:test`;
    window.localStorage.setItem(test, "1");
    window.localStorage.removeItem(test);
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Whether the list will still be here after a reload. */
export const kept = storage() !== null;

/** [{slug, name}] in the order they were added. */
export function readList() {
  const store = storage();
  if (!store) return memory || [];
  try {
    return cleanItems(JSON.parse(store.getItem(KEY) || "[]"));
  } catch {
    return []; // unreadable (edited by hand?): start again rather than fail
  }
}

export function writeList(items) {
  const clean = cleanItems(items);
  const store = storage();
  if (store) store.setItem(KEY, JSON.stringify(clean));
  else memory = clean;
  window.dispatchEvent(new CustomEvent(CHANGE, { detail: clean }));
  return clean;
}

export function hasItem(slug) {
  return readList().some((item) => item.slug === slug);
}

/** Adds `slug` unless the list is full; returns whether it is on the list now. */
export function addItem(slug, name) {
  const items = readList();
  if (items.some((item) => item.slug === slug)) return true;
  if (items.length >= MAX_ITEMS) return false;
  writeList([...items, { slug, name }]);
  return true;
}

export function removeItem(slug) {
  writeList(readList().filter((item) => item.slug !== slug));
}

/** Call `callback(items)` whenever the list changes, in this tab or another. */
export function onListChange(callback) {
  window.addEventListener(CHANGE, () => callback(readList()));
  window.addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) callback(readList());
  });
}
