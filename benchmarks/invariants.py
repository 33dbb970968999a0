"""Nothing lost (DESIGN.md): a built site agrees with its listing files and with itself.

    python -m benchmarks.invariants OUTPUT_FOLDER LISTINGS_FOLDER     # exit 1 and a list if not

`check_site(output, listings)` reads only the built files (never the plugin's objects), so it
catches a listing dropped anywhere between the YAML and any output:

- listing files = listing pages (closed ones keep their page);
- published listings (not closed) = A–Z links = JSON export records = search records;
- map points (the directory map's data) = located locations in the JSON export, listing by
  listing, = located locations in the search records and GeoJSON features;
- per type and per area, the same count on the index pages, the home page, each type/area page,
  coverage.csv, and in the search records and JSON export.

The test suite runs it on the sample build and a 300-listing synthetic build; the benchmark runs it
on the 10,000-listing build.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from recovery_directory.exports.search_index import read_built_records
from recovery_directory.listing.model import NATIONAL, area_slug, type_slug
from recovery_directory.listing.schema import labels

LISTING_LINK = re.compile(r"(?:^|/)organisations/([a-z0-9-]+)/$")
COUNT = re.compile(r"(\d[\d,]*) listings?\b")
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_site(output: Path, listings: Path) -> list[str]:
    """Every disagreement found, in plain words; [] when nothing was lost."""
    output, listings = Path(output), Path(listings)
    problems: list[str] = []
    files = listing_statuses(listings)
    published = {slug for slug, status in files.items() if status != "closed"}
    exported = exported_organisations(output)
    records = search_records(output)

    compare(problems, "listing pages", set(files), listing_pages(output), "listing files")
    compare(problems, "the A–Z page", published, linked_slugs(page(output, "organisations/index.html")), "published")
    compare(problems, "data/organisations.json", published, set(exported), "published listings")
    compare(problems, "search/index.json", published, {r["slug"] for r in records}, "published listings")
    count = json.loads((output / "data" / "organisations.json").read_text(encoding="utf-8"))["count"]
    if count != len(exported):
        problems.append(f"data/organisations.json says count {count} but holds {len(exported)} organisations")

    located = Counter(slug for slug, org in exported.items() for loc in org["locations"] if loc.get("coordinates"))
    compare_counts(problems, "map points (map/directory-map.js)", located, map_points(output))
    searched = Counter(r["slug"] for r in records for loc in r["locations"] if loc["lat"] is not None)
    compare_counts(problems, "located locations in search records", located, searched)
    compare_counts(problems, "GeoJSON features", located, geojson_points(output))

    check_types(problems, output, exported, records)
    check_areas(problems, output, exported, records)
    return problems


# -- what the listing files say ------------------------------------------------------------------
def listing_statuses(listings: Path) -> dict[str, str]:
    """slug → status, for every listing file (status defaults to active, as in the schema)."""
    found = {}
    for path in sorted(listings.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML)  # noqa: S506 - a safe loader
        found[path.stem] = str(data.get("status", "active")) if isinstance(data, dict) else "active"
    return found


# -- what the built site says --------------------------------------------------------------------
def page(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "lxml")


def listing_pages(output: Path) -> set[str]:
    return {path.parent.name for path in (output / "organisations").glob("*/index.html")}


def linked_slugs(soup: BeautifulSoup, selector: str = "main") -> set[str]:
    return set(linked_list(soup, selector))


def linked_list(soup: BeautifulSoup, selector: str) -> list[str]:
    """Slugs of the listings linked in the cards under `selector`, one per card."""
    found = []
    for root in soup.select(selector):
        for link in root.select(".card__title a[href]"):
            match = LISTING_LINK.search(link["href"])
            if match:
                found.append(match.group(1))
    return found


def exported_organisations(output: Path) -> dict[str, dict[str, Any]]:
    document = json.loads((output / "data" / "organisations.json").read_text(encoding="utf-8"))
    return {org["slug"]: org for org in document["organisations"]}


def search_records(output: Path) -> list[dict[str, Any]]:
    return read_built_records(output)


def map_points(output: Path) -> Counter[str]:
    """Pins per listing, from the `var data = [...]` rows of the generated map script."""
    script = (output / "map" / "directory-map.js").read_text(encoding="utf-8")
    line = next((line for line in script.splitlines() if line.startswith("var data = ")), None)
    if line is None:
        raise ValueError("map/directory-map.js has no `var data = [...]` line of pins")
    rows = json.loads(line.removeprefix("var data = ").rstrip(";"))
    return Counter(LISTING_LINK.search(row[3]).group(1) for row in rows)


def geojson_points(output: Path) -> Counter[str]:
    document = json.loads((output / "data" / "organisations.geojson").read_text(encoding="utf-8"))
    return Counter(f["properties"]["slug"] for f in document["features"] if f.get("geometry"))


def shown_counts(soup: BeautifulSoup, selector: str) -> dict[str, int]:
    """href → the "N listings" beside each link in the list under `selector`."""
    counts = {}
    for item in soup.select(f"{selector} li"):
        link = item.find("a", href=True)
        match = COUNT.search(item.get_text(" "))
        if link and match:
            counts[link["href"].rstrip("/").rsplit("/", 1)[-1]] = int(match.group(1).replace(",", ""))
    return counts


def coverage_rows(output: Path) -> dict[str, dict[str, str]]:
    raw = (output / "data" / "coverage.csv").read_bytes().decode("utf-8-sig")
    return {row["area_slug"] or row["scope"]: row for row in csv.DictReader(io.StringIO(raw, newline=""))}


# -- types and areas -----------------------------------------------------------------------------
def check_types(problems: list[str], output: Path, exported: dict[str, Any], records: list[dict[str, Any]]) -> None:
    expected = {type_slug(code): sum(code in org["types"] for org in exported.values()) for code in labels("types")}
    searched = {type_slug(code): sum(code in r["types"] for r in records) for code in labels("types")}
    compare_maps(problems, "type counts in search records", expected, searched)
    compare_maps(problems, "type counts on /types/", expected, shown_counts(page(output, "types/index.html"), "main"))
    compare_maps(problems, "type counts on the home page", expected, shown_counts(page(output, "index.html"), "main"))
    total = coverage_rows(output).get("total", {})
    compare_maps(problems, "type totals in coverage.csv", expected,
                 {type_slug(code): int(total.get(code) or -1) for code in labels("types")})
    for code in labels("types"):
        slug = type_slug(code)
        shown = linked_list(page(output, f"types/{slug}/index.html"), "main")
        wanted = {s for s, org in exported.items() if code in org["types"]}
        compare(problems, f"types/{slug}/", wanted, set(shown), "exported listings of that type")
        if len(shown) != len(set(shown)):
            problems.append(f"types/{slug}/ lists a listing more than once")


def area_members(exported: dict[str, Any]) -> dict[str, set[str]]:
    """area slug → listings in it, as the area pages define it: the areas served, plus the local
    authority of each location; in the national group, the listings open to anyone in the UK
    (Organisation.open_anywhere: areas_served says national, or it names no area and no place)."""
    members: dict[str, set[str]] = {}
    for slug, org in exported.items():
        names = [area for area in org["areas_served"] if area.casefold() != NATIONAL]
        names += [loc["local_authority"] for loc in org["locations"] if loc.get("local_authority")]
        for name in dict.fromkeys(names):
            members.setdefault(area_slug(name), set()).add(slug)
        if any(area.casefold() == NATIONAL for area in org["areas_served"]) or not (names or org["locations"]):
            members.setdefault(NATIONAL, set()).add(slug)
    return members


def check_areas(problems: list[str], output: Path, exported: dict[str, Any], records: list[dict[str, Any]]) -> None:
    members = area_members(exported)
    expected = {slug: len(found) for slug, found in members.items()}
    compare_maps(problems, "area counts on /areas/", expected, shown_counts(page(output, "areas/index.html"), "main"))
    coverage = {slug: int(row["all_types"]) for slug, row in coverage_rows(output).items() if slug != "total"}
    compare_maps(problems, "area totals in coverage.csv", expected, coverage)
    for slug, wanted in members.items():
        path = f"areas/{slug}/index.html"
        if not (output / path).exists():
            problems.append(f"{path} is missing ({len(wanted)} listings are in that area)")
            continue
        compare(problems, f"areas/{slug}/", wanted, linked_slugs(page(output, path)), "exported listings there")
    served = Counter(area for org in exported.values() for area in org["areas_served"] if area.casefold() != NATIONAL)
    compare_counts(problems, "areas served in search records", served,
                   Counter(area for r in records for area in r["areas_served"]))


# -- reporting -----------------------------------------------------------------------------------
def compare(problems: list[str], where: str, expected: set[str], found: set[str], what: str) -> None:
    if expected != found:
        problems.append(
            f"{where}: {len(found)} listings, {what}: {len(expected)}"
            + describe(" missing: ", expected - found) + describe(" unexpected: ", found - expected)
        )


def compare_counts(problems: list[str], where: str, expected: Counter[str], found: Counter[str]) -> None:
    if +expected != +found:
        keys = sorted(k for k in set(expected) | set(found) if expected[k] != found[k])
        problems.append(
            f"{where}: {sum(found.values())}, expected {sum(expected.values())}; differ for "
            + ", ".join(f"{k} ({found[k]} not {expected[k]})" for k in keys[:10])
        )


def compare_maps(problems: list[str], where: str, expected: dict[str, int], found: dict[str, int]) -> None:
    wanted = {k: v for k, v in expected.items() if v}
    shown = {k: v for k, v in found.items() if v}
    if wanted != shown:
        keys = sorted(k for k in set(wanted) | set(shown) if wanted.get(k) != shown.get(k))
        problems.append(
            f"{where} disagree: "
            + ", ".join(f"{k} shows {shown.get(k, 0)}, expected {wanted.get(k, 0)}" for k in keys[:10])
        )


def describe(label: str, slugs: Iterable[str]) -> str:
    items = sorted(slugs)
    if not items:
        return ""
    more = f" and {len(items) - 5} more" if len(items) > 5 else ""
    return label + ", ".join(items[:5]) + more


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m benchmarks.invariants OUTPUT_FOLDER LISTINGS_FOLDER", file=sys.stderr)
        return 2
    problems = check_site(Path(args[0]), Path(args[1]))
    for problem in problems:
        print(problem, file=sys.stderr)
    print("Nothing lost: every count agrees." if not problems else f"{len(problems)} disagreements.")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
