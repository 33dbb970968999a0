// The results list: cards in groups (nearest first, then national and online services when a
// place is given), the status line screen readers hear, and the counts beside the filters.

import { el, listingUrl } from "./dom.js";
import { milesText } from "./geo.js";
import { monthText } from "./hours.js";

/**
 * Sort and group results. With a place: listings within reach by distance (then any without a
 * map position), then those that serve the place's council area (`areaOnly`, main.js): by phone
 * or online (no venue), then further away; then services open to anyone in the UK. `scoreOf` is
 * a Float64Array of text scores by record id (null without a text query). Only the first `limit`
 * of each group are put in order, as only they are shown; the rest follow as they came (the map
 * and the counts need them, not their order), which spares sorting thousands on every keystroke.
 */
export function arrange(results, near, scoreOf, within, limit = Infinity) {
  const byScore = scoreOf ? (a, b) => scoreOf[b.id] - scoreOf[a.id] : null;
  if (!near) return [{ title: null, items: byScore ? rankFirst(results, byScore, limit) : results }];
  const byDistance = (a, b) => a.distance.miles - b.distance.miles;
  const local = results.filter((r) => !r.national && !r.areaOnly);
  const serving = results.filter((r) => !r.national && r.areaOnly);
  const national = results.filter((r) => r.national);
  const located = rankFirst(local.filter((r) => r.distance), byDistance, limit);
  const unlocated = local.filter((r) => !r.distance);
  const title = within === "any" ? `Nearest to ${near.label}` : `Within ${within} miles of ${near.label}`;
  const areas = andList(near.districts || []);
  return [
    { title, items: [...located, ...unlocated] },
    // A local service with no venue (a Kirklees phone line) has no distance: it is for the area.
    { title: `By phone or online, for people in ${areas}`, items: serving.filter((r) => !r.locations.length) },
    {
      // a venue the map can't place (no distance) comes after those it can
      title: `Further away, open to people in ${areas}`,
      items: [
        ...rankFirst(serving.filter((r) => r.distance), byDistance, limit),
        ...serving.filter((r) => !r.distance && r.locations.length),
      ],
    },
    { title: "National, online and phone services", items: byScore ? rankFirst(national, byScore, limit) : national },
  ].filter((group) => group.items.length);
}

/**
 * `items` with the first `count` (or all) in `compare` order, exactly as a stable sort would put
 * them, and the rest after them in their own order.
 */
export function rankFirst(items, compare, count) {
  if (items.length <= 4 * count) return [...items].sort(compare);
  const best = []; // the best so far, in order; ties keep the order they came in
  for (const item of items) {
    if (best.length === count && compare(item, best[count - 1]) >= 0) continue;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compare(item, best[middle]) < 0) high = middle;
      else low = middle + 1;
    }
    best.splice(low, 0, item);
    if (best.length > count) best.pop();
  }
  const chosen = new Set(best);
  return best.concat(items.filter((item) => !chosen.has(item)));
}

// -- a hook for other modules (the shortlist): extra controls on every result card ---------------
const cardActions = [];

/**
 * Add a control to every result card: `render(record)` returns a Node (or null) placed in the
 * card's `.result__actions` slot, after its contact line. `record` is the decoded search record
 * (slug, name, summary, towns, typeLabels, distance, details once fetched, …). Registering
 * redraws the list at once (the "search:card-actions" event on document), so a module loaded
 * after the first results still reaches every card. A card on screen is kept from one search to
 * the next while it shows the same, so a control must keep its own state up to date (the
 * shortlist's buttons follow every change to the list).
 */
export function addCardAction(render) {
  cardActions.push(render);
  document.dispatchEvent(new CustomEvent("search:card-actions"));
}

function actions(record) {
  const nodes = cardActions.map((render) => render(record)).filter(Boolean);
  return nodes.length ? el("div", { className: "result__actions" }, nodes) : null;
}

/** The "at a glance" badges of a card, as [modifier, text]. */
function badgeList(record, context) {
  const items = [];
  if (record.distance) {
    const town = record.distance.location.town;
    const text = `${milesText(record.distance.miles)} away${town ? `, ${town}` : ""}`;
    items.push(["distance", text.charAt(0).toUpperCase() + text.slice(1)]);
  }
  if (context.servesArea(record)) items.push(["area", "Serves your area"]);
  if (record.temporarilyClosed) items.push(["warning", "Temporarily closed"]);
  else if (record.open247) items.push(["open", "Open 24/7"]);
  else if (context.openNow(record)) items.push(["open", "Open now"]);
  return items;
}

function badges(items) {
  if (!items.length) return null;
  return el("ul", { className: "badges", "aria-label": "At a glance" }, items.map(([kind, text]) => el("li", { className: `badge badge--${kind}` }, text)));
}

function referralText(record) {
  if (record.temporarilyClosed) return "Not taking referrals while temporarily closed.";
  const who = [];
  if (record.self) who.push("people can refer themselves");
  if (record.professional) who.push("professionals can refer");
  return who.length ? `Referral: ${who.join("; ")}.` : "";
}

/** The phone link, once the record's details have arrived (see details.js). */
export function contactLine(record) {
  const phone = record.details && record.details.phones[0];
  return phone ? el("a", { href: phone.tel }, `Phone ${phone.display}`) : null;
}

