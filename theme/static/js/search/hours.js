// "Open now" in UK time. The visitor's own clock and time zone don't matter: opening hours are
// Europe/London local times, so read the current weekday and time there (summer time included).

const LONDON = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** {day: 0 (Monday)…6, minutes: since midnight} for `date` in Europe/London. */
export function londonNow(date = new Date()) {
  const parts = Object.fromEntries(LONDON.formatToParts(date).map((part) => [part.type, part.value]));
  return {
    day: WEEKDAYS.indexOf(parts.weekday.slice(0, 3).toLowerCase()),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Whether one weekly entry {days: bit mask, opens, closes: minutes} covers `now`. */
export function coversNow(hours, now) {
  return Boolean(hours.days & (1 << now.day)) && hours.opens <= now.minutes && now.minutes < hours.closes;
}

/** Open 24/7, or one of the locations' hours covers `now`. Temporarily closed is never open. */
export function isOpenNow(record, now) {
  if (record.temporarilyClosed) return false;
  if (record.open247) return true;
  return record.locations.some((location) => location.hours.some((hours) => coversNow(hours, now)));
}

const PRINTED = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });
const MONTH = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "long", year: "numeric" });

/** "23 November 2026": today's date in the UK, for the printed list. */
export function ukDate(date = new Date()) {
  return PRINTED.format(date);
}

/** "October 2026" from {year, month}. */
export function monthText({ year, month }) {
  return MONTH.format(new Date(Date.UTC(year, month - 1, 15)));
}

const DAY = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });

/** "1 October 2026" from "2026-10-01". */
export function isoDateText(iso) {
  return iso ? DAY.format(new Date(`${iso}T12:00:00Z`)) : "";
}
