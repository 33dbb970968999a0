// Read the editor's form into a listing and fill it from one. The form is generated from the
// schema (templates/editor.html): every field is an element with data-field, data-key and a
// data-kind saying how its value is written. Empty fields are left out of the listing.

let counter = 0;

/** The fields directly inside `container` (not those of nested groups or entries). */
export function childFields(container) {
  return [...container.querySelectorAll("[data-field]")].filter(
    (field) => field.parentElement.closest("[data-field], [data-item], [data-fields-root]") === container
  );
}

function control(field) {
  return field.querySelector("input, select, textarea");
}

function items(field) {
  return [...field.querySelector("[data-items]").children];
}

function readGroup(container) {
  const value = {};
  for (const field of childFields(container)) {
    const read = readField(field);
    if (read !== undefined) {
      value[field.dataset.key] = read;
    }
  }
  return Object.keys(value).length ? value : undefined;
}

// Characters a word processor pastes that no one sees and a listing can't hold (loader.py
// _FORBIDDEN_IN_FILE): line and paragraph separators become line breaks (spaces in one-line
// fields), the rest go.
const SEPARATORS = /[\u2028\u2029\u0085]/g;
const INVISIBLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/g;

/** `text` without invisible characters; `multiline`: separators become line breaks. */
export function withoutInvisible(text, multiline) {
  return text.replace(SEPARATORS, multiline ? "\n" : " ").replace(INVISIBLE, "");
}

function readField(field) {
  const kind = field.dataset.kind;
  if (kind === "group") {
    return readGroup(field);
  }
  if (kind === "groups") {
    const list = items(field).map((item) => readGroup(item) || {});
    return list.length ? list : undefined;
  }
  if (kind === "choices") {
    const chosen = [...field.querySelectorAll("input[type=checkbox]")].filter((box) => box.checked).map((box) => box.value);
    // The listing's own order first (so an unchanged listing comes back unchanged), new ones after.
    const order = JSON.parse(field.dataset.order || "[]");
    const rank = (code) => (order.includes(code) ? order.indexOf(code) : order.length);
    chosen.sort((a, b) => rank(a) - rank(b));
    return chosen.length ? chosen : undefined;
  }
  const raw = withoutInvisible(control(field).value, kind === "longtext" || kind === "lines");
  if (raw.trim() === "") {
    return undefined;
  }
  const text = kind === "longtext" ? raw : raw.trim(); // Markdown: kept exactly as written
  if (kind === "lines") {
    const lines = text.split("\n").map((line) => line.trim()).filter(Boolean);
    return lines.length ? lines : undefined;
  }
  if (kind === "boolean") {
    return text === "true";
  }
  if (kind === "integer" || kind === "number") {
    // A number only when it is one; otherwise the text, so the schema check can say what is wrong.
    return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : text;
  }
  return text;
}

/** The listing the form describes. */
export function readForm(root) {
  return readGroup(root) || {};
}

/** Fill the form from a listing; returns the fields the form has no place for, to keep as they are. */
export function fillForm(root, data) {
  return fillGroup(root, data || {});
}

function fillGroup(container, data) {
  const known = new Set();
  for (const field of childFields(container)) {
    known.add(field.dataset.key);
    fillField(field, data[field.dataset.key]);
  }
  return Object.fromEntries(Object.entries(data).filter(([key]) => !known.has(key)));
}

function fillField(field, value) {
  const kind = field.dataset.kind;
  if (kind === "group") {
    fillGroup(field, value && typeof value === "object" ? value : {});
    return;
  }
  if (kind === "groups") {
    items(field).forEach((item) => item.remove());
    for (const entry of Array.isArray(value) ? value : []) {
      fillGroup(addItem(field, false), entry && typeof entry === "object" ? entry : {});
    }
    return;
  }
  if (kind === "choices") {
    const chosen = new Set(Array.isArray(value) ? value : []);
    field.dataset.order = JSON.stringify([...chosen]);
    field.querySelectorAll("input[type=checkbox]").forEach((box) => {
      box.checked = chosen.has(box.value);
    });
    return;
  }
  const input = control(field);
  if (value === undefined || value === null) {
    input.value = "";
  } else if (kind === "lines") {
    input.value = (Array.isArray(value) ? value : [value]).join("\n");
  } else {
    input.value = String(value);
  }
}

/** Add an empty entry to a repeatable group (a location, a phone number …) and return it. */
export function addItem(field, focus = true) {
  const template = field.querySelector(":scope > template[data-item-template]");
  const fragment = template.content.cloneNode(true);
  const number = String(++counter);
  for (const element of fragment.querySelectorAll("[id], [for], [aria-describedby]")) {
    for (const name of ["id", "for", "aria-describedby"]) {
      if (element.hasAttribute(name)) {
        element.setAttribute(name, element.getAttribute(name).replaceAll("__n__", number));
      }
    }
  }
  const item = fragment.querySelector("[data-item]");
  field.querySelector("[data-items]").append(fragment);
  renumber(field);
  if (focus) {
    control(item)?.focus();
  }
  return item;
}

/** Remove an entry, then move focus somewhere sensible (the next entry, or the add button). */
export function removeItem(item) {
  const field = item.closest("[data-field]");
  const next = item.nextElementSibling || item.previousElementSibling;
  item.remove();
  renumber(field);
  (next ? control(next) : field.querySelector(":scope > [data-add]"))?.focus();
}

function renumber(field) {
  items(field).forEach((item, index) => {
    const legend = item.querySelector("[data-item-legend]");
    legend.dataset.title = legend.dataset.title || legend.textContent;
    legend.textContent = `${legend.dataset.title} ${index + 1}`;
  });
}

/**
 * The element that shows a problem at `path` (["locations", 0, "postcode"]), with its control
 * and error box: the deepest field the path reaches.
 */
export function fieldAt(root, path) {
  let container = root;
  let found = null;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    if (typeof part === "number") {
      if (!found || found.dataset.kind !== "groups") {
        break;
      }
      const item = items(found)[part];
      if (!item) {
        break;
      }
      container = item;
      continue;
    }
    const field = childFields(container).find((candidate) => candidate.dataset.key === part);
    if (!field) {
      break;
    }
    found = field;
    container = field;
  }
  return found;
}

/** What a person can focus to fix a problem in this field. */
export function focusTarget(field) {
  if (field.dataset.kind === "groups") {
    return field.querySelector(":scope > [data-add]");
  }
  return control(field);
}
