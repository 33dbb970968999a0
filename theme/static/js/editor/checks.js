// The editor's checks: the listing schema itself (through a JSON Schema library that interprets
// the schema rather than compiling it to code, so the site's CSP needs no 'unsafe-eval'), plus the
// rules the build adds (checks.py): postcode shapes, phone numbers (libphonenumber's own rules,
// from the page's checks data), areas served as the build reads them, a last-verified date not in
// the future, closing after opening.
// Pure functions: the Validator class and the schema are passed in (tests/js/editor.test.mjs).

// Royal Mail's shapes (REFERENCE.md §7); the build also checks the postcode exists.
const POSTCODE = /^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$/;
const PHONE_CHARACTERS = /^\+?[0-9 ()-]+$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function normalisePostcode(text) {
  const compact = text.replace(/\s+/g, "").toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

export function postcodeProblem(text) {
  return POSTCODE.test(normalisePostcode(text))
    ? null
    : `"${text}" is not a UK postcode. Write it like HX1 1AA (check it on Royal Mail's postcode finder).`;
}

// Postcodes the ONS lists but the build refuses (checks.py NOT_UK_CODES): not part of the UK.
const NOT_UK = { GY: "the Channel Islands", JE: "the Channel Islands", IM: "the Isle of Man" };

/** The outcode ("HX1") of a well-shaped postcode: the name of its file in the site's /postcodes/. */
export function outcodeOf(text) {
  return normalisePostcode(text).split(" ")[0];
}

/**
 * The build's own rule (checks.py postcode_problem) for a well-shaped postcode, answered from its
 * outcode's file in the site's /postcodes/ (null when the site has no such file): it must be in
 * the ONS Postcode Directory, and in the UK. The site's files are made from the same data as the
 * build's check, so what passes here passes there.
 */
export function postcodeExistenceProblem(text, file) {
  const postcode = normalisePostcode(text);
  const inward = postcode.slice(-3);
  // The file lists its postcodes' last three characters end to end ("1AA1AB…"; site_lookup.py).
  const listed = typeof file?.inward === "string" ? file.inward.match(/.{3}/g) || [] : [];
  if (!listed.includes(inward)) {
    return `"${postcode}" is not a postcode in the ONS Postcode Directory. Check it on Royal Mail's postcode finder and correct it here. If it is right but brand new, leave it out for now and say so when you send the listing.`;
  }
  const where = NOT_UK[postcode.slice(0, 2)];
  return where && /^[A-Z]{2}\d/.test(postcode) ? `"${postcode}" is in ${where}, which is not part of the UK, so this directory can't list it.` : null;
}

const compiled = new WeakMap(); // the page's pattern list -> its RegExps, made once

/** UK numbers: 10 or 11 digits starting 0 (or +44 and 9 or 10 more), or a short helpline like
 * 116 123. With `patterns` (the page's checks data: libphonenumber's own rules for Great Britain
 * and the Crown Dependencies, gb_numbers.browser_patterns), a full number must fit one, as the
 * build requires: "0113 496 012" has the digits' count but no such number exists. */
export function phoneProblem(text, patterns = null) {
  // "+44 (0)113 …" and "0044 113 …" are +44 numbers, as the build reads them.
  const international = text.trim().replace(/^00\s*44/, "+44").replace(/^(\+44\s*)\(0\)/, "$1");
  const digits = international.replace(/[^0-9]/g, "");
  const national = international.startsWith("+44") ? `0${digits.slice(2)}` : digits;
  const short = /^(1\d{2,5}|999)$/.test(national);
  let valid = national.startsWith("0") && (national.length === 10 || national.length === 11);
  if (Array.isArray(patterns) && patterns.length) {
    if (!compiled.has(patterns)) compiled.set(patterns, patterns.map((pattern) => new RegExp(`^(?:${pattern})`)));
    valid = national.startsWith("0") && compiled.get(patterns).some((pattern) => pattern.test(national.slice(1)));
  }
  const ok =
    PHONE_CHARACTERS.test(text) &&
    !(international.startsWith("+") && !international.startsWith("+44")) &&
    (valid || short);
  return ok
    ? null
    : `"${text}" is not a UK phone number. Write the whole number in digits with its area code, e.g. 0113 496 0123 (helplines such as 116 123 are fine).`;
}

/** Names compared as authorities.fold() compares them: case, accents, punctuation and a leading
 * "the" don't matter; "&" is "and". */
export function foldName(text) {
  const ascii = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
  const words = ascii.toLowerCase().replace(/&/g, " and ").match(/[a-z0-9]+/g) || [];
  return (words[0] === "the" ? words.slice(1) : words).join(" ");
}

// authorities._COUNCIL_SUFFIX and _COUNCIL_WORDS: "Leeds City Council", "London Borough of Camden".
const COUNCIL_SUFFIX = /(?: city and county| county borough| metropolitan borough| metropolitan district| city| borough| district| county)? council$/;
const COUNCIL_WORDS = new RegExp(
  `^(?:(?:the )?(?:london|royal) borough of |borough of |metropolitan borough of |city and county of |city of )|${COUNCIL_SUFFIX.source}`,
  "g",
);

/**
 * The build's rule for an area served (checks._check_areas): a UK local authority as
 * authorities.resolve() reads it, or "national". `names` maps each folded form the build accepts
 * to the authority's name; `several` names places that are more than one council ("London").
 */
export function areaProblem(text, names, several = {}) {
  const folded = foldName(text);
  const bare = folded.replace(COUNCIL_WORDS, "");
  // "national" exactly as the build compares it (any case), not folded: "National." is refused there.
  if (text.trim().toLowerCase() === "national" || names[folded] || names[folded.replace(COUNCIL_SUFFIX, "")] || names[bare]) {
    return null;
  }
  const why = several[folded] || several[bare];
  if (why) {
    return `"${text}" is not one local authority: ${why}. List the council areas the service is open to, one on each line (every one is on the site's coverage page), or write national if it is open to anyone in the UK.`;
  }
  const split = text.includes(",") ? " Put each area on its own line." : "";
  return `"${text}" is not a UK local authority.${split} Write the council area's name, such as Leeds, Bristol or Glasgow City (a town goes under its council: Halifax is in Calderdale), or national for services anywhere in the UK. Every authority is listed on the site's coverage page.`;
}

/** The build's rule: the date the details were checked is not after today (`today`: YYYY-MM-DD). */
export function futureDateProblem(value, today) {
  return /^\d{4}-\d\d-\d\d$/.test(value) && value > today
    ? `The date ${value} is in the future. Write the date the details were last checked (today's date if you checked them just now).`
    : null;
}

export function emailProblem(text) {
  return EMAIL.test(text) ? null : `"${text}" is not an email address. Write just the address, like hello@example.org.`;
}

export function slugProblem(slug) {
  if (!slug) {
    return "Write the listing's web address name, e.g. calder-valley-recovery-cafe.";
  }
  return SLUG.test(slug)
    ? null
    : `Use lower-case letters and digits joined by single hyphens, e.g. ${suggestSlug(slug) || "calder-valley-recovery-cafe"}.`;
}

/** "Calder Valley Recovery Café (sample listing)" -> "calder-valley-recovery-cafe-sample-listing". */
export function suggestSlug(name) {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .match(/[a-z0-9]+/g)
    ?.join("-")
    .slice(0, 80)
    .replace(/-+$/, "") || "";
}

// -- the schema ----------------------------------------------------------------------------------

function pathOf(pointer) {
  return pointer
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~")));
}

/** The schema keyword an error's keywordLocation names, following $refs on the way. */
function schemaAt(schema, keywordLocation) {
  let node = schema;
  const parts = pathOf(keywordLocation);
  for (const part of parts.slice(0, -1)) {
    node = part === "$ref" && typeof node?.$ref === "string" ? schema.$defs[node.$ref.split("/").pop()] : node?.[part];
  }
  return node || {};
}

const QUIET = new Set(["properties", "items", "$ref", "allOf", "const", "additionalProperties", "false"]);

function describe(value) {
  return typeof value === "string" ? `"${value.length > 60 ? `${value.slice(0, 59)}…` : value}"` : String(value);
}

function schemaMessage(error, schema, data) {
  const path = pathOf(error.instanceLocation);
  const node = schemaAt(schema, error.keywordLocation);
  const value = path.reduce((at, part) => (at == null ? at : at[part]), data);
  switch (error.keyword) {
    case "required": {
      const missing = /"([^"]+)"/.exec(error.error)?.[1];
      const wanted = node.properties?.[missing] || {};
      const list = wanted.type === "array";
      return { path: [...path, missing], message: list ? "Choose or add at least one: it is required." : "Fill this in: it is required." };
    }
    case "anyOf":
      return { path: [...path, "postcode"], message: node["x-hint"] || "Fill in at least one of these." };
    case "minItems":
      return { path, message: "Choose or add at least one." };
    case "uniqueItems":
      return { path, message: "The same value is there twice. Remove one." };
    case "minLength":
      return { path, message: `Write at least ${node.minLength} characters.` };
    case "maxLength":
      return { path, message: `This is ${value.length} characters long; the limit is ${node.maxLength}. Shorten it.` };
    case "minimum":
    case "maximum":
      return { path, message: `${describe(value)} must be ${error.keyword === "minimum" ? "at least" : "at most"} ${node[error.keyword]}.` };
    case "type":
      return { path, message: `${describe(value)} should be ${node.type === "integer" ? "a whole number" : `a ${node.type}`}.` };
    case "pattern":
    case "format": {
      const what = node["x-what"] || (node.format === "date" ? "a real date" : "in the expected form");
      return { path, message: `${describe(value)} is not ${what}. ${node["x-hint"] || ""}`.trim() };
    }
    case "oneOf":
    case "enum":
      return { path, message: `${describe(value)} is not one of the allowed choices.` };
    default:
      return { path, message: error.error };
  }
}

