// The listing editor (templates/editor.html): fill in a form, see problems as you go, get the
// listing's YAML and a link to GitHub. "Edit this listing" opens it as /editor/?listing=<slug>,
// filled from organisations/<slug>/listing.json. Nothing leaves the browser except through the
// GitHub links the person chooses to follow.
import {
  listingProblems,
  normalisePostcode,
  outcodeOf,
  postcodeExistenceProblem,
  postcodeProblem,
  slugProblem,
  suggestSlug,
} from "./checks.js";
import { addItem, fieldAt, fillForm, focusTarget, readForm, removeItem } from "./form.js";
import { editFileUrl, newFileUrl } from "./github.js";
import { listingYaml } from "./listing-yaml.js";

const editor = document.getElementById("editor");
const form = document.getElementById("editor-form");
const root = form.querySelector("[data-fields-root]");
const summary = document.getElementById("editor-summary");
const result = document.getElementById("editor-result");
const status = editor.querySelector("[data-editor-status]");
const fileInput = document.getElementById("f-file");
const schema = JSON.parse(document.getElementById("editor-schema").textContent);
// The build's rules beyond the schema, as data (outputs/editor.py editor_checks): phone number
// patterns, the names of the UK's councils; and today's date in the UK.
const checks = {
  ...JSON.parse(document.getElementById("editor-checks")?.textContent || "{}"),
  today: new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date()),
};

const MAX_LINK = 8000; // characters: GitHub answers longer addresses with an error
const state = { slug: "", existing: false, kept: {}, touched: new Set(), submitted: false, slugEdited: false };
let validator;
let YAML;

function today() {
  // The UK date, whatever the computer's time zone.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date());
}

function listing() {
  const data = { ...readForm(root), ...state.kept };
  for (const location of Array.isArray(data.locations) ? data.locations : []) {
    if (typeof location.postcode === "string" && !postcodeProblem(location.postcode)) {
      location.postcode = normalisePostcode(location.postcode);
    }
  }
  return data;
}

// Whether each well-shaped postcode exists, from the site's own /postcodes/<outcode>.json (the
// same files the search page uses, so the postcode never leaves this site). outcode -> the file,
// null when the site has none (no such outcode), undefined when it couldn't be loaded: then only
// the build checks it.
const outcodeFiles = new Map();
const outcodeLoads = new Map();

function loadOutcode(outcode) {
  if (!outcodeLoads.has(outcode)) {
    const url = new URL(`postcodes/${encodeURIComponent(outcode)}.json`, new URL(editor.dataset.siteRoot, location.href));
    const load = fetch(url, { credentials: "same-origin" })
      .then((response) => (response.status === 404 ? null : response.ok ? response.json() : undefined))
      .catch(() => undefined)
      .then((file) => {
        outcodeFiles.set(outcode, file);
        checkSoon(); // the answer may add or clear a problem
      });
    outcodeLoads.set(outcode, load);
  }
  return outcodeLoads.get(outcode);
}

// Every listing's file name, closed ones too (editor/listings.json, outputs/editor.py): a new
// listing must not take one. Fetched once, when a new listing is first checked; null until then.
let takenSlugs = null;
let takenSlugsLoad = null;

function loadTakenSlugs() {
  takenSlugsLoad ??= fetch(new URL("editor/listings.json", new URL(editor.dataset.siteRoot, location.href)), {
    credentials: "same-origin",
  })
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null)
    .then((file) => {
      takenSlugs = new Set(Array.isArray(file?.slugs) ? file.slugs : []);
      checkSoon(); // the answer may add a problem
    });
  return takenSlugsLoad;
}

function slugTaken(slug) {
  loadTakenSlugs();
  return takenSlugs ? takenSlugs.has(slug) : false;
}

function wellShapedPostcodes(data) {
  return (Array.isArray(data.locations) ? data.locations : [])
    .map((location, index) => ({ index, postcode: location?.postcode }))
    .filter(({ postcode }) => typeof postcode === "string" && !postcodeProblem(postcode));
}

