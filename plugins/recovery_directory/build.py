"""The build's own stage: read every listing, check nothing was lost or invalid, place locations
from the geocode cache, and write the listing pages and the directory-wide pages and files."""

from __future__ import annotations

import gc
import logging
import re
import sys
from typing import Any

from pelican.generators import Generator

from . import background, forked, listing_pages
from .build_cache import PlacesCache
from .directory import Directory
from .geocoding.cache import location_query
from .listing.folder import same_name_problems
from .listing.model import Organisation
from .listing.problems import count_sentence, display_path
from .listing_pages import Listing
from .listing_reading import Read, read_all
from .output_parts import ListingParts
from .output_records import load_record, prune, save_record
from .outputs import output_modules
from .postcode_places import as_mapping
from .theme_templates import compile_theme_templates, start_compiling

logger = logging.getLogger(__name__)
ONS_PROVIDER = "ons"  # geocoding/ons_answers.py's PROVIDER (not imported: a cached rebuild needs no geography)


def fail_on_invalid_listings(found: list[Read], settings: dict[str, Any]) -> None:
    """Stop the build, before anything is geocoded or written, if any listing is invalid or went
    missing."""
    problems = [problem for item in found for problem in item.problems] + same_address(found)
    problems.sort(key=_in_line_order)
    # read_all gives one Read per listing file; one with neither a listing nor problems was lost
    # (none, unless a worker lost one). Not the folder listed again: ~0.1 s at N = 10,000.
    lost = [item.path for item in found if item.organisation is None and not item.problems]
    if not problems and not lost:
        return  # the old output is deleted (if asked) only once the whole build is sure: __init__.py
    for line in problems:
        print(line, file=sys.stderr)
    for path in lost:
        print(f"{display_path(path)}:1:1: This listing could not be read (see the messages above).", file=sys.stderr)
    bad = len({line.split(":", 1)[0] for line in problems}) + len(lost)
    print(
        f"\nBuild stopped: {count_sentence(bad, len(found))}. Nothing was published. "
        "Fix the lines above (run `recovery-directory validate` to check quickly) and build again.",
        file=sys.stderr,
    )
    raise SystemExit(1)  # not an Exception: Pelican would print a traceback for those


def _in_line_order(problem: str) -> tuple[str, int, int, str]:
    """"file:10:3: …" after "file:5:1: …", as `validate` prints them (not as text sorts)."""
    found = _POSITION.match(problem)
    return (found[1], int(found[2]), int(found[3]), problem) if found else (problem, 0, 0, problem)


_POSITION = re.compile(r"(.*?):(\d+):(\d+): ")


def same_address(found: list[Read]) -> list[str]:
    """foo.yaml beside foo.yml: both would be written to organisations/foo/, one over the other."""
    return [str(problem) for problem in same_name_problems(item.path for item in found if item.organisation)]


