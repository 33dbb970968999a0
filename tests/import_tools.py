"""Helpers for the import tests: load a folder of listings as the build would (placed from a
geocode cache), export it, and import an export back into another folder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from recovery_directory.directory import Directory
from recovery_directory.exports.common import ExportContext
from recovery_directory.exports.hsds import hsds_document
from recovery_directory.exports.meeting_guide import meeting_guide_feed
from recovery_directory.exports.organisations_csv import organisations_csv
from recovery_directory.geocoding.cache import location_query
from recovery_directory.geocoding.placing import prepare_build_cache
from recovery_directory.importers import source_modules
from recovery_directory.importers.sync import Report, sync
from recovery_directory.listing.model import build_organisation
from recovery_directory.listing.validate import check_file

PROJECT = Path(__file__).resolve().parents[1]
SAMPLES = PROJECT / "content" / "organisations"
SAMPLE_CACHE = PROJECT / "geocoding" / "cache.json"
SITE = ExportContext("https://directory.example.org", dt.date(2026, 11, 1))

EXPORTS = {
    "meeting-guide": ("meetings.json", lambda d, c: json.dumps(meeting_guide_feed(d, c)).encode()),
    "openreferral": ("openreferral.json", lambda d, c: json.dumps(hsds_document(d, c)).encode()),
    "csv": ("organisations.csv", organisations_csv),
}


def load_directory(folder: Path, cache_path: Path) -> Directory:
    """Every listing in `folder`, checked as `validate` does, placed as build.py places them (the
    offline ONS data, then the cache at `cache_path`)."""
    results = [check_file(path) for path in sorted(folder.glob("*.yaml"))]
    for result in results:
        assert result.ok, "\n".join(map(str, result.problems))
    places = prepare_build_cache({"GEOCODE_CACHE_PATH": str(cache_path), "GEOCODE_ALLOW_MISSING": True},
                                 [(result.path, result.data) for result in results])
    organisations = []
    for result in results:
        org = build_organisation(result.data, result.path.stem, f"content/organisations/{result.path.name}")
        for location in org.locations:
            fields = {k: getattr(location, k) for k in ("name", "address", "town", "postcode") if getattr(location, k)}
            entry = places.get(location_query(fields))
            if entry and location.geocoded_by != "listing":
                location.lat, location.lon = entry["lat"], entry["lon"]
            if entry:
                location.local_authority = entry.get("local_authority")
        organisations.append(org)
    return Directory(sorted(organisations, key=lambda org: org.name))


def export(kind: str, directory: Directory, folder: Path, context: ExportContext = SITE) -> Path:
    name, make = EXPORTS[kind]
    path = folder / name
    path.write_bytes(make(directory, context))
    return path


def import_into(kind: str, source: Path | str, folder: Path, cache_path: Path, **options: Any) -> Report:
    """Import as `recovery-directory import` does, on a site at SITE's address (so our own exports,
    whose listing pages are on it, keep their file names)."""
    settings = {
        "GEOCODE_CACHE_PATH": str(cache_path),
        "IMPORT_RETRY_WAIT": 0,
        "SITEURL": SITE.site_url,
        **options.pop("settings", {}),
    }
    parsed = source_modules()[kind].read(str(source), settings, options.pop("default_types", None))
    return sync(parsed, kind, folder, progress=False, **options)
