// The search state lives in the URL, in exactly the shape the form submits without JavaScript
// (?q=…&near=…&within=25&type=lero&type=…&self=1), so a shared link, reload or back button
// restores it. `within` (miles, or "any") is left out of the URL at its default.

/** How far "near" looks: one of config.nearDistances, the default if `value` isn't one. */
export function withinFrom(value, config) {
  return config.nearDistances.includes(value) ? value : config.nearDefault;
}

/** {q, near, within, lists: {type: [...], …}, flags: {self: true, …}} from URL parameters. */
export function stateFromParams(params, config) {
  const lists = {};
  for (const { param, leftOut = [] } of config.listFilters) {
    lists[param] = params.getAll(param).filter((value) => value && !leftOut.includes(value)); // an old link's language=en
  }
  const flags = {};
  for (const { param } of config.flagFilters) flags[param] = params.has(param) && params.get(param) !== "";
  const within = withinFrom(params.get("within"), config);
  return { q: (params.get("q") || "").trim(), near: (params.get("near") || "").trim(), within, lists, flags };
}

/** URL parameters for a state, in form order, without empty fields. */
export function paramsFromState(state, config) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.near) params.set("near", state.near);
  if (state.near && state.within !== config.nearDefault) params.set("within", state.within);
  for (const { param } of config.listFilters) for (const value of state.lists[param] || []) params.append(param, value);
  for (const { param } of config.flagFilters) if (state.flags[param]) params.set(param, "1");
  return params;
}

export function stateFromForm(form, config) {
  return stateFromParams(new URLSearchParams(new FormData(form)), config);
}

/** Make the form controls show `state` (after a reload, a shared link or the back button). */
export function applyStateToForm(form, state, config) {
  form.elements.q.value = state.q;
  form.elements.near.value = state.near;
  form.elements.within.value = state.within;
  for (const { param } of config.listFilters) {
    const wanted = new Set(state.lists[param]);
    for (const box of form.querySelectorAll(`input[type=checkbox][name="${param}"]`)) box.checked = wanted.has(box.value);
  }
  for (const { param } of config.flagFilters) {
    const box = form.querySelector(`input[type=checkbox][name="${param}"]`);
    if (box) box.checked = Boolean(state.flags[param]);
  }
}

/** The page's address for `state`, absolute. */
export function addressOf(state, config) {
  const query = paramsFromState(state, config).toString();
  return new URL(query ? `?${query}` : window.location.pathname, window.location.href).href;
}

/** Record `state` in the address bar: "push" makes a back-button step, "replace" doesn't. */
export function saveState(state, config, mode) {
  const query = paramsFromState(state, config).toString();
  const url = query ? `?${query}` : window.location.pathname;
  if ((query ? `?${query}` : "") === window.location.search) return;
  if (mode === "push") window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

export function activeFilterCount(state, config) {
  let count = 0;
  for (const { param } of config.listFilters) count += (state.lists[param] || []).length;
  for (const { param } of config.flagFilters) count += state.flags[param] ? 1 : 0;
  return count;
}
