// The results list: cards in groups (nearest first, then national and online services when a
// place is given), the status line screen readers hear, and the counts beside the filters.

import { el, listingUrl } from "./dom.js";
import { milesText } from "./geo.js";
import { monthText } from "./hours.js";

/**
 * Sort and group results. With a place: listings within reach by distance (then any without a
 * map position), then national, online and phone services in a group of their own.
 */
export function arrange(results, near, scores, within) {
  let byScore = null;
  if (scores) {
    // Scores by record id in a plain array: sorting thousands of results reads them often.
    const score = new Float64Array(results.reduce((most, r) => Math.max(most, r.id + 1), 0));
    for (const [id, value] of scores) if (id < score.length) score[id] = value;
    byScore = (a, b) => score[b.id] - score[a.id];
  }
  if (!near) return [{ title: null, items: byScore ? [...results].sort(byScore) : results }];
  const local = results.filter((r) => !r.national);
  const national = results.filter((r) => r.national);
  const located = local.filter((r) => r.distance).sort((a, b) => a.distance.miles - b.distance.miles);
  const unlocated = local.filter((r) => !r.distance);
  const title = within === "any" ? `Nearest to ${near.label}` : `Within ${within} miles of ${near.label}`;
  return [
    { title, items: [...located, ...unlocated] },
    { title: "National, online and phone services", items: byScore ? [...national].sort(byScore) : national },
  ].filter((group) => group.items.length);
}

// -- a hook for other modules (the shortlist): extra controls on every result card ---------------
const cardActions = [];

/**
 * Add a control to every result card: `render(record)` returns a Node (or null) placed in the
 * card's `.result__actions` slot, after its contact line. `record` is the decoded search record
 * (slug, name, summary, towns, typeLabels, distance, details once fetched, …). Registering
 * redraws the list at once (the "search:card-actions" event on document), so a module loaded
 * after the first results still reaches every card. Cards are redrawn on every search, so
 * controls should read their state (e.g. "added") from their own store each time.
 */
export function addCardAction(render) {
  cardActions.push(render);
  document.dispatchEvent(new CustomEvent("search:card-actions"));
}

function actions(record) {
  const nodes = cardActions.map((render) => render(record)).filter(Boolean);
  return nodes.length ? el("div", { className: "result__actions" }, nodes) : null;
}

function badges(record, context) {
  const items = [];
  if (record.distance) {
    const town = record.distance.location.town;
    const text = `${milesText(record.distance.miles)} away${town ? `, ${town}` : ""}`;
    items.push(el("li", { className: "badge badge--distance" }, text.charAt(0).toUpperCase() + text.slice(1)));
  }
  if (context.servesArea(record)) items.push(el("li", { className: "badge badge--area" }, "Serves your area"));
  if (record.temporarilyClosed) items.push(el("li", { className: "badge badge--warning" }, "Temporarily closed"));
  else if (record.open247) items.push(el("li", { className: "badge badge--open" }, "Open 24/7"));
  else if (context.openNow(record)) items.push(el("li", { className: "badge badge--open" }, "Open now"));
  return items.length ? el("ul", { className: "badges", "aria-label": "At a glance" }, items) : null;
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

function card(record, context, headingLevel) {
  const where = record.towns.length ? record.towns.join(", ") : record.national ? "National" : "";
  return el(
    "li",
    { className: "result", "data-slug": record.slug },
    el(`h${headingLevel}`, { className: "result__title" }, el("a", { href: listingUrl(context.siteRoot, record) }, record.name)),
    badges(record, context),
    el("p", { className: "result__summary" }, record.summary),
    el("p", { className: "result__meta" }, [where, record.typeLabels.join(", ")].filter(Boolean).join(" · ")),
    el("p", { className: "result__refer" }, referralText(record)),
    el("p", { className: "result__contact" }, contactLine(record)),
    record.verified ? el("p", { className: "result__checked" }, `Details checked ${monthText(record.verified)}`) : null,
    actions(record),
  );
}

/** Replace the list with the first `limit` results; returns how many are shown. */
export function renderList(container, groups, context, limit) {
  const fragment = document.createDocumentFragment();
  let shown = 0;
  const grouped = groups.length > 1 || groups[0].title;
  for (const group of groups) {
    if (shown >= limit) break;
    const items = group.items.slice(0, limit - shown);
    shown += items.length;
    const list = el("ol", { className: "results" }, items.map((record) => card(record, context, grouped ? 4 : 3)));
    fragment.append(grouped ? el("section", { className: "result-group" }, el("h3", {}, group.title), list) : list);
  }
  container.replaceChildren(fragment);
  return shown;
}

const organisations = (count) => (count === 0 ? "No organisations" : count === 1 ? "1 organisation" : `${count} organisations`);

/**
 * The results summary (a live region, and where focus goes after a search): what was found,
 * for what, where. Near a place: how many within the distance, the national ones apart, and how
 * many more are further away.
 */
export function statusText({ total, shown, q, near, within, national = 0, further = 0, filterCount, ignoredPostcode }) {
  const asked = [];
  if (q) asked.push(`“${q}”`);
  if (filterCount) asked.push(filterCount === 1 ? "with 1 filter" : `with ${filterCount} filters`);
  let text;
  if (near) {
    const local = total - national;
    const where = within === "any" ? `at any distance from ${near.label}` : `within ${within} miles of ${near.label}`;
    text = `${organisations(local)} ${where}`;
    if (asked.length) text += ` ${local === 1 ? "matches" : "match"} ${asked.join(" ")}`;
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

/** Put each filter value's count beside it: "(3)". */
export function renderCounts(form, counts) {
  for (const span of form.querySelectorAll("[data-count-for]")) {
    const text = `(${counts[span.dataset.countFor] || 0})`;
    if (span.textContent !== text) span.textContent = text;
  }
}
