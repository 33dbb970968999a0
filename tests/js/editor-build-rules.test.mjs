// The listing editor's copy of the build's rules beyond the schema (checks.js with the page's
// checks data, outputs/editor.py editor_checks) against the build's own answers, case by case
// (tests/test_editor_checks.py writes them from the data: every council's names and slips of
// them, Ofcom's drama numbers and slips of them). What the editor calls ready, the build accepts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { Validator } from "../../node_modules/@cfworker/json-schema/dist/esm/index.js";
import { areaProblem, futureDateProblem, listingProblems, phoneProblem } from "../../theme/static/js/editor/checks.js";
import { withoutInvisible } from "../../theme/static/js/editor/form.js";

const golden = JSON.parse(readFileSync(new URL("./golden/editor-checks.json", import.meta.url), "utf8"));
const { checks } = golden;

test("every area the build reads is accepted, and every one it refuses is refused", () => {
  for (const [written, resolved] of golden.areas) {
    const problem = areaProblem(written, checks.areaNames, checks.notOneCouncil);
    assert.equal(problem === null, resolved !== null, `${written}: build ${resolved}, editor ${problem}`);
  }
  assert.match(areaProblem("London", checks.areaNames, checks.notOneCouncil), /not one local authority: London has 33 councils/);
  assert.match(areaProblem("Swansea, Neath Port Talbot", checks.areaNames), /Put each area on its own line/);
});

test("every full number the build accepts is accepted, and every one it refuses is refused", () => {
  const shortShape = (number) => /^(1\d{2,5}|999)$/.test(number.replace(/[^0-9]/g, ""));
  for (const [number, valid] of golden.phones) {
    const problem = phoneProblem(number, checks.phonePatterns);
    if (valid) assert.equal(problem, null, number);
    else if (!shortShape(number)) assert.notEqual(problem, null, number); // short numbers: the shape only
  }
  assert.equal(phoneProblem("0113 496 012"), null, "without the page's patterns: the shape only");
});

test("a last-verified date after today is refused, today and before are not", () => {
  assert.match(futureDateProblem("2027-05-01", "2026-12-02"), /is in the future/);
  assert.equal(futureDateProblem("2026-12-02", "2026-12-02"), null);
  assert.equal(futureDateProblem("2026-01-31", "2026-12-02"), null);
});

test("the listing's problems include the build's rules when the page gives them", () => {
  const schema = JSON.parse(readFileSync(new URL("../../schema/organisation.schema.json", import.meta.url)));
  const validator = new Validator(schema, "2020-12", false);
  const data = {
    name: "Example Group (sample listing)", types: ["mutual_aid"], summary: "A weekly peer support meeting.",
    last_verified: "2027-05-01", areas_served: ["Leeds City Council", "Swansae"], phones: [{ number: "0113 496 012" }],
  };
  const found = listingProblems(data, validator, schema, { ...checks, today: "2026-12-02" }).map((p) => p.path.join("."));
  assert.deepEqual(found.sort(), ["areas_served.1", "last_verified", "phones.0.number"]);
});

test("invisible characters pasted from a word processor never reach the listing", () => {
  assert.equal(withoutInvisible("Tea\u2028and talk\u0007", true), "Tea\nand talk");
  assert.equal(withoutInvisible("Tea\u2029and\u0085talk", false), "Tea and talk");
  assert.equal(withoutInvisible("Café — 9am", false), "Café — 9am");
});
