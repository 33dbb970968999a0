"""Atom feeds: /feeds/all.atom.xml, /feeds/areas/<area-slug>.atom.xml and
/feeds/types/<type-slug>.atom.xml, one entry per listing on the matching index page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..clock import today
from ..directory import Directory
from ..feeds import ALL_FEED, FeedSpec, area_feed, atom_feed, type_feed
from ..listing.model import type_slug
from ..listing.schema import labels

ORDER = 55


def feed_specs(directory: Directory, site_name: str) -> list[FeedSpec]:
    specs = [
        FeedSpec(
            ALL_FEED, f"{site_name}: new and updated listings",
            "Every listing in the directory, most recently added or checked first.", "", directory.listed,
        )
    ]
    for area in directory.areas:
        specs.append(
            FeedSpec(
                area_feed(area.slug), f"{site_name}: {area.name}",
                f"Recovery support listings for {area.name}, most recently added or checked first.",
                area.url, area.organisations,
            )
        )
    for code, label in labels("types").items():
        slug = type_slug(code)
        specs.append(
            FeedSpec(
                type_feed(slug), f"{site_name}: {label}",
                f"{label} listings across the UK, most recently added or checked first.",
                f"types/{slug}/", directory.by_type[code],
            )
        )
    return specs


def write(generator: Any, writer: Any) -> None:
    directory: Directory = generator.directory
    settings = generator.settings
    newest = max((org.last_verified for org in directory.listed), default=today())
    type_labels = labels("types")
    bodies: dict[str, str] = {}  # each listing's entry HTML, made once and shared by its feeds
    made: set[Path] = set()
    for spec in feed_specs(directory, settings["SITENAME"]):
        path = Path(generator.output_path) / spec.save_as
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(atom_feed(spec, settings, type_labels, newest, bodies), encoding="utf-8")
