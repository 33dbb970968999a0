"""The listing editor page (/editor/) and, per listing, the data it starts from when someone
follows "Edit this listing" (organisations/<slug>/listing.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..editor_form import editor_fields
from ..exports.jsonld import script_json
from ..listing.schema import load_schema
from ..listing.validate import organisations_dir

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
    output = Path(generator.output_path)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    listings = [page for key in ("pages", "hidden_pages") for page in generator.context.get(key, [])]
    for page in (page for page in listings if hasattr(page, "listing_data")):
        target = output / listing_json_path(page.slug)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(encode(page.listing_data) + "\n", encoding="utf-8")
