// The shortlist's data rules (theme/static/js/shortlist/list.js): what a share link carries and
// what a stored list may hold. Run: node --test tests/js/
import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanItems, cleanSlugs, MAX_ITEMS, sameSlugs, sharedSlugs, shareUrl } from "../../theme/static/js/shortlist/list.js";

test("a share link round-trips the slugs in order", () => {
  const slugs = ["calder-valley-recovery-cafe", "night-owl-recovery-line", "a1"];
  const link = shareUrl("https://example.org/my-list/#top", slugs);
  assert.equal(link, "https://example.org/my-list/?list=calder-valley-recovery-cafe,night-owl-recovery-line,a1");
  assert.deepEqual(sharedSlugs(new URL(link).search), slugs);
});

test("no list parameter is not an empty list", () => {
  assert.equal(sharedSlugs(""), null);
  assert.equal(sharedSlugs("?q=x"), null);
  assert.deepEqual(sharedSlugs("?list="), []);
});

test("anything that is not a listing slug is dropped, repeats too", () => {
  assert.deepEqual(
    sharedSlugs("?list=ok-one,../etc,javascript:alert(1),%3Cb%3E,ok-one,-bad,bad-,Upper-Case,two"),
    ["ok-one", "upper-case", "two"],
  );
  assert.deepEqual(cleanSlugs(["", " spaced ", "a--b"]), ["spaced"]);
});

test("a list holds at most MAX_ITEMS services", () => {
  const many = Array.from({ length: MAX_ITEMS + 5 }, (_, i) => `service-${i}`);
  assert.equal(cleanSlugs(many).length, MAX_ITEMS);
});

test("stored items are cleaned: bad entries dropped, names kept as text", () => {
  assert.deepEqual(cleanItems("nonsense"), []);
  assert.deepEqual(
    cleanItems([{ slug: "a", name: "A" }, { slug: "a", name: "again" }, { slug: "b", name: 5 }, null, { name: "no slug" }, { slug: "<x>" }]),
    [{ slug: "a", name: "A" }, { slug: "b", name: "" }],
  );
});

test("same slugs means same order too", () => {
  assert.ok(sameSlugs(["a", "b"], ["a", "b"]));
  assert.ok(!sameSlugs(["a", "b"], ["b", "a"]));
  assert.ok(!sameSlugs(["a"], ["a", "b"]));
});
