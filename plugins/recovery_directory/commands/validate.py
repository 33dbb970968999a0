"""`recovery-directory validate [PATH ...]`: check listings, every problem with file:line:col."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..listing.folder import same_name_problems, stray_problem
from ..listing.problems import Problem, all_valid_sentence, count_sentence
from ..listing.validate import check_files, listing_files
from ..settings import load_settings

HELP = "Check listing files and explain every problem (default: all listings)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="listing files or folders")
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: also print GitHub Actions annotations so problems show on the pull request",
    )


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    strays: list[Path] = []
    files = listing_files(settings, args.paths, strays)
    missing = [path for path in files if not path.exists()]
    results = check_files(path for path in files if path.exists())
    # The build's own checks of the folder as a whole, so this (the pull-request check) never
    # passes what the build then stops on.
    problems: dict[str, list[Problem]] = {}
    for problem in [
        *(problem for result in results for problem in result.problems),
        *same_name_problems((result.path for result in results), on_disk=True),
        *map(stray_problem, strays),
        *(Problem(str(path), 1, 1, "", "There is no such file. Check the name and the folder.") for path in missing),
        *unplaced_problems(settings, results),
    ]:
        problems.setdefault(problem.path, []).append(problem)
    for path in sorted(problems):
        for problem in sorted(problems[path]):
            print(problem)
            if args.format == "github":
                print(problem.github_annotation())
    total = len(results) + len(strays) + len(missing)
    if problems:
        print(f"\n{count_sentence(len(problems), total)}. Fix the lines above and run this again.")
    elif results:
        print(all_valid_sentence(total))
    else:
        print("No listing files were found to check.")
    return 1 if problems or not results else 0


def unplaced_problems(settings: dict, results: list) -> list[Problem]:
    """A valid listing's place that the build can't put on the map: no postcode, no coordinates,
    and not in the committed geocoding cache. A deploy build (`--fatal warnings`) stops on it
    (geocoding/placing.py), so the pull-request check says so first, with what a volunteer can
    do. Nothing with GEOCODE_ALLOW_MISSING, where the build publishes it without a pin."""
    from ..geocoding.cache import GeocodeCache, location_query
    from ..geocoding.common import cache_path, setting
    from ..listing.loader import load_listing
    from ..listing.problems import display_path
    from ..postcodes import normalise_postcode

    if setting(settings, "GEOCODE_ALLOW_MISSING"):
        return []
    cache: GeocodeCache | None = None
    found = []
    for result in results:
        for index, location in enumerate((result.data or {}).get("locations") or []):
            query = location_query(location)
            if not query or normalise_postcode(query) == query:
                continue
            cache = cache or GeocodeCache(cache_path(settings))
            if query in cache:
                continue
            line, column = load_listing(result.path).position(("locations", index))
            found.append(Problem(
                str(result.path), line, column, f"locations[{index}]",
                f"The site can't put “{query}” on its map: this place has no postcode, and it isn't "
                f"among the places looked up before ({display_path(cache.path)}). Add its postcode (the site "
                "places every UK postcode itself), or its `coordinates:`. If it has no postcode, ask a "
                f"maintainer to run `recovery-directory geocode {display_path(result.path)}` and commit "
                "the cache.",
            ))
    return found
