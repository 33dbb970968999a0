// Where the editor hands a listing to GitHub. Only these links leave the site, and only when the
// person follows one. Pure functions (tests/js/editor.test.mjs).

/** GitHub's "create new file" page with the file name (and the text, if given) filled in. */
export function newFileUrl(repository, branch, folder, slug, text = "") {
  const query = new URLSearchParams({ filename: `${slug}.yaml` });
  if (text) {
    query.set("value", text);
  }
  return `${repository}/new/${encodeURIComponent(branch)}/${folder}?${query}`;
}

/** GitHub's editor on an existing listing's file. */
export function editFileUrl(repository, branch, folder, slug) {
  return `${repository}/edit/${encodeURIComponent(branch)}/${folder}/${slug}.yaml`;
}
