// The shortlist kept in this browser only (localStorage): never sent anywhere, no cookie. Pages
// in other tabs hear of changes through the `storage` event; this tab through "shortlist:change".
// Where storage is blocked (some private modes) the list lives in memory for this page only.

import { cleanItems, MAX_ITEMS } from "./list.js";

const KEY = "recovery-directory:my-list";
const CHANGE = "shortlist:change";
let memory = null; // the fallback when localStorage can't be used

function openStorage() {
  try {
    const test = `${KEY}:test`;
    window.localStorage.setItem(test, "1");
    window.localStorage.removeItem(test);
    return window.localStorage;
  } catch {
    return null;
  }
}

const store = openStorage();
let lastRaw = null; // readList runs for every button on a page of results: parse once per change
let lastItems = [];

/** Whether the list will still be here after a reload. */
export const kept = store !== null;

/** [{slug, name}] in the order they were added. */
export function readList() {
  if (!store || memory) return memory || []; // memory once storage has failed: it holds the newest
  let raw = null;
  try {
    raw = store.getItem(KEY);
  } catch {
    return memory || [];
  }
  if (raw !== lastRaw) {
    lastRaw = raw;
    try {
      lastItems = cleanItems(JSON.parse(raw || "[]"));
    } catch {
      lastItems = []; // unreadable (edited by hand?): start again rather than fail
    }
  }
  return lastItems;
}

export function writeList(items) {
  const clean = cleanItems(items);
  try {
    if (store) store.setItem(KEY, JSON.stringify(clean));
    else memory = clean;
  } catch {
    memory = clean; // storage full or revoked: keep the list for this page at least
  }
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
