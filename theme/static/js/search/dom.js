// Tiny DOM helper: every piece of listing text goes in through textContent, never as HTML.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false || child === "") continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const roots = new Map(); // siteRoot -> its absolute address, worked out once per page

export function listingUrl(siteRoot, record) {
  if (!roots.has(siteRoot)) roots.set(siteRoot, new URL(siteRoot, window.location.href).href);
  return `${roots.get(siteRoot)}organisations/${encodeURIComponent(record.slug)}/`;
}
