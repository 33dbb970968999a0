"""The server-rendered index pages (the no-JavaScript path to every listing), the sitemap and
the 404 page, written through Pelican's writer with the theme's templates."""

from __future__ import annotations

from typing import Any

from ..cards import kept_cards
from ..directory import Directory
from ..listing.model import type_slug
from ..listing.schema import labels
from ..output_parts import KeptPages

ORDER = 50


def write(generator: Any, writer: Any) -> None:
    kept = KeptPages(generator, "index-pages")  # pages whose listings and values did not change
    with kept_cards(generator, "index-cards"):  # unchanged listings' cards from the last build
        write_pages(generator, writer, kept)
    kept.save()


def write_pages(generator: Any, writer: Any, kept: KeptPages) -> None:
    directory: Directory = generator.directory
    context = generator.context

    def page(save_as: str, template: str, **values: Any) -> None:
        if kept.skip(save_as, [template, values]):
            return
        writer.write_file(
            save_as, generator.get_template(template), context, relative_urls=generator.settings["RELATIVE_URLS"],
            url=save_as.removesuffix("index.html"), **values,
        )
        kept.written(save_as)

    type_groups = [
        {"code": code, "slug": type_slug(code), "label": name, "organisations": directory.by_type[code]}
        for code, name in labels("types").items()
    ]
    page("types/index.html", "types", type_groups=type_groups)
    for group in type_groups:
        page(f"types/{group['slug']}/index.html", "type", type_group=group, organisations=group["organisations"])

    page("areas/index.html", "areas", areas=directory.areas)
    for area in directory.areas:
        page(f"{area.url}index.html", "area", area=area, organisations=area.organisations)

    page("organisations/index.html", "organisations", letters=directory.by_letter)

    # Served at any missing address, so its links must not be relative to where it was saved.
    writer.write_file("404.html", generator.get_template("404"), context, relative_urls=False)
    writer.write_file(
        "sitemap.xml", generator.env.get_template("sitemap.xml"), context, relative_urls=False,
        sitemap_urls=sitemap_urls(generator, type_groups),
    )


def sitemap_urls(generator: Any, type_groups: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(path, last modified) for every public page: home, indexes, content pages, open listings.
    A listing's date is when it was last verified; other pages have none."""
    directory: Directory = generator.directory
    content_pages = [p.url for p in generator.context.get("pages", []) if not hasattr(p, "organisation")]
    paths = ["", "search/", "map/", "coverage/", "types/", "areas/", "organisations/", "editor/", *content_pages]
    paths += [f"types/{group['slug']}/" for group in type_groups]
    paths += [area.url for area in directory.areas]
    entries = [(path, "") for path in dict.fromkeys(paths)]
    return entries + [(org.url, org.last_verified.isoformat()) for org in directory.listed]
