"""/coverage/ (theme/templates/coverage.html) and /data/coverage.csv, the commissioner's view:
how many published listings of each type each area has, and where an area
has listings but none of a type (a possible gap in provision).

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
from ..listing.model import NATIONAL
from ..listing.schema import labels

CSV_PATH = "data/coverage.csv"


@dataclass
class CoverageRow:
    area: Area
    counts: dict[str, int]  # type code -> listings of that type in the area, in schema order

    @property
    def total(self) -> int:
        """Listings in the area, each once (the area page's count), not the sum of the types."""
        return len(self.area.organisations)

    @property
    def gaps(self) -> list[str]:
        return [code for code, count in self.counts.items() if count == 0]


@dataclass
class Coverage:
    types: dict[str, str]  # code -> label, schema order
    local: list[CoverageRow]
    national: CoverageRow | None
    type_totals: dict[str, int]  # listings of each type anywhere, each once (the type page's count)
    total: int  # published listings

    def areas_without(self, code: str) -> list[Area]:
        return [row.area for row in self.local if row.counts[code] == 0]


def coverage(directory: Directory) -> Coverage:
    types = labels("types")

    def row(area: Area) -> CoverageRow:
        return CoverageRow(area, {code: sum(code in org.types for org in area.organisations) for code in types})

    local = [row(area) for area in directory.areas if area.slug != NATIONAL]
    national = next((row(area) for area in directory.areas if area.slug == NATIONAL), None)
    totals = {code: len(directory.by_type[code]) for code in types}
    return Coverage(dict(types), local, national, totals, len(directory.listed))


def coverage_csv(report: Coverage) -> bytes:
    """The table as CSV: one row per local area, then national and online, then all listings."""
    columns = ["area", "area_slug", "scope", *report.types, "all_types"]
    rows = [
        {"area": r.area.name, "area_slug": r.area.slug, "scope": "local", **r.counts, "all_types": r.total}
        for r in report.local
    ]
    if report.national:
        n = report.national
        rows.append({"area": n.area.name, "area_slug": NATIONAL, "scope": "national", **n.counts, "all_types": n.total})
    rows.append({"area": "All listings (each counted once)", "area_slug": "", "scope": "total",
                 **report.type_totals, "all_types": report.total})
    return csv_bytes(columns, rows)


ORDER = 60


def write(generator: Any, writer: Any) -> None:
    report = coverage(generator.directory)
    writer.write_file(
        "coverage/index.html", generator.get_template("coverage"), generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"], url="coverage/", coverage=report, coverage_csv=CSV_PATH,
    )
    target = Path(generator.output_path) / CSV_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(coverage_csv(report))
