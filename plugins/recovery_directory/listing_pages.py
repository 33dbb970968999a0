"""Each listing's page (organisations/<slug>/index.html, template `organisation`), the data the
listing editor starts from (organisations/<slug>/listing.json) and what My list prints for it
(organisations/<slug>/handout.json, outputs/shortlist.py).

Pages go through Pelican's own writer with the context Pelican's PagesGenerator would give them
(`page.organisation`, relative URLs as its writer makes them), so they are the bytes Pelican
wrote when each listing was a Pelican page; but without a Pelican content object, signals and
URL rewriting per listing. A page is written again only when one of its inputs changed or its
files are not as the last build left them (output_records.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build_cache import code_fingerprint
from .clock import today
from .directory import Directory
from .listing.model import Organisation, area_slug
from .output_records import Entry, unchanged
from .outputs.editor import listing_json_path
from .outputs.shortlist import handout_json, handout_path
from .vendor import MissingAssets, vendor_folders

TEMPLATE = "organisation"
# How a build runs, not what it makes: no page depends on these (Pelican sets the first two from
# the command line, so a rebuild without --delete-output-directory would otherwise rewrite all).
NOT_INPUTS = frozenset({
    "DELETE_OUTPUT_DIRECTORY", "WRITE_SELECTED", "LOAD_CONTENT_CACHE", "CACHE_CONTENT", "CACHE_PATH", "AUTORELOAD",
    "RECOVERY_DIRECTORY_DELETE_OUTPUT_AFTER_CHECKS", "BUILD_PROCESSES", "BUILD_CACHE_PATH",
})


@dataclass
class ListingPage:
    """What the `organisation` template is given as `page` (a Pelican Page's part it uses)."""

    organisation: Organisation


@dataclass
class Listing:
    organisation: Organisation
    key: str  # the build cache's key for its file's bytes
    listing_json: bytes  # the listing as checked, which the listing editor starts from (outputs/editor.py)


def fingerprint(settings: dict[str, Any]) -> str:
    """What every listing page depends on besides its own listing: the plugin's code, the
    templates, every setting (THEME_STATIC_DIR carries the theme's hash), the vendored libraries'
    versions (their URLs) and today's date."""
    digest = hashlib.sha256(f"{code_fingerprint()}\0{today().isoformat()}\0".encode())
    try:
        digest.update(json.dumps(vendor_folders(settings), sort_keys=True).encode())
    except MissingAssets:  # node_modules missing: the build stops when a template first asks for one
        digest.update(b"no vendored libraries\0")
    templates = Path(settings["THEME"]) / "templates"
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    visible = {key: value for key, value in settings.items() if key.isupper() and key not in NOT_INPUTS}
    try:
        described = json.dumps(visible, sort_keys=True, default=_describe)
    except (TypeError, ValueError):  # keys of mixed types can't be sorted: compare their text instead
        described = repr(sorted((key, repr(value)) for key, value in visible.items()))
    digest.update(described.encode())
    return digest.hexdigest()


def _describe(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(map(repr, value))
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return f"{type(value).__module__}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def area_lookup(directory: Directory) -> dict[str, tuple[int, str, str]]:
    return {area.slug: (position, area.name, area.url) for position, area in enumerate(directory.areas)}


def inputs(listing: Listing, areas_by_slug: dict[str, tuple[int, str, str]], common: str) -> str:
    """A hash of everything this listing's files are made from."""
    org = listing.organisation
    placed = [
        (loc.lat, loc.lon, loc.local_authority, loc.local_authority_code, loc.geocoded_by) for loc in org.locations
    ]
    # A closed listing's page links the first of the directory's areas that it is in.
    areas = sorted(found for name in org.area_names if (found := areas_by_slug.get(area_slug(name))))
    return hashlib.sha256(f"{common}\0{listing.key}\0{placed!r}\0{areas!r}".encode()).hexdigest()


def digests(listings: list[Listing], directory: Directory, common: str) -> dict[str, str]:
    """Each listing's `inputs` by slug (none for a listing read without the cache's key)."""
    areas = area_lookup(directory)
    return {listing.organisation.slug: inputs(listing, areas, common) for listing in listings if listing.key}


def write(generator: Any, writer: Any, listings: list[Listing], last: dict[str, Entry]) -> dict[str, Entry]:
    """Write these listings' files unless unchanged since `last`; what each now is, by page.
    `generator.listing_digests` holds each listing's `inputs`."""
    template = generator.get_template(TEMPLATE)
    output = Path(generator.output_path)
    settings = generator.settings
    relative = settings["RELATIVE_URLS"]
    written: dict[str, Entry] = {}
    for listing in listings:
        org = listing.organisation
        save_as = f"{org.url}index.html"
        files = (save_as, listing_json_path(org.slug), handout_path(org))
        digest = generator.listing_digests.get(org.slug, "")
        entry = last.get(save_as)
        if digest and entry is not None and unchanged(entry, digest, output):
            written[save_as] = entry
            continue
        page = ListingPage(org)
        writer.write_file(save_as, template, generator.context, page=page, relative_urls=relative, url=org.url)
        (output / files[1]).write_bytes(listing.listing_json)
        (output / files[2]).write_bytes(handout_json(org, settings))  # a pure function of these inputs
        written[save_as] = Entry.of(digest, output, files)
    return written