class DirectoryGenerator(Generator):
    """Reads every listing (listing_reading.py), stops on any invalid one, places locations, then
    writes the listing pages and every output module's files, spread over forked workers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Pelican makes every generator before any reads: the modules, settings and templates alive
        # now live for the whole build, so take them out of the cycle collector's scans (Python's
        # docs suggest gc.freeze for this) and collect less often. Measured at N = 1,000: time in
        # the collector 0.24 s -> 0.10 s. Memory freed by reference counting is unaffected.
        gc.freeze()
        gc.set_threshold(10_000, *gc.get_threshold()[1:])
        # With an empty build cache, the templates compile in another process while listings are
        # read; outputs with a cache to fill (a fresh machine's postcode lookup) start theirs.
        self.compiling = start_compiling(self)
        self.helpers = [pid for module in output_modules() if hasattr(module, "start") and (pid := module.start(self))]

    def generate_context(self) -> None:
        try:
            self.read_listings()
        except BaseException:
            self.stop_helpers()
            raise

    def read_listings(self) -> None:
        # Every listing must pass before anything is geocoded (which may use the network) or written.
        found, places = read_all(self.settings)
        background.finish(self.compiling)  # before any page is written (Pelican's own come next)
        self.compiling = None
        fail_on_invalid_listings(found, self.settings)
        self.listings = [Listing(item.organisation, item.key, item.listing_json) for item in found if item.organisation]
        organisations = [listing.organisation for listing in self.listings]
        place_locations(organisations, self.settings, places)
        self.directory = Directory.of(organisations)
        self.context["directory"] = self.directory

    def stop_helpers(self) -> None:
        """A failed build leaves no helper running: each is asked to stop (it cleans up) and reaped."""
        for pid in [self.compiling, *self.helpers]:
            background.finish(pid, stop=True)
        self.compiling, self.helpers = None, []

    def generate_output(self, writer: Any) -> None:
        try:
            self.write_outputs(writer)
        except BaseException:
            self.stop_helpers()
            raise
        for pid in self.helpers:  # done by now: an output waited for what its helper made
            background.finish(pid)
        self.helpers = []

    def write_outputs(self, writer: Any) -> None:
        # What each listing's files and parts are made from (listing_pages.inputs), hashed once
        # here for the listing pages and every output's kept parts (output_parts.py).
        self.build_fingerprint = listing_pages.fingerprint(self.settings)
        self.listing_digests = listing_pages.digests(self.listings, self.directory, self.build_fingerprint)
        prepare_shared(self, self.directory)
        gc.freeze()  # what workers inherit: untouched by the collector, so its memory stays shared
        last = load_record(self.settings, self.output_path)
        workers = forked.processes(self.settings)
        automatic = not int(self.settings.get("BUILD_PROCESSES") or 0)
        if automatic and few_pages_to_write(self.listings, self.listing_digests, last):
            # A rebuild after an edit: the outputs join kept parts and few pages are written.
            # Forking then cost more CPU (copying the pages the workers touch) than it saved:
            # at N = 1,000, 2.16 s against 1.79 s for the same rebuild in one process.
            workers = 1
        if workers > 1:
            compile_theme_templates(self)  # once, here: each worker would compile those it uses
        modules = output_modules()
        chunks = [self.listings[start :: workers * 4] for start in range(workers * 4)]
        tasks = [("output", index) for index in range(len(modules))]
        tasks += [("pages", index) for index in range(len(chunks))]
        record: dict[str, Any] = {}

        def task(which: tuple[str, int]) -> dict[str, Any] | None:
            kind, index = which
            if kind == "output":
                modules[index].write(self, writer)
                return None
            return listing_pages.write(self, writer, chunks[index], last)

        for written in forked.run(task, tasks, workers):
            record.update(written or {})
        save_record(self.settings, self.output_path, record)
        prune(self.output_path, last, record)  # the pages of listings gone since the last build


def few_pages_to_write(listings: list[Listing], digests: dict[str, str], last: dict[str, Any]) -> bool:
    """Whether at most a tenth of the listing pages were last written from other inputs (or not
    at all): a rebuild after an edit, rather than a build."""
    stale = 0
    for listing in listings:
        org = listing.organisation
        entry = last.get(f"{org.url}index.html")
        if entry is None or not digests.get(org.slug) or entry.digest != digests[org.slug]:
            stale += 1
    return stale * 10 <= len(listings) and bool(listings)


def prepare_shared(generator: Any, directory: Directory) -> None:
    """Make what several outputs share (groupings, public records) once, here, before the work is
    spread over workers that would each make it again. Public records are kept between builds."""
    kept = ListingParts(generator, "public-records")
    for org in directory.listed:
        directory.remember(org, kept.get(org, lambda org=org: directory.record(org)))
    kept.save()
    directory.by_type, directory.areas, directory.by_letter  # noqa: B018 - cached properties


def place_locations(
    organisations: list[Organisation], settings: dict[str, Any], fresh: dict[str, dict[str, Any]] | None = None
) -> None:
    """Pins and local authorities from the geocode cache (prepare_build_cache warns about gaps).
    Coordinates written in a listing win; its postcode still gives the area. The one place the
    build meets geocoding: it hands over each listing's unplaced locations, gets the cache back.
    Postcodes the ONS data placed where the listings were read (`fresh`: postcode_places.py) or in
    an earlier build (the build cache; same code, same data version) are not asked again."""
    # Each location's query, worked out once (it was twice, with the mapping made three times).
    queries = {id(loc): location_query(as_mapping(loc)) for org in organisations for loc in org.locations}
    needed = {
        query for org in organisations for loc in org.locations
        if loc.geocoded_by != "listing" and (query := queries[id(loc)])
    }
    places = PlacesCache(settings)
    stored = places.load()
    known = {query: entry for query, entry in {**stored, **(fresh or {})}.items() if query in needed}
    if needed - known.keys():
        to_geocode = [
            (org.source_path, [as_mapping(loc) for loc in org.locations if loc.geocoded_by != "listing"])
            for org in organisations
        ]
        unknown = [
            (path, {"locations": [location for location in locations if location_query(location) not in known]})
            for path, locations in to_geocode
        ]
        from .geocoding.placing import prepare_build_cache  # geopy and the ONS data: only when needed

        cache = prepare_build_cache(settings, unknown)  # warns about any it can't place, as always
    else:  # every postcode placed before (a rebuild): nothing to ask or warn about, no data to open
        cache = {}
    answers = {query: cache.get(query) for query in needed - known.keys()}
    ons = {query: entry for query, entry in answers.items() if entry and entry["provider"] == ONS_PROVIDER}
    new = {query: entry for query, entry in {**known, **ons}.items() if query not in stored}
    if new:
        places.save({**stored, **new})
    for org in organisations:
        for location in org.locations:
            query = queries[id(location)]
            entry = (known.get(query) or cache.get(query)) if query else None
            if entry is None or (location.geocoded_by == "listing" and not location.postcode):
                continue
            location.local_authority = entry.get("local_authority")
            location.local_authority_code = entry.get("local_authority_code")
            if location.geocoded_by != "listing":
                location.lat, location.lon = entry["lat"], entry["lon"]
                location.geocoded_by = entry.get("provider")
