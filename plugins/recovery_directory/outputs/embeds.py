"""Embeddable lists for other websites' iframes: /embed/areas/<slug>/ and /embed/types/<slug>/.

Minimal pages (theme/templates/embed.html): no site chrome, no JavaScript, their own small
stylesheet. They are the only pages other sites may frame: headers.py gives /embed/* its own
frame-ancestors rule, and every other page keeps frame-ancestors 'none'.
"""

from __future__ import annotations

from typing import Any

from ..cards import kept_cards
from ..directory import Directory
from ..listing.model import type_slug
from ..listing.schema import labels
from ..output_parts import KeptPages

ORDER = 56
EMBED_ROOT = "embed/"


def embed_path(kind: str, slug: str) -> str:
    """kind is "areas" or "types": embed/areas/leeds/ mirrors areas/leeds/."""
    return f"{EMBED_ROOT}{kind}/{slug}/"


def write(generator: Any, writer: Any) -> None:
    kept = KeptPages(generator, "embed-pages")  # pages whose listings and values did not change
    with kept_cards(generator, "embed-items"):  # unchanged listings' items from the last build
        write_pages(generator, writer, kept)
    kept.save()


def write_pages(generator: Any, writer: Any, kept: KeptPages) -> None:
    directory: Directory = generator.directory

    def page(kind: str, slug: str, name: str, organisations: list[Any]) -> None:
        path = embed_path(kind, slug)
        if kept.skip(f"{path}index.html", [name, organisations]):
            return
        writer.write_file(
            f"{path}index.html", generator.get_template("embed"), generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"], url=path,
            embed_name=name, embed_page=f"{kind}/{slug}/", organisations=organisations,
        )
        kept.written(f"{path}index.html")

    for area in directory.areas:
        page("areas", area.slug, area.name, area.organisations)
    for code, label in labels("types").items():
        page("types", type_slug(code), label, directory.by_type[code])