function extraProblems(data, checks) {
  const found = [];
  (Array.isArray(data.phones) ? data.phones : []).forEach((phone, index) => {
    const problem = typeof phone?.number === "string" && phoneProblem(phone.number, checks.phonePatterns);
    if (problem) {
      found.push({ path: ["phones", index, "number"], message: problem });
    }
  });
  if (typeof data.email === "string" && emailProblem(data.email)) {
    found.push({ path: ["email"], message: emailProblem(data.email) });
  }
  if (checks.areaNames) {
    (Array.isArray(data.areas_served) ? data.areas_served : []).forEach((area, index) => {
      const problem = typeof area === "string" && areaProblem(area, checks.areaNames, checks.notOneCouncil);
      if (problem) found.push({ path: ["areas_served", index], message: problem });
    });
  }
  const future = checks.today && typeof data.last_verified === "string" && futureDateProblem(data.last_verified, checks.today);
  if (future) found.push({ path: ["last_verified"], message: future });
  (Array.isArray(data.locations) ? data.locations : []).forEach((location, index) => {
    if (typeof location?.postcode === "string" && postcodeProblem(location.postcode)) {
      found.push({ path: ["locations", index, "postcode"], message: postcodeProblem(location.postcode) });
    }
    (Array.isArray(location?.hours) ? location.hours : []).forEach((hours, at) => {
      const { opens, closes } = hours || {};
      if (/^\d\d:\d\d$/.test(opens || "") && /^\d\d:\d\d$/.test(closes || "") && closes <= opens) {
        found.push({
          path: ["locations", index, "hours", at, "closes"],
          message: `The closing time ${closes} is not after the opening time ${opens}. Use 24-hour times (20:00 for 8pm); for times past midnight, close at 24:00 and add the early hours as the next day.`,
        });
      }
    });
  });
  return found;
}

/**
 * Every problem in a listing as {path, message}, at most one per place: the schema's first, then
 * the extra rules for places the schema accepted.
 */
export function listingProblems(data, validator, schema, checks = {}) {
  const found = new Map();
  for (const error of validator.validate(data).errors) {
    // An anyOf reports once for itself; its branches' own complaints would only repeat it.
    if (QUIET.has(error.keyword) || error.keywordLocation.includes("/anyOf/")) {
      continue;
    }
    const problem = schemaMessage(error, schema, data);
    const key = JSON.stringify(problem.path);
    if (!found.has(key)) {
      found.set(key, problem);
    }
  }
  for (const problem of extraProblems(data, checks)) {
    const key = JSON.stringify(problem.path);
    if (!found.has(key)) {
      found.set(key, problem);
    }
  }
  return [...found.values()];
}
