"""`recovery-directory geocode [--refresh] [PATH ...]`: fill the committed geocoding cache.

Looks up every listing location that has no `coordinates:`, is not in the cache yet and that the
offline ONS postcode data can't place (addresses through Nominatim; postcodes the data has no
point for through postcodes.io), saves what it finds, and says what it added, what failed and
why. Exit status 1 if anything failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..directory import load_directory
from ..geocoding.cache import CacheError, GeocodeCache
from ..geocoding.common import cache_path
from ..geocoding.fill import cross_check, fill_cache
from ..geocoding.placing import listing_queries
from ..listing.problems import display_path
from ..listing.validate import listing_files
from ..settings import load_settings

HELP = "Look up map positions the offline postcode data can't give, into the geocoding cache (uses the network)."
PROGRESS_FROM = 10  # show a progress bar for runs with at least this many lookups


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="listing files or folders (default: all listings)")
    parser.add_argument(
        "--cross-check",
        action="store_true",
        help="ask postcodes.io about every listing postcode the offline ONS data places, and report "
        "where the two disagree (more than 100 m apart, or another local authority); caches nothing",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="look up these listings' places again even if cached (entries written by hand, "
        'provider "manual", are kept)',
    )


def _progress_bar(total: int) -> Any:
    return tqdm(
        total=total,
        unit="place",
        desc="Geocoding",
        file=sys.stderr,
        disable=True if total < PROGRESS_FROM else None,  # None: only on a terminal
        leave=False,
    )


def _where(paths: list[str]) -> str:
    return ", ".join(display_path(path) for path in paths)


def _describe(entry: dict[str, Any]) -> str:
    authority = f"{entry['local_authority']}, " if entry.get("local_authority") else ""
    return f"{entry['lat']:.5f}, {entry['lon']:.5f} ({authority}{entry['provider']})"


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    problems = 0
    paths = []
    for path in listing_files(settings, args.paths):
        if path.exists():
            paths.append(path)
        else:
            print(f"{display_path(path)}: no such file.", file=sys.stderr)
            problems += 1
    listings = []
    for item in load_directory(paths, Path(settings["PATH"]).parent).read:
        if item.organisation is None:
            for problem in item.check.problems:
                print(problem, file=sys.stderr)
            print(f"{display_path(item.check.path)}: skipped until it is fixed.", file=sys.stderr)
            problems += 1
            continue
        listings.append((item.check.path, item.check.data))

    needed = listing_queries(listings)
    if args.cross_check:
        return _cross_check(needed, settings, problems)
    try:
        cache = GeocodeCache(cache_path(settings))
    except CacheError as error:
        print(error, file=sys.stderr)
        return 1
    cache_name = display_path(cache.path)

    try:
        report = fill_cache(
            list(needed),
            cache,
            settings,
            refresh=args.refresh,
            progress=_progress_bar,
            autosave=True,
        )
    except KeyboardInterrupt:
        cache.save()
        print(f"Stopped. What was found so far is saved in {cache_name}.", file=sys.stderr)
        return 130

    for title, entries in (("Added to", report.added), ("Updated in", report.updated)):
        if entries:
            print(f"{title} {cache_name}:")
            for query, entry in entries.items():
                print(f"  {query}: {_describe(entry)}  [{_where(needed[query])}]")
    if report.failed:
        print("Could not geocode:", file=sys.stderr)
        for query, reason in report.failed.items():
            print(f"  {_where(needed[query])}: {query!r}: {reason}.", file=sys.stderr)
        print(
            "These places have no map pin until they are in the cache (their listings are still "
            "published). Fix the postcode or address, or add `coordinates: {lat: …, lon: …}` to "
            "the location, or if a service was at fault, run this again later.",
            file=sys.stderr,
        )

    looked_up = len(report.added) + len(report.updated) + len(report.unchanged) + len(report.failed)
    summary = [f"{len(report.offline)} placed offline from the ONS data (nothing to cache)"] if report.offline else []
    summary += [f"{len(report.added)} added"]
    if args.refresh:
        summary += [f"{len(report.updated)} updated", f"{len(report.unchanged)} unchanged"]
    summary += [f"{len(report.failed)} failed", f"{len(report.cached)} already cached"]
    if looked_up:
        print(f"Looked up {looked_up} place{'s' if looked_up != 1 else ''}: {', '.join(summary)}.")
    else:
        parts = summary[:1] if report.offline else []
        print(f"Nothing to look up: {', '.join([*parts, f'{len(report.cached)} already in {cache_name}'])}.")
    return 1 if report.failed or problems else 0


def _cross_check(needed: dict[str, list[str]], settings: dict[str, Any], problems: int) -> int:
    disagreements, failed, asked = cross_check(list(needed), settings)
    for line in disagreements:
        print(line, file=sys.stderr)
    for postcode, reason in failed.items():
        print(f"{postcode}: not checked: {reason}.", file=sys.stderr)
    verdict = "they agree" if not disagreements else f"{len(disagreements)} disagreement(s) above"
    print(f"Cross-checked {asked - len(failed)} postcode(s) with postcodes.io: {verdict}.")
    return 1 if disagreements or failed or problems else 0