function card(record, context, headingLevel, badgeItems) {
  const where = record.towns.length ? record.towns.join(", ") : record.national ? "National" : "";
  return el(
    "li",
    { className: "result", "data-slug": record.slug },
    el(`h${headingLevel}`, { className: "result__title" }, el("a", { href: listingUrl(context.siteRoot, record) }, record.name)),
    badges(badgeItems),
    el("p", { className: "result__summary" }, record.summary),
    el("p", { className: "result__meta" }, [where, record.typeLabels.join(", ")].filter(Boolean).join(" · ")),
    el("p", { className: "result__refer" }, referralText(record)),
    el("p", { className: "result__contact" }, contactLine(record)),
    record.verified ? el("p", { className: "result__checked" }, `Details checked ${monthText(record.verified)}`) : null,
    actions(record),
  );
}

// Cards on screen are kept when the next search would draw them the same (the listing, its
// heading level, badges and the card controls): as a word is typed most of the first results
// stay, and the browser then lays out and paints only the cards that changed.
const drawnAs = new WeakMap(); // card -> what it shows

/** Make `container` show the first `limit` results in their groups; returns how many are shown and
 * the groups as drawn ({title, items}: what the printed list prints). */
export function renderList(container, groups, context, limit) {
  const grouped = groups.length > 1 || Boolean(groups.length && groups[0].title);
  const headingLevel = grouped ? 4 : 3;
  const onScreen = new Map();
  for (const node of container.querySelectorAll(".result")) if (drawnAs.has(node)) onScreen.set(drawnAs.get(node), node);
  let shown = 0;
  const wanted = [];
  for (const group of groups) {
    if (shown >= limit) break;
    const items = group.items.slice(0, limit - shown);
    shown += items.length;
    const cards = items.map((record) => {
      const badgeItems = badgeList(record, context);
      const shows = [record.id, headingLevel, cardActions.length, ...badgeItems.flat()].join("|");
      const kept = onScreen.get(shows);
      if (kept) return kept;
      const node = card(record, context, headingLevel, badgeItems);
      drawnAs.set(node, shows);
      return node;
    });
    wanted.push({ title: group.title, items, cards });
  }
  const lists = listsFor(container, wanted, grouped);
  wanted.forEach(({ cards }, i) => placeInOrder(lists[i], cards));
  return { shown, drawn: wanted.map(({ title, items }) => ({ title, items })) };
}

/** The <ol> of each group: those on screen if the groups are the same, else new ones. */
function listsFor(container, wanted, grouped) {
  const sections = [...container.children];
  const same =
    sections.length === wanted.length &&
    wanted.every(({ title }, i) =>
      grouped
        ? sections[i].matches("section.result-group") && sections[i].firstElementChild.textContent === title
        : sections[i].matches("ol.results"),
    );
  if (same) return sections.map((section) => (grouped ? section.querySelector("ol.results") : section));
  const lists = wanted.map(() => el("ol", { className: "results" }));
  container.replaceChildren(
    ...lists.map((list, i) => (grouped ? el("section", { className: "result-group" }, el("h3", {}, wanted[i].title), list) : list)),
  );
  return lists;
}

/** Make `list` hold exactly `cards`, in order, moving as few as possible. */
function placeInOrder(list, cards) {
  const keep = new Set(cards);
  const children = [...list.children];
  if (!children.some((child) => keep.has(child))) {
    list.replaceChildren(...cards); // all new: one change to the list rather than one per card
    return;
  }
  for (const child of children) if (!keep.has(child)) child.remove();
  cards.forEach((node, i) => {
    const there = list.children[i];
    if (there !== node) list.insertBefore(node, there || null);
  });
}

/** "Powys, Shropshire and Wrexham". */
export function andList(names) {
  return names.length < 3 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const organisations = (count) => (count === 0 ? "No organisations" : count === 1 ? "1 organisation" : `${count} organisations`);

/**
 * The results summary (a live region, and where focus goes after a search): what was found,
 * for what, where. Near a place: how many within the distance, those further away that serve the
 * place's council area and the national ones apart, and how many more are further away.
 */
export function statusText({ total, shown, q, near, within, national = 0, serving = 0, remote = 0, further = 0, filterCount, ignoredPostcode }) {
  const asked = [];
  if (q) asked.push(`“${q}”`);
  if (filterCount) asked.push(filterCount === 1 ? "with 1 filter" : `with ${filterCount} filters`);
  let text;
  if (near) {
    const local = total - national - serving - remote;
    const areas = andList(near.districts || []);
    const where = within === "any" ? `at any distance from ${near.label}` : `within ${within} miles of ${near.label}`;
    text = `${organisations(local)} ${where}`;
    if (asked.length) text += ` ${local === 1 ? "matches" : "match"} ${asked.join(" ")}`;
    if (remote) text += `, ${remote} by phone or online for people in ${areas}`;
    if (serving) text += `, ${serving} further away open to people in ${areas}`;
    if (national) text += `, and ${national} national, online or phone ${national === 1 ? "service" : "services"}`;
    text += ".";
    if (further) text += ` ${further} more ${further === 1 ? "is" : "are"} further away.`;
  } else {
    text = `${organisations(total)} ${asked.length ? `${total === 1 ? "matches" : "match"} ${asked.join(" ")}` : "listed"}.`;
  }
  if (shown < total) text += ` Showing the first ${shown}.`;
  if (total === 0 && !further) text += " Try fewer filters or different words, or browse every listing by type or area below.";
  if (ignoredPostcode) text += ` Press Enter to search near ${ignoredPostcode}.`;
  return text;
}

const countSpans = new WeakMap(); // form -> its count spans, found once

/** Put each filter value's count beside it: "(3)". */
export function renderCounts(form, counts) {
  if (!countSpans.has(form)) countSpans.set(form, [...form.querySelectorAll("[data-count-for]")]);
  for (const span of countSpans.get(form)) {
    const text = `(${counts[span.dataset.countFor] || 0})`;
    if (span.textContent !== text) span.textContent = text;
  }
}
