"""QR codes for the waiting-room posters: inline SVG made at build time by segno.

The SVG is segno's own markup (its only input is the area's address, so it is trusted) and
colours modules with `fill`/`stroke` attributes, never a `style` attribute, which the site's
Content-Security-Policy would block. Sizing is left to poster.css (viewBox, no width/height).
"""

from __future__ import annotations

import segno
from markupsafe import Markup

# Medium error correction survives a scuffed or folded poster; segno raises the level further
# when the address leaves room in the same symbol size.
ERROR_CORRECTION = "m"


def qr_code(url: str) -> segno.QRCode:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"A poster's QR code needs the page's full address, not {url!r}.")
    return segno.make_qr(url, error=ERROR_CORRECTION)


def qr_svg(url: str) -> Markup:
    """The QR code for `url` as an inline <svg>, with the standard 4-module quiet zone."""
    svg = qr_code(url).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="poster__qr-code", lineclass=None, dark="#000", light="#fff"
    )
    return Markup(svg)  # noqa: S704 - segno's markup, encoding only our own URL
