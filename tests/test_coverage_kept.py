"""The coverage page is written again only when what `coverage.counts` describes changed (its
areas and counts), so it must show nothing else: its template may read no listing's fields."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader
from recovery_directory.directory import load_directory
from recovery_directory.listing.model import type_slug
from recovery_directory.outputs.coverage import CSV_PATH, counts, coverage
from site_tools import ROOT


class Untouchable:
    """A listing the page may count but not read."""

    def __getattr__(self, name: str):  # noqa: ANN204
        raise AssertionError(f"the coverage page reads a listing's {name!r}: describe it in coverage.counts")


def test_the_coverage_page_reads_counts_and_areas_not_listings():
    listings = sorted((ROOT / "content" / "organisations").glob("*.yaml"))
    report = coverage(load_directory(listings, ROOT).directory)
    described = repr(counts(report))
    rows = [*report.local] + ([report.national] if report.national else [])
    assert any(row.total for row in rows)
    for row in rows:
        row.area.organisations = [Untouchable() for _ in row.area.organisations]
    assert repr(counts(report)) == described  # counts read no listing either

    env = Environment(loader=FileSystemLoader(ROOT / "theme" / "templates"), trim_blocks=True, lstrip_blocks=True,
                      autoescape=True)
    env.filters["type_slug"] = type_slug
    template = env.get_template("coverage.html")
    context = template.new_context({"coverage": report, "coverage_csv": CSV_PATH, "SITEURL": ""})
    html = "".join(template.blocks["content"](context))
    assert "Local authority" in html and report.nations[0].name in html
