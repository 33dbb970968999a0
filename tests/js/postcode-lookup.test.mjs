// postcode-lookup.js, the browser's reader of the site's own /postcodes/<outcode>.json files
// (written by plugins/recovery_directory/geocoding/site_lookup.py). tests/test_geography.py checks
// the real files against the ONS data; these check the decoding rules on a small file.

import { test } from "node:test";
import assert from "node:assert/strict";

import { decodeOutcode, lookUpPlace, median, outsideTheUk, placeFromOutcode } from "../../theme/static/js/search/postcode-lookup.js";

// Four postcodes: two in Calderdale, one with no grid reference, one in Kirklees.
const FILE = {
  outcode: "HX9",
  lat: 53.7,
  lon: -1.85,
  districts: ["Calderdale", "Kirklees"],
  codes: ["E08000033", "E08000034"],
  inward: "1AA1AB2AA2AB",
  dlat: [537000, 10, null, -20],
  dlon: [-18500, -5, null, 15],
  district: [0, 0, null, 1],
};

test("positions are running sums in 1e-4 degrees, skipping postcodes without one", () => {
  const places = decodeOutcode(FILE);
  assert.deepEqual(places.map((p) => p.inward), ["1AA", "1AB", "2AA", "2AB"]);
  assert.deepEqual(places.map((p) => [p.lat, p.lon]), [[53.7, -1.85], [53.701, -1.8505], [null, null], [53.699, -1.849]]);
  assert.deepEqual(places.map((p) => p.district), ["Calderdale", "Calderdale", null, "Kirklees"]);
});

test("a full postcode gives its own point and local authority", () => {
  const answer = placeFromOutcode(FILE, { kind: "postcode", code: "HX92AB", typed: "HX9 2AB" });
  assert.deepEqual(answer, { ok: true, lat: 53.699, lon: -1.849, districts: ["Kirklees"], label: "HX9 2AB", note: "" });
});

test("a postcode without a point, or not in the file, is a plain message", () => {
  const none = placeFromOutcode(FILE, { kind: "postcode", code: "HX92AA", typed: "HX9 2AA" });
  assert.equal(none.ok, false);
  assert.match(none.message, /HX9 2AA has no map position/);
  const missing = placeFromOutcode(FILE, { kind: "postcode", code: "HX99ZZ", typed: "HX9 9ZZ" });
  assert.match(missing.message, /We couldn't find the postcode HX9 9ZZ/);
});

test("an outcode gives its centre and every authority in it; a sector averages its postcodes", () => {
  const outcode = placeFromOutcode(FILE, { kind: "outcode", code: "HX9", typed: "HX9" });
  assert.deepEqual([outcode.lat, outcode.lon, outcode.districts], [53.7, -1.85, ["Calderdale", "Kirklees"]]);
  assert.match(outcode.note, /middle of the HX9 postcode area/);
  const sector = placeFromOutcode(FILE, { kind: "outcode", code: "HX9", typed: "HX9 1" });
  assert.equal(sector.label, "HX9 1");
  assert.ok(Math.abs(sector.lat - 53.7005) < 1e-9 && Math.abs(sector.lon - -1.85025) < 1e-9);
  assert.deepEqual(sector.districts, ["Calderdale"]);
  const empty = placeFromOutcode(FILE, { kind: "outcode", code: "HX9", typed: "HX9 7" });
  assert.match(empty.message, /couldn't find the postcode sector “HX9 7”/);
});

test("a file with a single authority needs no per-postcode column", () => {
  const single = { ...FILE, districts: ["Calderdale"], codes: ["E08000033"], inward: "1AA", dlat: [537000], dlon: [-18500] };
  delete single.district;
  assert.deepEqual(decodeOutcode(single)[0].district, "Calderdale");
});

test("Jersey, Guernsey and Isle of Man postcodes are explained, not sent to a nearby postcode", async () => {
  for (const [code, island] of [["JE23AB", "Jersey"], ["GY11AA", "Guernsey"], ["IM11AA", "the Isle of Man"]]) {
    const answer = await lookUpPlace({ kind: "postcode", code, typed: code }, "http://127.0.0.1:9/postcodes/");
    assert.equal(answer.ok, false);
    assert.match(answer.message, new RegExp(`is in ${island}, which is not part of the UK`));
    assert.doesNotMatch(answer.message, /nearby postcode/);
  }
  assert.equal(outsideTheUk("LS1"), null);
  assert.equal(outsideTheUk("E1"), null);
});

test("a sector's middle is the median of its postcodes: one placed far off doesn't move it", () => {
  assert.equal(median([50.1, 50.2, 56.0]), 50.2);
  assert.equal(median([1, 3]), 2);
});
