// The share link as a QR code for the printed handout, drawn in the browser by the self-hosted
// `qr` package (vendor/qr-<version>/index.js, loaded only when needed) as SVG built with DOM
// calls: no inline style or script, so the Content-Security-Policy needs nothing extra.

const SVG = "http://www.w3.org/2000/svg";

/** An <svg> of `text` (medium error correction, 4-module quiet zone), or null if it can't be made. */
export async function qrSvg(text, libraryUrl) {
  let encodeQR;
  try {
    ({ encodeQR } = await import(libraryUrl));
  } catch {
    return null; // the link is printed as text too
  }
  const modules = encodeQR(text, "raw", { ecc: "medium", border: 4 });
  const size = modules.length;
  const path = [];
  modules.forEach((row, y) => row.forEach((dark, x) => dark && path.push(`M${x} ${y}h1v1h-1z`)));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  // A long list makes a dense code: print it bigger so each module stays scannable (~0.5 mm).
  svg.setAttribute("class", size > 60 ? "qr-code qr-code--large" : "qr-code");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "QR code of the link to this list");
  svg.setAttribute("shape-rendering", "crispEdges");
  const background = document.createElementNS(SVG, "rect");
  for (const [name, value] of [["width", size], ["height", size], ["fill", "#fff"]]) background.setAttribute(name, value);
  const dark = document.createElementNS(SVG, "path");
  dark.setAttribute("d", path.join(""));
  dark.setAttribute("fill", "#000");
  svg.append(background, dark);
  return svg;
}
