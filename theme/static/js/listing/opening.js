// "Open now" and the next opening, in UK time, from a listing's weekly hours. Pure: the caller
// passes the current London weekday and time (londonNow in ../search/hours.js), so the
// visitor's own time zone and the clocks changing never enter into it. Unit tests:
// tests/js/opening.test.mjs.
//
// Hours are "HH:MM" wall-clock times with closes after opens ("24:00" for midnight); a night
// that runs past midnight is written as two entries (Fri 20:00–24:00, Sat 00:00–02:00), so
// touching intervals are joined before answering.

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const DAY = 24 * 60;
export const WEEK = 7 * DAY;

export function minutesOf(clock) {
  const [hours, minutes] = clock.split(":").map(Number);
  return hours * 60 + minutes;
}

/** [start, end) minutes after Monday 00:00 for every entry, sorted and joined where they touch. */
export function weeklyIntervals(hours) {
  const intervals = [];
  for (const [days, opens, closes] of hours) {
    for (const day of days) {
      const index = DAYS.indexOf(day);
      if (index >= 0) intervals.push([index * DAY + minutesOf(opens), index * DAY + minutesOf(closes)]);
    }
  }
  return joined(intervals.sort((a, b) => a[0] - b[0]));
}

/** Sorted intervals with every overlapping or touching pair made one. */
function joined(sorted) {
  const result = [];
  for (const [start, end] of sorted) {
    const last = result[result.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else result.push([start, end]);
  }
  return result;
}

/** One place's state at `now` ({day: 0 = Monday, minutes}): open until when, or next opening.
 * Times are minutes from Monday 00:00 of this week and may run into next week (> WEEK). */
export function placeState(hours, now) {
  const intervals = weeklyIntervals(hours);
  if (!intervals.length) return { open: false, until: null, next: null };
  if (intervals.length === 1 && intervals[0][0] === 0 && intervals[0][1] === WEEK) {
    return { open: true, until: null, next: null }; // round the clock, every day
  }
  const t = now.day * DAY + now.minutes;
  // Two weeks laid end to end: Sunday night runs on into Monday morning, and the next opening
  // may be next week. (Monday's early hours are the week's first interval, from 00:00.)
  const twoWeeks = joined([...intervals, ...intervals.map(([s, e]) => [s + WEEK, e + WEEK])]);
  const current = twoWeeks.find(([start, end]) => start <= t && t < end);
  if (current) return { open: true, until: current[1], next: null };
  const next = twoWeeks.find(([start]) => start > t);
  return { open: false, until: null, next: next ? next[0] : null };
}

/** "9am", "6:30pm", "noon", "midnight" (as hours.py's clock_time). */
export function clockText(minutes) {
  const hour = Math.floor(minutes / 60) % 24;
  const minute = minutes % 60;
  if (minute === 0 && hour === 0) return "midnight";
  if (minute === 0 && hour === 12) return "noon";
  const twelve = hour % 12 || 12;
  const suffix = hour < 12 ? "am" : "pm";
  return minute ? `${twelve}:${String(minute).padStart(2, "0")}${suffix}` : `${twelve}${suffix}`;
}

function dayWord(day, now) {
  const offset = day - now.day;
  if (offset === 0) return "today";
  if (offset === 1) return "tomorrow";
  const name = DAY_NAMES[((day % 7) + 7) % 7];
  return offset >= 7 ? `next ${name}` : name;
}

/** When a place next opens, from `now`: "today at 6:30pm", "tomorrow at 9am", "Monday at 9am",
 * "next Tuesday at 6:30pm"; an opening at 00:00 is "at midnight tonight" or "at midnight
 * (start of Saturday)". `at` is minutes from this Monday 00:00. */
export function opensText(at, now) {
  const day = Math.floor(at / DAY);
  const time = at % DAY;
  if (time === 0) {
    return day - now.day === 1 ? "at midnight tonight" : `at midnight (start of ${DAY_NAMES[day % 7]})`;
  }
  return `${dayWord(day, now)} at ${clockText(time)}`;
}

/** When an open place closes: "until 5pm", "until midnight", "until 2am tomorrow",
 * "until midnight (end of Saturday)". */
export function untilText(until, now) {
  if (until % DAY === 0) {
    const day = until / DAY - 1; // 24:00 ends the day before
    return day === now.day ? "until midnight" : `until midnight (end of ${DAY_NAMES[day % 7]})`;
  }
  const day = Math.floor(until / DAY);
  const time = clockText(until % DAY);
  return day === now.day ? `until ${time}` : `until ${time} ${dayWord(day, now)}`;
}

/**
 * What the listing page says, {open, text}: "Open now until 5pm", "Closed now. Opens Monday at
 * 9am". `places` is [{place, hours: [[days, opens, closes], …], where?}], one per location with
 * hours and one (with `where`: "online or by phone") for sessions held only online or by phone;
 * when there are several, or the one is online, the text says where.
 */
export function openingSummary(places, now) {
  const states = places.map((place) => ({ place: place.place, where: place.where || `at ${place.place}`, ...placeState(place.hours, now) }));
  const named = places.length > 1;
  const open = states.filter((state) => state.open);
  if (open.length) {
    const parts = open.map((state) =>
      [named || place0Online(places) ? state.where : "", state.until === null ? "day and night" : untilText(state.until, now)]
        .filter(Boolean)
        .join(" "),
    );
    return { open: true, text: `Open now ${parts.join("; ")}` };
  }
  const upcoming = states.filter((state) => state.next !== null).sort((a, b) => a.next - b.next);
  if (!upcoming.length) return { open: false, text: "Closed now" };
  const first = upcoming[0];
  const where = named || place0Online(places) ? ` ${first.where}` : "";
  return { open: false, text: `Closed now. Opens${where} ${opensText(first.next, now)}` };
}

/** A listing whose only hours are online sessions says so ("Opens online or by phone …"). */
function place0Online(places) {
  return places.length === 1 && Boolean(places[0].where);
}
