// Unit tests for the listing editor's pure modules (node --test tests/js/).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { Validator } from "../../node_modules/@cfworker/json-schema/dist/esm/index.js";
import * as YAML from "../../node_modules/yaml/browser/dist/index.js";
import {
  emailProblem,
  listingProblems,
  normalisePostcode,
  outcodeOf,
  phoneProblem,
  postcodeExistenceProblem,
  postcodeProblem,
  slugProblem,
  suggestSlug,
} from "../../theme/static/js/editor/checks.js";
import { editFileUrl, newFileUrl } from "../../theme/static/js/editor/github.js";
import { listingYaml } from "../../theme/static/js/editor/listing-yaml.js";

const schema = JSON.parse(readFileSync(new URL("../../schema/organisation.schema.json", import.meta.url)));
const validator = new Validator(schema, "2020-12", false);
const minimal = { name: "Example Group (sample listing)", types: ["mutual_aid"], summary: "A weekly peer support meeting.", last_verified: "2026-10-01" };

function problemsOf(data) {
  return listingProblems(data, validator, schema).map((p) => `${p.path.join(".")}: ${p.message}`);
}

test("a minimal listing has no problems", () => {
  assert.deepEqual(problemsOf(minimal), []);
});

test("missing required fields are named, lists asking for a choice", () => {
  const found = problemsOf({ name: "X" });
  assert.ok(found.includes("types: Choose or add at least one: it is required."), found);
  assert.ok(found.includes("summary: Fill this in: it is required."), found);
  assert.ok(found.includes("name: Write at least 2 characters."), found);
});

test("the schema's own hints explain a wrong shape", () => {
  const found = problemsOf({ ...minimal, last_verified: "1/10/2026", website: "example.org" });
  assert.ok(found.some((p) => p.startsWith('last_verified: "1/10/2026" is not a real date. Write the date as YYYY-MM-DD')), found);
  assert.ok(found.some((p) => p.startsWith('website: "example.org" is not a web address we can link to.')), found);
});

test("a location with nothing to find it by points at its postcode", () => {
  const found = problemsOf({ ...minimal, locations: [{ town: "Halifax" }] });
  assert.deepEqual(found, ["locations.0.postcode: Give each location a postcode (best), or an address."]);
});

test("extra rules: postcode and phone shapes, email, closing after opening", () => {
  const found = problemsOf({
    ...minimal,
    email: "Café <hello@example.org>",
    phones: [{ number: "0113 49" }, { number: "116 123" }, { number: "+44 20 7946 0123" }],
    locations: [{ town: "Halifax", postcode: "HX1", hours: [{ days: ["mon"], opens: "18:00", closes: "09:00" }] }],
  });
  assert.deepEqual(
    found.map((p) => p.split(":")[0]),
    ["phones.0.number", "email", "locations.0.postcode", "locations.0.hours.0.closes"]
  );
});

test("postcodes: shapes from Royal Mail's rules, tidied", () => {
  assert.equal(normalisePostcode(" hx11aa "), "HX1 1AA");
  for (const good of ["HX1 1AA", "sw1a1aa", "BT1 1AA", "EH1 1YZ"]) assert.equal(postcodeProblem(good), null, good);
  for (const bad of ["HX1", "QX1 1AA", "HX1 1AC", "BFPO 123", "12345"]) assert.notEqual(postcodeProblem(bad), null, bad);
});

test("postcodes must exist: answered from the outcode's file in the site's /postcodes/", () => {
  // Two postcodes in HX1 (one with no grid reference: it exists, so it passes, as in the build).
  const file = { outcode: "HX1", inward: "1AA1AB", dlat: [537000, null], dlon: [-18500, null] };
  assert.equal(outcodeOf("hx11aa"), "HX1");
  assert.equal(outcodeOf("SW1A 1AA"), "SW1A");
  assert.equal(postcodeExistenceProblem("hx1 1aa", file), null);
  assert.equal(postcodeExistenceProblem("HX11AB", file), null);
  assert.match(postcodeExistenceProblem("HX1 1ZZ", file), /^"HX1 1ZZ" is not a postcode in the ONS Postcode Directory/);
  assert.match(postcodeExistenceProblem("ZE9 9ZZ", null), /^"ZE9 9ZZ" is not a postcode in the ONS/);
  const guernsey = { outcode: "GY1", inward: "1AA", dlat: [494500], dlon: [-25300] };
  assert.match(postcodeExistenceProblem("GY1 1AA", guernsey), /is in the Channel Islands, which is not part of the UK/);
  const douglas = { outcode: "IM1", inward: "1AA", dlat: [541500], dlon: [-44800] };
  assert.match(postcodeExistenceProblem("IM1 1AA", douglas), /is in the Isle of Man/);
});

