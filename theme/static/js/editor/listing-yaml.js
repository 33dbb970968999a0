// A listing as YAML in the house style of the sample listings: short lists and opening times on
// one line in [ ] and { }, numbers that are text (phone numbers, times) in quotes, long text as a
// `|` block. The `yaml` library does the quoting, so anything a person types comes out valid.
// Pure: the library is passed in (tests/js/editor.test.mjs).

const HEADER = "# yaml-language-server: $schema=../../schema/organisation.schema.json\n";
const ONE_LINE_MAPS = new Set(["coordinates"]); // fields whose group of values fits on one line
const ONE_LINE_ENTRIES = new Set(["hours", "identifiers"]); // lists whose entries fit on one line
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER_LIKE = /^\+?[0-9][0-9 :()+.-]*$/; // phone numbers, times, register numbers

export function listingYaml(YAML, data) {
  const doc = new YAML.Document(data, { version: "1.2" });
  style(YAML, doc.contents, null);
  return HEADER + doc.toString({ lineWidth: 0, blockQuote: "literal", flowCollectionPadding: false });
}

function style(YAML, node, key) {
  if (YAML.isMap(node)) {
    if (ONE_LINE_MAPS.has(key)) {
      node.flow = true;
    }
    for (const pair of node.items) {
      style(YAML, pair.value, pair.key.value);
    }
  } else if (YAML.isSeq(node)) {
    if (node.items.every((item) => YAML.isScalar(item))) {
      node.flow = true;
    }
    for (const item of node.items) {
      if (ONE_LINE_ENTRIES.has(key) && YAML.isMap(item)) {
        item.flow = true;
      }
      style(YAML, item, null);
    }
  } else if (YAML.isScalar(node) && typeof node.value === "string" && NUMBER_LIKE.test(node.value) && !DATE.test(node.value)) {
    node.type = "QUOTE_DOUBLE"; // "0113 496 0123", "09:00", "1234567": text, as the guide asks
  }
}
