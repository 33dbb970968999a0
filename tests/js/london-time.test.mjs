// London time without Intl (theme/static/js/search/hours.js): the UK's summer-time rule worked out
// by hand must give exactly what the time zone database (Intl, Europe/London) gives, at every
// quarter hour around each clock change from 1996 to 2060 and every hour of 2024–2030; and the
// dates printed on lists.
// Run: node --test tests/js/ (make test runs it)
import assert from "node:assert/strict";
import { test } from "node:test";

process.env.TZ = "America/Los_Angeles"; // the computer's own zone must not matter

const { isBritishSummerTime, isoDateText, londonNow, monthText, ukDate } = await import(
  "../../theme/static/js/search/hours.js"
);

const LONDON = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function intlLondon(date) {
  const parts = Object.fromEntries(LONDON.formatToParts(date).map((part) => [part.type, part.value]));
  return { day: WEEKDAYS.indexOf(parts.weekday), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The instants to compare: every quarter hour for a day and a half either side of each year's
 * two clock changes, 1996 (since when the rule has held) to 2060, and every hour of 2024–2030. */
function instants() {
  const found = [];
  const quarter = 15 * 60_000;
  for (let year = 1996; year <= 2060; year += 1) {
    for (const month of [2, 9]) {
      const lastDay = new Date(Date.UTC(year, month + 1, 0));
      const change = Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
      for (let at = change - 36 * 3_600_000; at <= change + 36 * 3_600_000; at += quarter) found.push(at);
    }
  }
  for (let at = Date.UTC(2024, 0, 1); at < Date.UTC(2031, 0, 1); at += 3_600_000) found.push(at);
  return found;
}

test("London time reads as the time zone database says, around every clock change and all year", () => {
  const checked = instants();
  for (const at of checked) {
    const date = new Date(at);
    const mine = londonNow(date);
    const theirs = intlLondon(date);
    if (mine.day !== theirs.day || mine.minutes !== theirs.minutes) assert.deepEqual(mine, theirs, date.toISOString());
  }
  assert.ok(checked.length > 80_000);
});

test("the clocks change at 01:00 UTC on the last Sundays of March and October", () => {
  assert.equal(isBritishSummerTime(new Date("2026-03-29T00:59:59Z")), false);
  assert.equal(isBritishSummerTime(new Date("2026-03-29T01:00:00Z")), true);
  assert.equal(isBritishSummerTime(new Date("2026-10-25T00:59:59Z")), true);
  assert.equal(isBritishSummerTime(new Date("2026-10-25T01:00:00Z")), false);
  assert.deepEqual(londonNow(new Date("2026-03-29T01:00:00Z")), { day: 6, minutes: 2 * 60 }); // 02:00 BST
  assert.deepEqual(londonNow(new Date("2026-10-25T01:00:00Z")), { day: 6, minutes: 60 }); // 01:00 GMT again
});

test("dates on cards and printed lists read as people write them", () => {
  for (let month = 1; month <= 12; month += 1) {
    const expected = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "long", year: "numeric" })
      .format(new Date(Date.UTC(2026, month - 1, 15)));
    assert.equal(monthText({ year: 2026, month }), expected);
  }
  assert.equal(isoDateText("2026-10-01"), "1 October 2026");
  assert.equal(isoDateText("2027-02-28"), "28 February 2027");
  assert.equal(isoDateText(""), "");
  assert.equal(ukDate(new Date("2026-10-31T23:30:00Z")), "31 October 2026"); // GMT: still the 31st
  assert.equal(ukDate(new Date("2026-07-31T23:30:00Z")), "1 August 2026"); // BST: already the 1st
});
