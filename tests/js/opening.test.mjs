// "Open now" and the next opening on listing pages (theme/static/js/listing/opening.js), with
// the current time read in Europe/London by londonNow (theme/static/js/search/hours.js).
// Run: node --test tests/js/ (make test runs it)
import assert from "node:assert/strict";
import { test } from "node:test";

// The visitor's own zone must not matter: run as if the computer were set to New Zealand.
process.env.TZ = "Pacific/Auckland";

const { londonNow } = await import("../../theme/static/js/search/hours.js");
const { openingSummary, placeState, weeklyIntervals, clockText, WEEK } = await import(
  "../../theme/static/js/listing/opening.js"
);

const WEEKDAYS = [["mon", "tue", "wed", "thu", "fri"], "10:00", "16:00"];
const CAFE = [{ place: "The Café", hours: [WEEKDAYS, [["sat"], "10:00", "14:00"], [["tue"], "18:30", "20:00"]] }];
const at = (iso) => londonNow(new Date(iso));
const say = (places, iso) => openingSummary(places, at(iso)).text;

test("London time is read from the instant, whatever the computer's zone", () => {
  assert.deepEqual(at("2026-12-01T09:30:00Z"), { day: 1, minutes: 9 * 60 + 30 }); // Tuesday, GMT
  assert.deepEqual(at("2026-07-07T09:30:00Z"), { day: 1, minutes: 10 * 60 + 30 }); // Tuesday, BST
});

test("open now says until when; closed now says when it next opens", () => {
  assert.equal(say(CAFE, "2026-12-01T11:00:00Z"), "Open now until 4pm");
  assert.equal(say(CAFE, "2026-12-01T08:00:00Z"), "Closed now. Opens today at 10am");
  assert.equal(say(CAFE, "2026-12-01T17:00:00Z"), "Closed now. Opens today at 6:30pm");
  assert.equal(say(CAFE, "2026-12-01T19:00:00Z"), "Open now until 8pm");
  assert.equal(say(CAFE, "2026-12-01T21:00:00Z"), "Closed now. Opens tomorrow at 10am");
  assert.equal(say(CAFE, "2026-12-05T15:00:00Z"), "Closed now. Opens Monday at 10am"); // Saturday afternoon
});

test("closing time is not open; opening time is", () => {
  assert.equal(say(CAFE, "2026-12-01T16:00:00Z"), "Closed now. Opens today at 6:30pm");
  assert.equal(say(CAFE, "2026-12-01T10:00:00Z"), "Open now until 4pm");
});

test("a weekly meeting next opens a week later, said as next <day>", () => {
  const weekly = [{ place: "Hall", hours: [[["tue"], "18:30", "20:00"]] }];
  assert.equal(say(weekly, "2026-12-01T20:30:00Z"), "Closed now. Opens next Tuesday at 6:30pm");
  assert.equal(say(weekly, "2026-11-30T12:00:00Z"), "Closed now. Opens tomorrow at 6:30pm");
  assert.equal(say(weekly, "2026-12-03T12:00:00Z"), "Closed now. Opens Tuesday at 6:30pm");
});

test("a night past midnight (written 24:00 then 00:00 the next day) is one opening", () => {
  const night = [{ place: "Night café", hours: [[["fri"], "20:00", "24:00"], [["sat"], "00:00", "02:00"]] }];
  assert.deepEqual(weeklyIntervals(night[0].hours), [[4 * 1440 + 1200, 5 * 1440 + 120]]);
  assert.equal(say(night, "2026-12-04T22:00:00Z"), "Open now until 2am tomorrow"); // Friday 10pm
  assert.equal(say(night, "2026-12-05T01:00:00Z"), "Open now until 2am"); // Saturday 1am
  assert.equal(say(night, "2026-12-05T03:00:00Z"), "Closed now. Opens Friday at 8pm");
  const late = [{ place: "Bar", hours: [[["fri"], "20:00", "24:00"]] }];
  assert.equal(say(late, "2026-12-04T21:00:00Z"), "Open now until midnight");
});

test("Sunday night runs on into Monday across the end of the week", () => {
  const sunday = [{ place: "Line", hours: [[["sun"], "22:00", "24:00"], [["mon"], "00:00", "06:00"]] }];
  assert.equal(say(sunday, "2026-12-06T23:00:00Z"), "Open now until 6am tomorrow"); // Sunday 11pm
  assert.equal(say(sunday, "2026-12-07T05:00:00Z"), "Open now until 6am"); // Monday 5am
  assert.equal(say(sunday, "2026-12-07T07:00:00Z"), "Closed now. Opens Sunday at 10pm");
});

