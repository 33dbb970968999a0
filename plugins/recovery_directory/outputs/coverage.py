"""/coverage/ (theme/templates/coverage.html) and /data/coverage.csv, the commissioner's view:
every UK local authority, by nation, with how many published listings of each type it has.
Authorities with no listings at all are rows too: they are the biggest gaps.

Counts follow the index pages exactly: an area's listings are `Directory.areas` (a listing serving
three areas counts in each), a type's are `Directory.by_type`; closed listings count nowhere.
National and online services are a row of their own, never added into local areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..directory import Area, Directory
from ..exports.csv_table import csv_bytes
from ..geocoding.authorities import Authority, by_nation
from ..listing.model import NATIONAL
from ..listing.schema import labels
from ..output_parts import KeptPages

CSV_PATH = "data/coverage.csv"
PAGE_PATH = "coverage/index.html"


@dataclass
class CoverageRow:
    area: Area  # for an authority without listings, an Area with none (it has no page)
    counts: dict[str, int]  # type code -> listings of that type in the area, in schema order
    authority: Authority | None = None  # None for the national / online row

    @property
    def total(self) -> int:
        """Listings in the area, each once (the area page's count), not the sum of the types."""
        return len(self.area.organisations)

    @property
    def has_page(self) -> bool:
        return self.total > 0

    @property
    def gaps(self) -> list[str]:
        return [code for code, count in self.counts.items() if count == 0]


@dataclass
class NationCoverage:
    name: str
    rows: list[CoverageRow]

    @property
    def with_listings(self) -> int:
        return sum(row.has_page for row in self.rows)


@dataclass
class Coverage:
    types: dict[str, str]  # code -> label, schema order
    nations: list[NationCoverage]  # England, Wales, Scotland, Northern Ireland; authorities A–Z
    national: CoverageRow | None
    type_totals: dict[str, int]  # listings of each type anywhere, each once (the type page's count)
    total: int  # published listings

    @property
    def local(self) -> list[CoverageRow]:
        """Every authority's row, nation by nation."""
        return [row for nation in self.nations for row in nation.rows]

    @property
    def listed(self) -> list[CoverageRow]:
        """Rows of authorities with at least one listing."""
        return [row for row in self.local if row.has_page]

    def areas_without(self, code: str) -> list[Area]:
        """Authorities with listings but none of this type (possible gaps in what is there)."""
        return [row.area for row in self.listed if row.counts[code] == 0]


def coverage(directory: Directory) -> Coverage:
    types = labels("types")

    def row(area: Area, authority: Authority | None) -> CoverageRow:
        counts = {code: sum(code in org.types for org in area.organisations) for code in types}
        return CoverageRow(area, counts, authority)

    areas = {area.code: area for area in directory.areas if area.code}
    nations = [
        NationCoverage(nation, [row(areas.get(a.code) or Area(a.slug, a.name, code=a.code), a) for a in members])
        for nation, members in by_nation().items()
    ]
    national = next((row(area, None) for area in directory.areas if area.slug == NATIONAL), None)
    totals = {code: len(directory.by_type[code]) for code in types}
    return Coverage(dict(types), nations, national, totals, len(directory.listed))


def counts(report: Coverage) -> list[Any]:
    """Everything the page shows, as plain data: the areas and counts, never a listing (the
    template reads none: tests/test_coverage_kept.py), so an edit that moves no count keeps it."""
    def row(r: CoverageRow) -> list[Any]:
        authority = (r.authority.code, r.authority.name, r.authority.nation) if r.authority else None
        return [r.area.slug, r.area.name, r.area.code, r.area.url, r.counts, r.total, authority]

    nations = [[nation.name, [row(r) for r in nation.rows]] for nation in report.nations]
    national = row(report.national) if report.national else None
    return [report.types, nations, national, report.type_totals, report.total]


def coverage_csv(report: Coverage) -> bytes:
    """The table as CSV: one row per local authority (GSS code, name, nation), then national and
    online, then all listings. area_slug is empty for authorities with no listings (no page)."""
    columns = ["gss_code", "area", "nation", "area_slug", "scope", *report.types, "all_types"]
    rows = [
        {"gss_code": r.authority.code, "area": r.area.name, "nation": r.authority.nation,
         "area_slug": r.area.slug if r.has_page else "", "scope": "local", **r.counts, "all_types": r.total}
        for r in report.local
    ]
    if report.national:
        n = report.national
        rows.append({"gss_code": "", "area": n.area.name, "nation": "", "area_slug": NATIONAL, "scope": "national",
                     **n.counts, "all_types": n.total})
    rows.append({"gss_code": "", "area": "All listings (each counted once)", "nation": "", "area_slug": "",
                 "scope": "total", **report.type_totals, "all_types": report.total})
    return csv_bytes(columns, rows)


ORDER = 60


def write(generator: Any, writer: Any) -> None:
    report = coverage(generator.directory)
    kept = KeptPages(generator, "coverage")  # the page again only when a count or an area changed
    if not kept.skip(PAGE_PATH, [counts(report), CSV_PATH]):
        writer.write_file(
            PAGE_PATH, generator.get_template("coverage"), generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"], url="coverage/", coverage=report, coverage_csv=CSV_PATH,
        )
        kept.written(PAGE_PATH)
    kept.save()
    target = Path(generator.output_path) / CSV_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(coverage_csv(report))