test("phone numbers: UK numbers and short helplines", () => {
  for (const good of ["0113 496 0123", "020 7946 0123", "+44 113 496 0123", "116 123", "0808 157 0123", "(0113) 496 0123"]) {
    assert.equal(phoneProblem(good), null, good);
  }
  for (const bad of ["0113 496", "0800 CALL NOW", "+1 212 555 0100", "call us"]) assert.notEqual(phoneProblem(bad), null, bad);
});

test("email: one plain address", () => {
  assert.equal(emailProblem("hello@example.org"), null);
  for (const bad of ["hello", "hello@example", "a@b.org, c@d.org", "Café <hello@example.org>"]) assert.notEqual(emailProblem(bad), null, bad);
});

test("file names: suggested from the name, checked like the build does", () => {
  assert.equal(suggestSlug("Calder Valley Recovery Café (sample listing)"), "calder-valley-recovery-cafe-sample-listing");
  assert.equal(suggestSlug("Friends & Family"), "friends-and-family");
  assert.equal(slugProblem("calder-valley"), null);
  assert.match(slugProblem("Calder Valley"), /calder-valley/);
  assert.notEqual(slugProblem(""), null);
});

test("YAML: house style, and text that looks like something else is quoted", () => {
  const text = listingYaml(YAML, {
    ...minimal,
    summary: "Open 9:30: tea and talk",
    phones: [{ number: "0113 496 0123" }],
    areas_served: ["yes", "Calderdale"],
    locations: [{ town: "Halifax", postcode: "HX1 1AA", coordinates: { lat: 53.7, lon: -1.8 }, hours: [{ days: ["mon", "tue"], opens: "09:00", closes: "17:00" }] }],
    description: "Line one.\n\n- a list\n",
  });
  assert.ok(text.startsWith("# yaml-language-server: $schema=../../schema/organisation.schema.json\nname: Example Group"));
  assert.match(text, /^types: \[mutual_aid\]$/m);
  assert.match(text, /^summary: "Open 9:30: tea and talk"$/m);
  assert.match(text, /^ {2}- number: "0113 496 0123"$/m);
  assert.match(text, /^ {6}- \{days: \[mon, tue\], opens: "09:00", closes: "17:00"\}$/m);
  assert.match(text, /^ {4}coordinates: \{lat: 53.7, lon: -1.8\}$/m);
  assert.match(text, /^description: \|\n {2}Line one\.\n\n {2}- a list\n/m);
  assert.match(text, /^last_verified: 2026-10-01$/m);
  assert.deepEqual(YAML.parse(text, { version: "1.2" }).areas_served, ["yes", "Calderdale"]);
});

test("GitHub links: the new-file page carries the name and text; edits open the file", () => {
  const url = new URL(newFileUrl("https://github.com/o/r", "main", "content/organisations", "a-b", "name: A & B\n"));
  assert.equal(url.origin + url.pathname, "https://github.com/o/r/new/main/content/organisations");
  assert.equal(url.searchParams.get("filename"), "a-b.yaml");
  assert.equal(url.searchParams.get("value"), "name: A & B\n");
  assert.equal(new URL(newFileUrl("https://github.com/o/r", "main", "content/organisations", "a-b")).search, "?filename=a-b.yaml");
  assert.equal(editFileUrl("https://github.com/o/r", "main", "content/organisations", "a-b"), "https://github.com/o/r/edit/main/content/organisations/a-b.yaml");
});