function postcodeProblems(data) {
  const found = [];
  for (const { index, postcode } of wellShapedPostcodes(data)) {
    const outcode = outcodeOf(postcode);
    const file = outcodeFiles.get(outcode);
    if (!outcodeFiles.has(outcode)) {
      loadOutcode(outcode);
    } else if (file !== undefined) {
      const message = postcodeExistenceProblem(postcode, file);
      if (message) {
        found.push({ path: ["locations", index, "postcode"], message });
      }
    }
  }
  return found;
}

function problems() {
  const data = listing();
  const found = [...listingProblems(data, validator, schema, checks), ...postcodeProblems(data)].map((problem) => ({
    ...problem,
    field: fieldAt(root, problem.path),
  }));
  if (!state.existing) {
    const slug = fileInput.value.trim();
    const problem =
      slugProblem(slug) ||
      (slugTaken(slug)
        ? `A listing called “${slug}” is already in the directory. If it is yours, open its page and choose Edit this listing; if not, choose another name, e.g. ${slug}-2.`
        : null);
    if (problem) {
      found.unshift({ path: ["file"], message: problem, field: fileInput.closest(".ed-field") });
    }
  }
  // In the order of the form, so the summary reads top to bottom.
  const order = [...editor.querySelectorAll("[data-field], [data-file-name]")];
  return found.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

function errorBox(field) {
  return field.querySelector(":scope > [data-error]");
}

function showProblems(found) {
  const byField = new Map();
  for (const problem of found) {
    if (problem.field && !byField.has(problem.field)) {
      byField.set(problem.field, problem.message);
    }
  }
  for (const field of editor.querySelectorAll("[data-field], [data-file-name]")) {
    const shown = state.submitted || state.touched.has(field) ? byField.get(field) : undefined;
    const box = errorBox(field);
    if (!box) {
      continue;
    }
    box.hidden = !shown;
    box.textContent = shown ? `Error: ${shown}` : "";
    const input = field.matches("fieldset") ? null : field.querySelector("input, select, textarea");
    if (input) {
      input.toggleAttribute("aria-invalid", Boolean(shown));
    }
  }
}

function renderSummary(found) {
  const list = summary.querySelector("[data-summary-list]");
  list.replaceChildren();
  for (const problem of found) {
    const target = problem.field ? focusTarget(problem.field) || problem.field : fileInput;
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `#${target.id}`;
    link.textContent = `${fieldTitle(problem.field)}: ${problem.message}`;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
    item.append(link);
    list.append(item);
  }
  summary.hidden = found.length === 0;
}

/** "Postcode (Location 2)": the field's own label and the entries it sits in. */
function fieldTitle(field) {
  if (!field) {
    return "Listing";
  }
  const own = field.querySelector(".ed-label")?.childNodes[0]?.textContent.trim() || field.dataset.key;
  const within = [];
  for (let item = field.closest("[data-item]"); item; item = item.parentElement.closest("[data-item]")) {
    within.unshift(item.querySelector("[data-item-legend]").textContent.trim());
  }
  return within.length ? `${own} (${within.join(", ")})` : own;
}

let timer;
function checkSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => showProblems(problems()), 250);
}

function showResult() {
  const data = listing();
  const text = listingYaml(YAML, data);
  const slug = state.existing ? state.slug : fileInput.value.trim();
  const { repository, branch, folder } = editor.dataset;
  result.querySelector("#editor-yaml").value = text;
  result.querySelector("[data-new-listing]").hidden = state.existing;
  result.querySelector("[data-existing-listing]").hidden = !state.existing;
  // Browsers and GitHub refuse very long addresses: past that, the text is copied instead.
  let link = newFileUrl(repository, branch, folder, slug, text);
  const tooLong = link.length > MAX_LINK;
  if (tooLong) {
    link = newFileUrl(repository, branch, folder, slug, "");
  }
  result.querySelectorAll("[data-too-long]").forEach((element) => (element.hidden = !tooLong));
  result.querySelector("[data-fits-link]").hidden = tooLong;
  result.querySelector("[data-github-new]").href = link;
  result.querySelector("[data-github-edit]").href = editFileUrl(repository, branch, folder, slug);
  result.querySelector("[data-copy-status]").textContent = "";
  form.hidden = true;
  result.hidden = false;
  result.focus();
}

