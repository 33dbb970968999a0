// "Print or save this list": a clean referral handout of the results on screen, built from the
// same records. Print CSS shows only this section; the browser's print dialog also saves a PDF.

import { el, listingUrl } from "./dom.js";
import { milesText } from "./geo.js";
import { isoDateText, ukDate } from "./hours.js";
import { andList } from "./results.js";

function referral(record, details) {
  if (record.temporarilyClosed) return ["Not taking referrals while temporarily closed."];
  const who = [];
  if (record.self) who.push("You can refer yourself.");
  if (record.professional) who.push("Professionals can refer.");
  const lines = [who.join(" "), details.how, details.referralUrl].filter(Boolean);
  return lines.length ? lines : ["Ask the service how to refer."]; // the listing doesn't say
}

/** "Sunday, 7pm to 8pm (Online SMART meeting). Dial in: 0113 496 0777. Join: https://…" */
export function sessionLine(hours) {
  return [
    hours.note ? `${hours.text} (${hours.note})` : hours.text,
    hours.joinPhone ? ` Dial in: ${hours.joinPhone}.` : "",
    hours.joinNotes ? ` ${hours.joinNotes}.` : "",
    hours.joinUrl ? ` Join: ${hours.joinUrl}` : "",
  ].join("");
}

function placeLines(place, town) {
  const address = [place.name, place.address, town, place.postcode].filter(Boolean).join(", ");
  return [address, ...place.hours.map(sessionLine)];
}

function entry(record, siteRoot, heading) {
  const details = record.details || { how: "", referralUrl: "", website: "", email: "", phones: [], places: [], online: [], lastVerified: "" };
  const list = el("dl", {});
  const add = (term, lines) => {
    const values = lines.filter(Boolean);
    if (values.length) list.append(el("dt", {}, term), ...values.map((line) => el("dd", {}, line)));
  };
  add("How to refer", referral(record, details));
  add("Phone", details.phones.map((phone) => (phone.description ? `${phone.display} (${phone.description})` : phone.display)));
  add("Email", [details.email]);
  add("Website", [details.website]);
  if (record.open247) add("Opening hours", ["Open 24 hours a day, 7 days a week"]);
  details.places.forEach((place, index) =>
    add(details.places.length > 1 ? `Address ${index + 1}` : "Address", placeLines(place, record.locations[index].town)),
  );
  add("Online or by phone", (details.online || []).map(sessionLine));
  if (!record.locations.length) {
    const areas = record.areas.length ? `By phone or online, for people in ${andList(record.areas)}` : "";
    add("Where", [record.national ? "National, online or by phone" : areas]);
  }
  add("Details checked", [isoDateText(details.lastVerified)]);
  add("More details", [listingUrl(siteRoot, record)]);
  const distance = record.distance ? ` (${milesText(record.distance.miles)} away)` : "";
  return el("li", { className: "handout-entry" }, el(heading, {}, record.name + distance), el("p", {}, record.summary), list);
}

/** Fill the handout with the `groups` on screen ([{title, items}]: near a postcode, "Within 10
 * miles…", "Further away, open to people in …", national) and say when and what was printed.
 * Numbers run on across the groups, so "number 5" means one service on the whole sheet. */
export function buildHandout(section, groups, { siteRoot, siteName, description }) {
  section.querySelector("#print-handout-about").textContent =
    `Printed on ${ukDate()} from ${siteName}. ${description} This list online: ${window.location.href}`;
  let number = 1;
  const parts = groups.flatMap((group) => {
    const list = el("ol", { className: "handout-list", start: String(number) },
      group.items.map((record) => entry(record, siteRoot, group.title ? "h4" : "h3")));
    number += group.items.length;
    return group.title ? [el("h3", { className: "handout-group" }, group.title), list] : [list];
  });
  section.querySelector("#print-handout-list").replaceChildren(...parts);
  section.classList.add("is-ready");
}
