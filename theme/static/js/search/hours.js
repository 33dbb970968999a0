// "Open now" in UK time. The visitor's own clock and time zone don't matter: opening hours are
// Europe/London local times, so read the current weekday and time there (summer time included).
//
// The UK's clocks follow one statutory rule (the Summer Time Order 2002): British Summer Time
// (UTC+1) from 01:00 UTC on the last Sunday in March to 01:00 UTC on the last Sunday in October,
// GMT otherwise. It is worked out here rather than with Intl.DateTimeFormat because a page's first
// Intl date format loads the browser's time zone data, 30–90 ms before the first results; a
// Node test checks this against Intl's Europe/London every quarter hour for years either side.

const MINUTE_MS = 60_000;

/** 01:00 UTC on the last Sunday of `month` (0-based) in `year`, in ms since the epoch. */
function lastSundayOneAm(year, month) {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** Whether the UK is on British Summer Time at `date`. */
export function isBritishSummerTime(date) {
  const year = date.getUTCFullYear();
  const at = date.getTime();
  return lastSundayOneAm(year, 2) <= at && at < lastSundayOneAm(year, 9);
}

/** {day: 0 (Monday)…6, minutes: since midnight} for `date` in Europe/London. */
export function londonNow(date = new Date()) {
  const local = new Date(date.getTime() + (isBritishSummerTime(date) ? 60 * MINUTE_MS : 0));
  return {
    day: (local.getUTCDay() + 6) % 7,
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

/** Whether one place's weekly hours, flat as the index sends them ([days bit mask, opens, closes
 * (minutes), …]), cover `now`. */
export function coversNow(weekly, now) {
  const dayBit = 1 << now.day;
  for (let i = 0; i + 2 < weekly.length; i += 3) {
    if (weekly[i] & dayBit && weekly[i + 1] <= now.minutes && now.minutes < weekly[i + 2]) return true;
  }
  return false;
}

/** Open 24/7, or one of its places' hours (`record.weeklyHours`) covers `now`. Temporarily
 * closed is never open. */
export function isOpenNow(record, now) {
  if (record.temporarilyClosed) return false;
  if (record.open247) return true;
  const places = record.weeklyHours;
  for (let i = 0; i < places.length; i += 1) if (coversNow(places[i], now)) return true;
  return false;
}

// Fixed English month names: a card's "Details checked October 2026" needs no Intl (see above).
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];
let printed = null; // made on first use: only printing needs today's date in the UK

/** "23 November 2026": today's date in the UK, for the printed list. */
export function ukDate(date = new Date()) {
  printed ??= new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });
  return printed.format(date);
}

/** "October 2026" from {year, month}. */
export function monthText({ year, month }) {
  return `${MONTHS[month - 1]} ${year}`;
}

/** "1 October 2026" from "2026-10-01". */
export function isoDateText(iso) {
  if (!iso) return "";
  const [year, month, day] = iso.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}
