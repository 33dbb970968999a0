// The map's script loader (theme/static/js/map/load-in-order.js): the scripts named in its tag's
// data-scripts are added in order, each with async = false (run in order, as each arrives), and
// only once every stylesheet that applies has loaded or failed: the map measures its container.
// Run: node --test tests/js/ (make test runs it)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const SOURCE = readFileSync(new URL("../../theme/static/js/map/load-in-order.js", import.meta.url), "utf8");

class Link {
  constructor(media, loaded) {
    this.media = media;
    this.sheet = loaded ? {} : null;
    this.listeners = {};
  }
  addEventListener(type, listener) {
    this.listeners[type] = listener;
  }
  fire(type) {
    this.sheet = type === "load" ? {} : null;
    this.listeners[type]();
  }
}

function page(links, scripts = "a.js b.js  c.js") {
  const added = [];
  const windowListeners = {};
  const document = {
    currentScript: { getAttribute: (name) => (name === "data-scripts" ? scripts : null) },
    querySelectorAll: (selector) => {
      assert.equal(selector, 'link[rel="stylesheet"]');
      return links;
    },
    createElement: (name) => ({ tagName: name }),
    head: { appendChild: (node) => added.push({ src: node.src, async: node.async }) },
  };
  const window = {
    matchMedia: (media) => ({ matches: media !== "print" }),
    addEventListener: (type, listener) => {
      windowListeners[type] = listener;
    },
  };
  vm.runInNewContext(SOURCE, { document, window });
  return { added, windowListeners };
}

const IN_ORDER = [
  { src: "a.js", async: false },
  { src: "b.js", async: false },
  { src: "c.js", async: false },
];

test("with every stylesheet loaded, the scripts are added at once, in order, each async = false", () => {
  const { added } = page([new Link("", true), new Link("print", false)]); // a print sheet doesn't count
  assert.deepEqual(added, IN_ORDER);
});

test("a stylesheet still loading holds the scripts until it loads", () => {
  const loading = new Link("", false);
  const { added } = page([new Link("", true), loading]);
  assert.deepEqual(added, []);
  loading.fire("load");
  assert.deepEqual(added, IN_ORDER);
});

test("a stylesheet that fails doesn't hold the map back, and nothing is added twice", () => {
  const failing = new Link("screen", false);
  const loading = new Link("", false);
  const { added, windowListeners } = page([failing, loading]);
  failing.fire("error");
  assert.deepEqual(added, []);
  loading.fire("load");
  windowListeners.load(); // the page's load event comes later still
  assert.deepEqual(added, IN_ORDER);
});

test("the page's load event starts them if a sheet's own event was missed", () => {
  const { added, windowListeners } = page([new Link("", false)]);
  windowListeners.load();
  assert.deepEqual(added, IN_ORDER);
});

test("no data-scripts: nothing is added", () => {
  assert.deepEqual(page([], "").added, []);
});
