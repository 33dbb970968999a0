"""The listing editor page (/editor/) and, per listing, the data it starts from when someone
follows "Edit this listing" (organisations/<slug>/listing.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..editor_form import editor_fields
from ..exports.json_text import compact
from ..exports.jsonld import script_json
from ..listing.schema import load_schema
from ..listing.validate import organisations_dir
from .files import write_each

ORDER = 55
PAGE = "editor/index.html"


def listing_json_path(slug: str) -> str:
    return f"organisations/{slug}/listing.json"


def write(generator: Any, writer: Any) -> None:
    settings = generator.settings
    folder = organisations_dir(settings).resolve().relative_to(Path(settings["PATH"]).resolve().parent)
    writer.write_file(
        PAGE, generator.get_template("editor"), generator.context, relative_urls=settings["RELATIVE_URLS"],
        url="editor/", editor_schema=script_json(load_schema()), editor_fields=editor_fields,
        listings_folder=folder.as_posix(),
    )
    listings = [page for key in ("pages", "hidden_pages") for page in generator.context.get(key, [])]
    checked = (page for page in listings if hasattr(page, "listing_data"))
    files = ((listing_json_path(page.slug), listing_json(page.listing_data)) for page in checked)
    write_each(generator.output_path, files)


def listing_json(data: dict[str, Any]) -> bytes:
    """A listing's checked data as the editor loads it: a pure function of the listing file."""
    return (compact(data) + "\n").encode("utf-8")