async function copyYaml() {
  const box = result.querySelector("#editor-yaml");
  const said = result.querySelector("[data-copy-status]");
  try {
    await navigator.clipboard.writeText(box.value);
    said.textContent = state.existing
      ? "Copied. Now open the file in GitHub's editor and paste it over the old text."
      : "Copied. Now open GitHub's new-file page and paste it in.";
  } catch {
    box.focus();
    box.select();
    said.textContent = "Couldn't copy automatically: the text is selected, press Ctrl+C (or ⌘C) to copy it.";
  }
}

function wire() {
  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add]");
    if (add) {
      addItem(add.closest("[data-field]"));
      checkSoon();
    }
    const remove = event.target.closest("[data-remove]");
    if (remove) {
      removeItem(remove.closest("[data-item]"));
      checkSoon();
    }
  });
  form.addEventListener("input", (event) => {
    if (event.target === fileInput) {
      state.slugEdited = true;
    } else if (event.target.id === "f-name" && !state.existing && !state.slugEdited) {
      fileInput.value = suggestSlug(event.target.value);
    }
    checkSoon();
  });
  form.addEventListener("change", checkSoon);
  form.addEventListener("focusout", (event) => {
    const field = event.target.closest("[data-field], [data-file-name]");
    if (field && event.target.matches("input, select, textarea")) {
      state.touched.add(field);
      for (let outer = field.parentElement.closest("[data-field]"); outer; outer = outer.parentElement.closest("[data-field]")) {
        state.touched.add(outer);
      }
      checkSoon();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    state.submitted = true;
    // Every postcode's lookup answered first, so a postcode that doesn't exist stops the hand-off;
    // and for a new listing, the names taken.
    await Promise.all(wellShapedPostcodes(listing()).map(({ postcode }) => loadOutcode(outcodeOf(postcode))));
    if (!state.existing) await loadTakenSlugs();
    const found = problems();
    showProblems(found);
    renderSummary(found);
    if (found.length) {
      summary.focus();
      return;
    }
    showResult();
  });
  result.querySelectorAll("[data-copy]").forEach((button) => button.addEventListener("click", copyYaml));
  result.querySelector("[data-back]").addEventListener("click", () => {
    result.hidden = true;
    form.hidden = false;
    document.getElementById("f-name").focus();
  });
}

async function loadListing(slug) {
  const response = await fetch(new URL(`organisations/${slug}/listing.json`, new URL(editor.dataset.siteRoot, location.href)));
  if (!response.ok) {
    throw new Error(`no listing ${slug}`);
  }
  return response.json();
}

/** Fill the form from an existing listing; returns what to tell the person ("" when it worked). */
async function openListing(slug) {
  if (slugProblem(slug)) {
    return "That link doesn't name a listing. You can add a new one below.";
  }
  let data;
  try {
    data = await loadListing(slug);
  } catch {
    return `There is no listing called “${slug}”. You can add a new one below.`;
  }
  state.kept = fillForm(root, data);
  state.slug = slug;
  state.existing = true;
  fileInput.closest(".ed-field").hidden = true;
  const editing = form.querySelector("[data-editing]");
  editing.querySelector("[data-editing-name]").textContent = data.name || slug;
  editing.querySelector("[data-editing-file]").textContent = `${editor.dataset.folder}/${slug}.yaml`;
  editing.hidden = false;
  document.getElementById("editor-title").textContent = "Update a listing";
  return "";
}

async function start() {
  let Validator;
  try {
    // import() resolves against this module's address; the page's addresses are relative to the page.
    [{ Validator }, YAML] = await Promise.all([
      import(new URL(editor.dataset.jsonSchemaUrl, document.baseURI).href),
      import(new URL(editor.dataset.yamlUrl, document.baseURI).href),
    ]);
  } catch {
    status.textContent = "The editor could not load. Reload the page to try again.";
    return;
  }
  validator = new Validator(schema, "2020-12", false); // false: every problem, not just the first
  const slug = new URLSearchParams(location.search).get("listing");
  status.textContent = slug ? await openListing(slug) : "";
  status.hidden = status.textContent === "";
  const verified = document.getElementById("f-last_verified");
  if (!state.existing && verified && !verified.value) {
    verified.value = today(); // someone writing a new listing is checking its details now
  }
  wire();
  form.hidden = false;
}

start();
