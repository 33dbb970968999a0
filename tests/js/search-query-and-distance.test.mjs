// Pure search helpers: a postcode typed among words, distances in words, the results summary.
import assert from "node:assert/strict";
import { test } from "node:test";

import { milesText, withinMiles } from "../../theme/static/js/search/geo.js";
import { statusText } from "../../theme/static/js/search/results.js";
import { queryTerms, splitQuery } from "../../theme/static/js/search/text.js";

test("a postcode among words is split off", () => {
  assert.deepEqual(splitQuery("Halifax HX1 1RE"), { words: "Halifax", postcode: "HX1 1RE" });
  assert.deepEqual(splitQuery("hx11re alcohol"), { words: "alcohol", postcode: "HX11RE" });
  assert.deepEqual(splitQuery("cafe LS2"), { words: "cafe", postcode: "LS2" });
  assert.deepEqual(splitQuery("LS2"), { words: "", postcode: "LS2" });
  assert.deepEqual(splitQuery("women HX1 2"), { words: "women", postcode: "HX1 2" });
  assert.deepEqual(splitQuery("SMART Recovery"), { words: "SMART Recovery", postcode: "" });
  assert.deepEqual(splitQuery("12 step"), { words: "12 step", postcode: "" });
  assert.deepEqual(splitQuery("LS1 gambling"), { words: "gambling", postcode: "LS1" });
  assert.deepEqual(splitQuery("ls1 4 family support"), { words: "family support", postcode: "LS1 4" });
  assert.deepEqual(splitQuery("M60 24/7 support"), { words: "24/7 support", postcode: "M60" });
  assert.deepEqual(splitQuery("AA meetings"), { words: "AA meetings", postcode: "" });
});

test("punctuation around a postcode is not part of it, and a pasted address line is only its postcode", () => {
  assert.deepEqual(splitQuery("alcohol LS1 4AP."), { words: "alcohol", postcode: "LS1 4AP" });
  assert.deepEqual(splitQuery("alcohol LS1 4AP,"), { words: "alcohol", postcode: "LS1 4AP" });
  assert.deepEqual(splitQuery("(LS1 4AP)"), { words: "", postcode: "LS1 4AP" });
  assert.deepEqual(splitQuery("women's group (LS2)."), { words: "women's group", postcode: "LS2" });
  assert.deepEqual(splitQuery("alcohol LS1 4AP, UK"), { words: "alcohol", postcode: "LS1 4AP" });
  assert.deepEqual(splitQuery("10 Downing Street, London SW1A 2AA"), { words: "", postcode: "SW1A 2AA" });
  assert.deepEqual(splitQuery("Flat 2, 10 Downing Street, London SW1A 2AA"), { words: "", postcode: "SW1A 2AA" });
  // words that only start with a number stay words: "12 step" is what a GP looks for
  assert.deepEqual(splitQuery("12 step meeting LS1 4AP"), { words: "12 step meeting", postcode: "LS1 4AP" });
  assert.deepEqual(splitQuery("alcohol, LS1 4AP"), { words: "alcohol", postcode: "LS1 4AP" });
  assert.deepEqual(splitQuery("12 step, LS1 4AP"), { words: "12 step", postcode: "LS1 4AP" });
  assert.deepEqual(splitQuery("18-25 year olds, LS2 7UE"), { words: "18-25 year olds", postcode: "LS2 7UE" });
  assert.deepEqual(splitQuery("1 Park Row, Leeds LS1 5AB"), { words: "", postcode: "LS1 5AB" });
  assert.deepEqual(splitQuery("3a High St., Halifax HX1 1RE"), { words: "", postcode: "HX1 1RE" });
});

test("the postcode box reads a postcode with punctuation or UK after it", async () => {
  const { classifyNear } = await import("../../theme/static/js/search/near.js");
  for (const typed of ["LS1 4AP.", "(LS1 4AP)", "LS1 4AP, UK", " ls1 4ap "]) {
    assert.deepEqual(classifyNear(typed), { kind: "postcode", code: "LS14AP", typed: "LS1 4AP" }, typed);
  }
  assert.equal(classifyNear("53.2,-1.5").kind, "point"); // coordinates keep their minus sign
});

test("query words are folded and stop words dropped", () => {
  assert.deepEqual(queryTerms("Support for Families"), ["support", "families"]);
  assert.deepEqual(queryTerms("Café"), ["cafe"]);
  assert.deepEqual(queryTerms("alcohol near me"), ["alcohol"]);
});

test("distances as people say them", () => {
  assert.equal(milesText(0.1), "less than a mile");
  assert.equal(milesText(1.2), "about a mile");
  assert.equal(milesText(3.4), "about 3 miles");
  assert.equal(milesText(27.6), "28 miles");
  assert.equal(withinMiles("10"), 10);
  assert.equal(withinMiles("any"), Infinity);
});

test("names read as a list: two with and, more with commas", async () => {
  const { andList } = await import("../../theme/static/js/search/results.js");
  assert.equal(andList(["Kirklees"]), "Kirklees");
  assert.equal(andList(["Powys", "Shropshire"]), "Powys and Shropshire");
  assert.equal(andList(["Powys", "Shropshire", "Wrexham"]), "Powys, Shropshire and Wrexham");
});

test("the summary near a place counts what is within reach and what is further", () => {
  const near = { label: "HX1 1RE" };
  assert.equal(
    statusText({ total: 7, shown: 7, q: "", near, within: "10", national: 2, further: 9, filterCount: 0 }),
    "5 organisations within 10 miles of HX1 1RE, and 2 national, online or phone services. 9 more are further away.",
  );
  assert.equal(
    statusText({ total: 1, shown: 1, q: "alcohol", near, within: "any", national: 0, further: 0, filterCount: 1 }),
    "1 organisation at any distance from HX1 1RE matches “alcohol” with 1 filter.",
  );
  assert.equal(
    statusText({ total: 8, shown: 8, q: "", near: { label: "WF17 5AA", districts: ["Kirklees"] }, within: "10", national: 2, serving: 1, further: 3, filterCount: 0 }),
    "5 organisations within 10 miles of WF17 5AA, 1 further away open to people in Kirklees, and 2 national, online or phone services. 3 more are further away.",
  );
  assert.equal(
    statusText({ total: 9, shown: 9, q: "", near: { label: "WF17 5AA", districts: ["Kirklees"] }, within: "10", national: 2, serving: 1, remote: 1, further: 3, filterCount: 0 }),
    "5 organisations within 10 miles of WF17 5AA, 1 by phone or online for people in Kirklees, 1 further away open to people in Kirklees, and 2 national, online or phone services. 3 more are further away.",
  );
  assert.equal(statusText({ total: 3, shown: 3, q: "", near: null, filterCount: 0 }), "3 organisations listed.");
  assert.match(statusText({ total: 0, shown: 0, q: "zz", near: null, filterCount: 0 }), /^No organisations match “zz”\. Try/);
});
