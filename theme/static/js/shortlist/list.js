// The shortlist as data: which slugs, and the share link that carries them. Pure functions (no
// DOM, no storage) so Node's test runner checks them (tests/js/shortlist-list.test.mjs).

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/; // listing file names (DESIGN.md)
export const MAX_ITEMS = 30; // plenty for a handout; keeps the share link a scannable QR code
export const SHARE_PARAM = "list";

/** Valid slugs from `values`, first occurrence kept, at most MAX_ITEMS. */
export function cleanSlugs(values) {
  const seen = new Set();
  for (const value of values) {
    const slug = String(value).trim().toLowerCase();
    if (SLUG.test(slug) && !seen.has(slug)) seen.add(slug);
    if (seen.size === MAX_ITEMS) break;
  }
  return [...seen];
}

/** The slugs a shared link carries (`?list=a,b`), or null when the address has no list. */
export function sharedSlugs(search) {
  const value = new URLSearchParams(search).get(SHARE_PARAM);
  return value === null ? null : cleanSlugs(value.split(","));
}

/** The link that reopens `slugs` on the My list page at `pageUrl` (slugs need no escaping). */
export function shareUrl(pageUrl, slugs) {
  const url = new URL(pageUrl);
  url.search = `?${SHARE_PARAM}=${slugs.join(",")}`;
  url.hash = "";
  return url.href;
}

/** Stored items [{slug, name}] made safe: valid slugs only, no repeats, names as text. */
export function cleanItems(items) {
  if (!Array.isArray(items)) return [];
  const names = new Map();
  for (const item of items) {
    if (item && typeof item.slug === "string" && !names.has(item.slug)) {
      names.set(item.slug, typeof item.name === "string" ? item.name : "");
    }
  }
  return cleanSlugs(names.keys()).map((slug) => ({ slug, name: names.get(slug) }));
}

export function sameSlugs(a, b) {
  return a.length === b.length && a.every((slug, index) => slug === b[index]);
}
