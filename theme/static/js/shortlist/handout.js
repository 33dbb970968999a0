// One service on the My list page and its printed handout, from organisations/<slug>/handout.json
// (plugins/recovery_directory/shortlist.py). Every piece of listing text goes in as text.

import { el } from "../search/dom.js";
import { andList } from "../search/results.js";

function referralLines(referral) {
  const who = [];
  if (referral.self) who.push("You can refer yourself.");
  if (referral.professional) who.push("Professionals (GPs and others) can refer.");
  if (!who.length) who.push(referral.self === false ? "A referral is needed." : "Ask the service how to refer.");
  return [who.join(" "), referral.how, referral.url ? el("a", { href: referral.url, rel: "noopener noreferrer" }, referral.url) : ""];
}

function warning(record) {
  if (record.status === "closed") return "This service has closed. It is kept on the list so you know; remove it and choose another.";
  if (record.status === "temporarily_closed") return "Temporarily closed: not taking referrals. Check with them before referring or visiting.";
  if (record.stale) return `Not verified since ${record.last_verified_text}: check with them before referring.`;
  return "";
}

/** "Thursday, 7pm to 8:30pm: Open meeting. Dial in: 0113 496 0778." (and an online session's link). */
function sessionLine(hours) {
  return [
    hours.note ? `${hours.text}: ${hours.note}` : hours.text,
    hours.join_phone ? `. Dial in: ${hours.join_phone}` : "",
    hours.join_notes ? ` (${hours.join_notes})` : "",
    hours.join_url ? `. Join: ${hours.join_url}` : "",
  ].join("");
}

function placeLines(location) {
  const lines = [location.lines.join(", ")];
  for (const hours of location.hours) lines.push(sessionLine(hours));
  if (location.directions) {
    lines.push(
      el("a", { href: location.directions, rel: "noopener noreferrer", className: "handout__directions" }, "Directions",
        el("span", { className: "visually-hidden" }, ` to ${location.lines[0] || ""}`)),
    );
  }
  return lines;
}

/** The entry for a service whose details arrived. `listingUrl` is its page's full address. */
export function handoutEntry(record, listingUrl) {
  const facts = el("dl", { className: "handout__facts" });
  const add = (term, lines) => {
    const values = lines.filter(Boolean);
    if (values.length) facts.append(el("dt", {}, term), ...values.map((line) => el("dd", {}, line)));
  };
  if (record.referral) add("How to refer", referralLines(record.referral));
  add("Phone", record.phones.map((phone) => [el("a", { href: phone.tel }, phone.display), phone.description ? ` (${phone.description})` : ""]));
  add("Email", [record.email ? el("a", { href: `mailto:${record.email}` }, record.email) : ""]);
  add("Website", [record.website ? el("a", { href: record.website, rel: "noopener noreferrer" }, record.website) : ""]);
  if (record.open_24_7 && record.status === "active") add("Opening hours", ["Open 24 hours a day, every day"]);
  record.locations.forEach((location, index) =>
    add(record.locations.length > 1 ? `Address ${index + 1}` : "Address", placeLines(location)),
  );
  add("Online or by phone", (record.online || []).map(sessionLine));
  if (!record.locations.length) {
    // A handout saved before `areas` was added says national, as it did then.
    const local = !record.national && record.areas && record.areas.length;
    add("Where", [local ? `By phone or online, for people in ${andList(record.areas)}` : "National, online or by phone"]);
  }
  add("Last verified", [record.last_verified_text]);
  add("Full details", [el("a", { href: listingUrl }, listingUrl)]);
  const caution = warning(record);
  return el(
    "li",
    { className: `handout__entry${record.status === "active" ? "" : " handout__entry--closed"}`, "data-slug": record.slug },
    el("h3", { className: "handout__name" }, el("a", { href: listingUrl }, record.name)),
    caution ? el("p", { className: "handout__warning" }, caution) : null,
    el("p", { className: "handout__summary" }, record.summary),
    el("p", { className: "handout__types" }, record.types.join(", ")),
    facts,
  );
}

/** The entry for a service the directory no longer has (a link shared before it was removed). */
export function missingEntry(slug, name) {
  return el(
    "li",
    { className: "handout__entry handout__entry--closed", "data-slug": slug },
    el("h3", { className: "handout__name" }, name || slug),
    el("p", { className: "handout__warning" }, "This service is no longer in the directory, or its details could not be loaded."),
  );
}
