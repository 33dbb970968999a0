"""Waiting-room posters: /posters/<area-slug>/, one A4 page per area (theme/templates/poster.html,
theme/static/css/poster.css) with the area's organisations, the crisis numbers and a QR code.

The QR code needs the area page's full address, so it is only drawn when SITEURL (or
FEED_DOMAIN) is set, as on the live site and deploy previews. A local build has no address to
encode; its posters say so where the code would be. It is inline SVG made at build time by segno.

The SVG is segno's own markup (its only input is the area's address, so it is trusted) and
colours modules with `fill`/`stroke` attributes, never a `style` attribute, which the site's
Content-Security-Policy would block. Sizing is left to poster.css (viewBox, no width/height).
"""

from __future__ import annotations

from typing import Any

import segno
from markupsafe import Markup

from ..directory import Directory
from ..listing.model import Organisation
from ..output_parts import KeptPages
from .feeds import public_url

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


ORDER = 57

# How much of the A4 sheet the list may fill in the full layout (summaries, notes, referral), in
# mm: the sheet's 277 less the heading, the crisis numbers and QR code, and the gaps between them.
FULL_LAYOUT_LIST_MM = 140


def _lines(text: str, per_line: int, most: int) -> int:
    """Lines `text` takes in a poster column at `per_line` characters, at most `most` (poster.css
    cuts longer text with an ellipsis)."""
    return min(most, -(-len(text) // per_line)) if text else 0


def _item_mm(org: Organisation) -> float:
    """About how tall one listing is in the full layout (poster.css: a column ~88 mm wide; 16 pt
    names ~31 characters a line, 11 pt notes ~45, 12 pt summaries ~42; mm a line at each size)."""
    height = _lines(org.name, 31, 2) * 6.5 + _lines(org.summary, 42, 3) * 5.3 + 6.5  # name, summary, referral
    phones = org.phones[:2]
    if phones:
        height += sum(9.5 + _lines(phone.description or "", 45, 2) * 4.9 for phone in phones)
    else:  # the email or web address instead, 13 pt bold, ~38 characters a line
        height += _lines(org.email or org.website, 38, 2) * 5.7 + 1
    return height


def compact_layout(organisations: list[Organisation]) -> bool:
    """Names and numbers only: for more than 6 listings, or fewer whose text would run the full
    layout onto a second sheet (rows of two, each as tall as its taller listing)."""
    if len(organisations) > 6:
        return True
    heights = [_item_mm(org) for org in organisations]
    rows = [max(heights[start : start + 2]) for start in range(0, len(heights), 2)]
    return sum(rows) + 4 * max(len(rows) - 1, 0) > FULL_LAYOUT_LIST_MM


def poster_path(area_slug: str) -> str:
    return f"posters/{area_slug}/"


def write(generator: Any, writer: Any) -> None:
    directory: Directory = generator.directory
    settings = generator.settings
    limit = int(settings["POSTER_MAX_LISTINGS"])
    if limit < 1:
        raise ValueError(f"POSTER_MAX_LISTINGS is {limit}: it must be 1 or more (12 fits an A4 page).")
    kept = KeptPages(generator, "posters")  # posters whose listings and values did not change
    for area in directory.areas:
        address = public_url(settings, area.url)
        shown = area.organisations[:limit]
        save_as = f"{poster_path(area.slug)}index.html"
        if kept.skip(save_as, [area, shown, address]):  # the QR code is made from the address alone
            continue
        writer.write_file(
            save_as, generator.get_template("poster"), generator.context,
            relative_urls=settings["RELATIVE_URLS"], url=poster_path(area.slug),
            area=area, organisations=shown, more_count=len(area.organisations) - len(shown),
            compact=compact_layout(shown),
            area_address=address, qr_svg=qr_svg(address) if address else None,
        )
        kept.written(save_as)
    kept.save()
