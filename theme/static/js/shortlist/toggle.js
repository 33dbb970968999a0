// "Add to my list" buttons (search results, listing pages) and what they say. The visible text
// says what a press will do; the hidden end of it names the service for screen readers, and a
// polite live region confirms each change with the new count.

import { el } from "../search/dom.js";
import { MAX_ITEMS } from "./list.js";
import { addItem, hasItem, kept, onListChange, readList, removeItem } from "./store.js";

let announcer = null;

/** Say `text` through a polite live region that exists before its first message. */
export function announce(text) {
  if (!announcer) return;
  announcer.textContent = "";
  // A fresh text node after clearing, so the same words twice are announced twice.
  window.setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

export function countText(count) {
  return count === 1 ? "1 service" : `${count} services`;
}

function setLabel(button) {
  const on = hasItem(button.dataset.slug);
  button.replaceChildren(
    on ? "Remove from my list" : "Add to my list",
    el("span", { className: "visually-hidden" }, `: ${button.dataset.name}`),
  );
  button.classList.toggle("is-on-list", on);
}

/** A button that adds the listing `slug` to the shortlist, or takes it off again. */
export function shortlistButton(slug, name) {
  const button = el("button", { type: "button", className: "shortlist-toggle", "data-slug": slug, "data-name": name });
  setLabel(button);
  button.addEventListener("click", () => {
    if (hasItem(slug)) {
      removeItem(slug);
      announce(`Removed ${name} from your list. ${countText(readList().length)} on it.`);
    } else if (addItem(slug, name)) {
      const memoryOnly = kept ? "" : " Your browser is not keeping data, so the list lasts only while this page is open.";
      announce(`Added ${name} to your list. ${countText(readList().length)} on it.${memoryOnly}`);
    } else {
      announce(`Your list is full (${MAX_ITEMS} services). Remove one from My list first.`);
    }
  });
  return button;
}

/** Keep every button and "My list (n)" link on the page in step with the list. */
function refresh(items) {
  for (const button of document.querySelectorAll(".shortlist-toggle")) setLabel(button);
  for (const link of document.querySelectorAll("[data-shortlist-count]")) {
    link.textContent = items.length ? `My list (${items.length})` : "My list";
  }
  for (const bar of document.querySelectorAll("[data-shortlist-bar]")) bar.hidden = !items.length;
}

function start() {
  announcer = el("div", { className: "visually-hidden", role: "status", id: "shortlist-announcer" });
  document.body.append(announcer);
  onListChange(refresh);
  refresh(readList());
}

start();
