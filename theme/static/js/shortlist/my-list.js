// The My list page: the services chosen in this browser (or arriving through a shared link),
// each with remove, a clear button, a share link with its QR code, and the printable handout.

import { el } from "../search/dom.js";
import { ukDate } from "../search/hours.js";
import { handoutEntry, missingEntry } from "./handout.js";
import { sameSlugs, sharedSlugs, shareUrl } from "./list.js";
import { qrSvg } from "./qr.js";
import { kept, onListChange, readList, removeItem, writeList } from "./store.js";
import { announce, countText } from "./toggle.js";

const root = document.getElementById("my-list");
const siteRoot = new URL(root.dataset.siteRoot, window.location.href);
const pageUrl = new URL("my-list/", siteRoot).href;
const ui = {
  status: document.getElementById("my-list-status"),
  shared: document.getElementById("my-list-shared"),
  keep: document.getElementById("my-list-keep"),
  tools: document.getElementById("my-list-tools"),
  print: document.getElementById("my-list-print"),
  clear: document.getElementById("my-list-clear"),
  link: document.getElementById("my-list-link"),
  copy: document.getElementById("my-list-copy"),
  handout: document.getElementById("handout"),
  about: document.getElementById("handout-about"),
  list: document.getElementById("handout-list"),
  qr: document.getElementById("handout-qr"),
  qrCode: document.getElementById("handout-qr-code"),
};
const records = new Map(); // slug -> Promise of handout.json (null when missing)
let shared = sharedSlugs(window.location.search); // a list from a link, shown but not kept
let renders = 0;

function record(slug) {
  if (!records.has(slug)) {
    const url = new URL(`organisations/${slug}/${root.dataset.handoutFile}`, siteRoot);
    records.set(slug, fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : null)).catch(() => null));
  }
  return records.get(slug);
}

function listingUrl(slug) {
  return new URL(`organisations/${slug}/`, siteRoot).href;
}

function removeButton(slug, name) {
  const button = el("button", { type: "button", className: "button--secondary handout__remove no-print" }, "Remove",
    el("span", { className: "visually-hidden" }, ` ${name} from my list`));
  button.addEventListener("click", () => {
    const entry = button.closest("li");
    const next = entry.nextElementSibling || entry.previousElementSibling;
    removeItem(slug);
    const left = readList().length;
    announce(`Removed ${name}. ${left ? `${countText(left)} left on your list.` : "Your list is empty."}`);
    // Keep keyboard users in the list: on to the next service's name, or back to the heading.
    window.requestAnimationFrame(() => {
      const target = next && ui.list.querySelector(`li[data-slug="${CSS.escape(next.dataset.slug)}"] .handout__name a`);
      (target || document.querySelector("h1")).focus();
    });
  });
  return button;
}

async function render() {
  const render = ++renders;
  const items = shared ? shared.map((slug) => ({ slug, name: "" })) : readList();
  ui.shared.hidden = !shared;
  if (!items.length) {
    ui.status.textContent = shared
      ? "The link holds no services."
      : "Your list is empty. Use “Add to my list” in search results or on a listing’s page.";
    ui.tools.hidden = true;
    ui.handout.hidden = true;
    return;
  }
  const found = await Promise.all(items.map((item) => record(item.slug)));
  if (render !== renders) return;
  const link = shareUrl(pageUrl, items.map((item) => item.slug));
  const entries = items.map((item, index) => {
    const data = found[index];
    const entry = data ? handoutEntry(data, listingUrl(item.slug)) : missingEntry(item.slug, item.name);
    if (!shared) entry.append(removeButton(item.slug, data ? data.name : item.name || item.slug));
    return entry;
  });
  ui.list.replaceChildren(...entries);
  const whose = shared ? "This shared list has" : "Your list has";
  const lasting = shared || kept ? "" : " Your browser is not keeping data, so this list lasts only while the page is open: print it or copy its link.";
  ui.status.textContent = `${whose} ${countText(items.length)}.${lasting}`;
  ui.about.textContent = `Printed on ${ukDate()} from ${root.dataset.siteName}. To see this list online, scan the code or go to ${link}`;
  ui.link.value = link;
  ui.tools.hidden = false;
  ui.handout.hidden = false;
  if (!shared) rememberNames(items, found);
  // Resolved against this page: import() would read a relative URL from qr.js's own folder.
  const svg = await qrSvg(link, new URL(root.dataset.qrUrl, window.location.href).href);
  if (render !== renders) return;
  ui.qrCode.replaceChildren(...(svg ? [svg] : []));
  ui.qr.hidden = !svg;
}

/** Store each service's name beside its slug, so a later missing listing still has a name. */
function rememberNames(items, found) {
  if (items.some((item, index) => found[index] && !item.name)) {
    writeList(items.map((item, index) => ({ slug: item.slug, name: item.name || (found[index] && found[index].name) || "" })));
  }
}

/** A link opened in a browser with no list of its own (or the same list) becomes its list. */
function adoptSharedList() {
  if (!shared) return;
  const mine = readList().map((item) => item.slug);
  if (!mine.length || sameSlugs(mine, shared)) {
    if (shared.length) writeList(shared.map((slug) => ({ slug, name: "" })));
    shared = null;
    window.history.replaceState(null, "", pageUrl);
  }
}

function wire() {
  ui.print.addEventListener("click", () => window.print());
  ui.clear.addEventListener("click", () => {
    const count = readList().length;
    writeList([]);
    announce(`Cleared your list (${countText(count)} removed).`);
    document.querySelector("h1").focus();
  });
  ui.keep.addEventListener("click", () => {
    writeList(shared.map((slug) => ({ slug, name: "" })));
    shared = null;
    window.history.replaceState(null, "", pageUrl);
    announce("This list is now your list.");
    render();
  });
  ui.copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(ui.link.value);
      announce("Link copied.");
    } catch {
      ui.link.select(); // the visitor can copy it with their keyboard or menu
      announce("Link selected: copy it with Ctrl+C, or Command+C on a Mac.");
    }
  });
  ui.link.addEventListener("focus", () => ui.link.select());
  onListChange(() => {
    if (!shared) render();
  });
}

document.getElementById("my-list-needs-js").hidden = true;
document.querySelector("h1").setAttribute("tabindex", "-1");
adoptSharedList();
wire();
render().finally(() => {
  root.dataset.ready = "true";
});
