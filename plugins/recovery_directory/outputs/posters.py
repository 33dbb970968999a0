"""Waiting-room posters: /posters/<area-slug>/, one A4 page per area (theme/templates/poster.html,
theme/static/css/poster.css) with the area's organisations, the crisis numbers and a QR code.

The QR code needs the area page's full address, so it is only drawn when SITEURL (or
FEED_DOMAIN) is set, as on the live site and deploy previews. A local build has no address to
encode; its posters say so where the code would be.
"""

from __future__ import annotations

from typing import Any

from ..directory import Directory
from ..feeds import public_url
from ..posters import qr_svg

ORDER = 57


def poster_path(area_slug: str) -> str:
    return f"posters/{area_slug}/"


def write(generator: Any, writer: Any) -> None:
    directory: Directory = generator.directory
    settings = generator.settings
    limit = int(settings["POSTER_MAX_LISTINGS"])
    if limit < 1:
        raise ValueError(f"POSTER_MAX_LISTINGS is {limit}: it must be 1 or more (12 fits an A4 page).")
    for area in directory.areas:
        address = public_url(settings, area.url)
        shown = area.organisations[:limit]
        writer.write_file(
            f"{poster_path(area.slug)}index.html", generator.get_template("poster"), generator.context,
            relative_urls=settings["RELATIVE_URLS"], url=poster_path(area.slug),
            area=area, organisations=shown, more_count=len(area.organisations) - len(shown),
            area_address=address, qr_svg=qr_svg(address) if address else None,
        )