test("opening at midnight is said plainly", () => {
  const early = [{ place: "Line", hours: [[["sat"], "00:00", "06:00"]] }];
  assert.equal(say(early, "2026-12-04T21:00:00Z"), "Closed now. Opens at midnight tonight"); // Friday
  assert.equal(say(early, "2026-12-02T21:00:00Z"), "Closed now. Opens at midnight (start of Saturday)");
});

test("British Summer Time: hours are UK wall-clock times on both sides of each change", () => {
  const morning = [{ place: "Hub", hours: [[["sun"], "02:00", "03:00"], [["mon"], "09:00", "17:00"]] }];
  // 29 March 2026: clocks go forward at 01:00 GMT. 00:30 UTC is 00:30 GMT; 01:30 UTC is 02:30 BST.
  assert.equal(say(morning, "2026-03-29T00:30:00Z"), "Closed now. Opens today at 2am");
  assert.equal(say(morning, "2026-03-29T01:30:00Z"), "Open now until 3am");
  // The Monday after: 08:30 UTC is 09:30 BST, open (it would be closed by GMT).
  assert.equal(say(morning, "2026-03-30T08:30:00Z"), "Open now until 5pm");
  // 25 October 2026: clocks go back at 02:00 BST. 00:30 UTC is 01:30 BST; 01:30 UTC is 01:30 GMT.
  assert.equal(say(morning, "2026-10-25T00:30:00Z"), "Closed now. Opens today at 2am");
  assert.equal(say(morning, "2026-10-25T02:30:00Z"), "Open now until 3am"); // 02:30 GMT
  assert.equal(say(morning, "2026-10-26T08:30:00Z"), "Closed now. Opens today at 9am"); // 08:30 GMT
});

test("several places: the open ones are named, or the one that opens first", () => {
  const two = [
    { place: "The Café", hours: [WEEKDAYS] },
    { place: "The Hub", hours: [[["mon", "tue"], "18:00", "21:00"]] },
  ];
  assert.equal(say(two, "2026-12-01T11:00:00Z"), "Open now at The Café until 4pm");
  assert.equal(say(two, "2026-12-01T17:00:00Z"), "Closed now. Opens at The Hub today at 6pm");
  assert.equal(say(two, "2026-12-02T17:00:00Z"), "Closed now. Opens at The Café tomorrow at 10am");
});

test("sessions held only online or by phone count, said as such", () => {
  const online = { place: "online or by phone", where: "online or by phone", hours: [[["sun"], "19:00", "20:00"]] };
  const hall = { place: "Shibden community room", hours: [[["thu"], "19:00", "20:30"]] };
  // Sunday 6 December 2026, 19:30 in London (GMT): the online meeting is on.
  assert.equal(say([hall, online], "2026-12-06T19:30:00Z"), "Open now online or by phone until 8pm");
  assert.equal(say([hall, online], "2026-12-06T18:00:00Z"), "Closed now. Opens online or by phone today at 7pm");
  assert.equal(say([hall, online], "2026-12-07T18:00:00Z"), "Closed now. Opens at Shibden community room Thursday at 7pm");
  assert.equal(say([online], "2026-12-06T19:30:00Z"), "Open now online or by phone until 8pm");
  assert.equal(say([online], "2026-12-05T19:30:00Z"), "Closed now. Opens online or by phone tomorrow at 7pm");
});

test("every day round the clock is open with no closing time; no hours is closed", () => {
  const always = [[["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "00:00", "24:00"]];
  assert.deepEqual(weeklyIntervals(always), [[0, WEEK]]);
  assert.deepEqual(placeState(always, { day: 3, minutes: 100 }), { open: true, until: null, next: null });
  assert.equal(say([{ place: "x", hours: always }], "2026-12-01T11:00:00Z"), "Open now day and night");
  assert.equal(say([{ place: "x", hours: [] }], "2026-12-01T11:00:00Z"), "Closed now");
});

test("clock times read as the listing pages write them (hours.py clock_time)", () => {
  assert.deepEqual([0, 540, 720, 750, 1110, 1440].map(clockText), ["midnight", "9am", "noon", "12:30pm", "6:30pm", "midnight"]);
});
