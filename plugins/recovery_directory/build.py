"""The build's own stage after Pelican has read every listing: check nothing was lost or invalid,
place locations from the geocode cache, and write the directory-wide pages and files."""

from __future__ import annotations

import gc
import logging
import sys
from typing import Any

from pelican.generators import Generator

from .directory import Directory
from .geocoding.cache import location_query
from .geocoding.placing import prepare_build_cache
from .listing.model import Organisation
from .listing.problems import count_sentence, display_path
from .listing.validate import listing_files
from .outputs import output_modules

logger = logging.getLogger(__name__)


def fail_on_invalid_listings(content: list[Any], settings: dict[str, Any]) -> None:
    """Stop the build, before anything is geocoded or written, if any listing is invalid or went
    missing."""
    problems = sorted(p for page in content for p in getattr(page, "listing_problems", []))
    read = {page.source_path for page in content if hasattr(page, "organisation") or hasattr(page, "listing_problems")}
    files = listing_files(settings)
    lost = [path for path in files if str(path) not in read and str(path.resolve()) not in read]
    if not problems and not lost:
        return  # the old output is deleted (if asked) only once the whole build is sure: __init__.py
    for line in problems:
        print(line, file=sys.stderr)
    for path in lost:
        print(f"{display_path(path)}:1:1: This listing could not be read (see the messages above).", file=sys.stderr)
    bad = len({line.split(":", 1)[0] for line in problems}) + len(lost)
    print(
        f"\nBuild stopped: {count_sentence(bad, len(files))}. Nothing was published. "
        "Fix the lines above (run `recovery-directory validate` to check quickly) and build again.",
        file=sys.stderr,
    )
    raise SystemExit(1)  # not an Exception: Pelican would print a traceback for those


class DirectoryGenerator(Generator):
    """Collects the listings Pelican read, geocodes them from the cache, writes shared outputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Pelican makes every generator before any reads: the modules, settings and templates alive
        # now live for the whole build, so take them out of the cycle collector's scans (Python's
        # docs suggest gc.freeze for this) and collect less often. Measured at N = 1,000: time in
        # the collector 0.24 s -> 0.10 s. Memory freed by reference counting is unaffected.
        gc.freeze()
        gc.set_threshold(10_000, *gc.get_threshold()[1:])

    def generate_context(self) -> None:
        # Pelican's PagesGenerator, which reads the listings, has run: every listing must pass
        # before anything is geocoded (which may use the network) or written.
        content = [page for key in ("pages", "hidden_pages", "draft_pages") for page in self.context.get(key, [])]
        fail_on_invalid_listings(content, self.settings)
        organisations = [page.organisation for page in content if hasattr(page, "organisation")]
        place_locations(organisations, self.settings)
        self.directory = Directory.of(organisations)
        self.context["directory"] = self.directory

    def generate_output(self, writer: Any) -> None:
        for module in output_modules():
            module.write(self, writer)


def place_locations(organisations: list[Organisation], settings: dict[str, Any]) -> None:
    """Pins and local authorities from the geocode cache (prepare_build_cache warns about gaps).
    Coordinates written in a listing win; its postcode still gives the area. The one place the
    build meets geocoding: it hands over each listing's unplaced locations, gets the cache back."""
    to_geocode = [
        (org.source_path, {"locations": [_as_mapping(loc) for loc in org.locations if loc.geocoded_by != "listing"]})
        for org in organisations
    ]
    cache = prepare_build_cache(settings, to_geocode)
    for org in organisations:
        for location in org.locations:
            query = location_query(_as_mapping(location))
            entry = cache.get(query) if query else None
            if entry is None or (location.geocoded_by == "listing" and not location.postcode):
                continue
            location.local_authority = entry.get("local_authority")
            location.local_authority_code = entry.get("local_authority_code")
            if location.geocoded_by != "listing":
                location.lat, location.lon = entry["lat"], entry["lon"]
                location.geocoded_by = entry.get("provider")


def _as_mapping(location: Any) -> dict[str, Any]:
    """A Location as the geocoding functions read a listing's location (never its coordinates:
    those are only asked for places the listing doesn't pin itself)."""
    return {key: value for key in ("name", "address", "town", "postcode") if (value := getattr(location, key))}
