"""The listing editor page (/editor/), and how each listing's organisations/<slug>/listing.json
(the data the editor starts from when someone follows "Edit this listing") is made and named:
listing_pages.py writes those beside each listing page, from the listing as read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..editor_form import editor_fields
from ..exports.json_text import compact
from ..exports.jsonld import script_json
from ..listing.schema import load_schema
from ..listing.validate import organisations_dir

ORDER = 55
PAGE = "editor/index.html"


def listing_json_path(slug: str) -> str:
    return f"organisations/{slug}/listing.json"


SLUGS_PATH = "editor/listings.json"  # every listing's file name: a new one must not take one


def write(generator: Any, writer: Any) -> None:
    settings = generator.settings
    slugs = Path(generator.output_path) / SLUGS_PATH
    slugs.parent.mkdir(parents=True, exist_ok=True)
    every = sorted(org.slug for org in generator.directory.organisations)
    slugs.write_text(compact({"slugs": every}), encoding="utf-8")
    folder = organisations_dir(settings).resolve().relative_to(Path(settings["PATH"]).resolve().parent)
    writer.write_file(
        PAGE, generator.get_template("editor"), generator.context, relative_urls=settings["RELATIVE_URLS"],
        url="editor/", editor_schema=script_json(load_schema()), editor_fields=editor_fields,
        listings_folder=folder.as_posix(), editor_checks=script_json(editor_checks()),
    )


def editor_checks() -> dict[str, Any]:
    """The build's rules beyond the schema, as data the editor checks with (theme/static/js/
    editor/checks.js), so that what it calls ready the build accepts: libphonenumber's patterns of
    valid UK numbers, every folded name of a UK council the build reads (authorities.resolve), and
    the places that are more than one council."""
    from ..geocoding.authorities import NOT_ONE_COUNCIL, area_names
    from ..listing.gb_numbers import browser_patterns

    return {"phonePatterns": browser_patterns(), "areaNames": area_names(), "notOneCouncil": NOT_ONE_COUNCIL}


def listing_json(data: dict[str, Any]) -> bytes:
    """A listing's checked data as the editor loads it: a pure function of the listing file."""
    return (compact(data) + "\n").encode("utf-8")
