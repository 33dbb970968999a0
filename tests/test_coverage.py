"""The Coverage page and coverage.csv: areas x types counts that agree with the area and type
index pages, gaps marked in words (not colour alone), national services apart, closed ones out."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from recovery_directory.directory import Directory
from recovery_directory.listing.model import build_organisation
from recovery_directory.listing.schema import labels
from recovery_directory.outputs.coverage import coverage, coverage_csv

ROOT = Path(__file__).resolve().parents[1]


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def slug_of(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1]


def index_counts(page: Path) -> dict[str, int]:
    """{slug: count} from an index page (/areas/ or /types/): each entry links to its page and
    says "N listings"."""
    counts = {}
    for item in soup_of(page).select("main li"):
        link, count = item.find("a"), item.select_one(".count")
        if link and count:
            counts[slug_of(link["href"])] = int(re.match(r"\d+", count.get_text(strip=True)).group())
    return counts


def table_rows(table: Any) -> tuple[list[str], dict[str, list[str]]]:
    """(column type slugs, {row slug or label: cell texts}) from a coverage table."""
    columns = [slug_of(th.a["href"]) for th in table.select("thead th") if th.a]
    rows = {}
    for tr in table.select("tbody tr"):
        header = tr.find("th")
        key = slug_of(header.a["href"]) if header.a else header.get_text(strip=True)
        rows[key] = [td.get_text(strip=True) for td in tr.find_all("td")]
    return columns, rows


def number(cell: str) -> int:
    return 0 if cell == "None" else int(cell)


@pytest.fixture(scope="module")
def coverage_page(sample_site: Path) -> BeautifulSoup:
    return soup_of(sample_site / "coverage" / "index.html")


def test_local_counts_match_the_area_pages(sample_site, coverage_page):
    tables = coverage_page.select("main table")
    assert len(tables) == 2
    columns, rows = table_rows(tables[0])
    area_counts = index_counts(sample_site / "areas" / "index.html")
    assert set(rows) == set(area_counts) - {"national"}
    type_label = {code.replace("_", "-"): name for code, name in labels("types").items()}
    assert columns == list(type_label)
    for area, cells in rows.items():
        assert number(cells[-1]) == area_counts[area], area  # "All types" = the area page's count
        # Each cell = listings on the area's own page carrying that type's label.
        cards = soup_of(sample_site / "areas" / area / "index.html").select("main li.card")
        for slug, cell in zip(columns, cells[:-1], strict=True):
            on_page = sum(type_label[slug] in [li.get_text(strip=True) for li in card.select(".labels li")]
                          for card in cards)
            assert number(cell) == on_page, (area, slug)


def test_national_and_total_rows_match_the_index_pages(sample_site, coverage_page):
    columns, rows = table_rows(coverage_page.select("main table")[1])
    area_counts = index_counts(sample_site / "areas" / "index.html")
    type_counts = index_counts(sample_site / "types" / "index.html")
    assert number(rows["national"][-1]) == area_counts["national"]
    totals = rows["All listings, each counted once"]
    assert {slug: number(cell) for slug, cell in zip(columns, totals, strict=False)} == type_counts
    files = (ROOT / "content" / "organisations").glob("*.yaml")
    listings = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    assert number(totals[-1]) == sum(item.get("status", "active") != "closed" for item in listings)


def test_gaps_are_marked_in_words_not_colour_alone(coverage_page):
    local = coverage_page.select("main table")[0]
    for td in local.select("tbody td"):
        marks = td.find_all("mark")
        if td.get_text(strip=True) == "None":
            assert len(marks) == 1  # highlighted, and the word itself says it
        else:
            assert not marks and int(td.get_text(strip=True)) > 0
    assert "possible gap" in coverage_page.select_one("#gap-key").get_text()
    assert local.get("aria-describedby") == "gap-key"
    gaps = coverage_page.select_one("dl.coverage-gaps")
    housing = next(dt for dt in gaps.find_all("dt") if dt.get_text(strip=True) == "Recovery housing")
    missing = [slug_of(a["href"]) for a in housing.find_next_sibling("dd").find_all("a")]
    assert "leeds" in missing and "calderdale" not in missing  # Calderdale has Pennine Recovery Homes


def test_tables_have_accessible_markup(coverage_page):
    for table in coverage_page.select("main table"):
        assert table.caption and table.caption.get_text(strip=True)
        assert all(th.get("scope") == "col" for th in table.select("thead th"))
        assert all(tr.find("th").get("scope") == "row" for tr in table.select("tbody tr"))
        region = table.parent
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert region["aria-labelledby"] == table.caption["id"]


def test_coverage_csv_matches_the_page(sample_site, coverage_page):
    raw = (sample_site / "data" / "coverage.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    codes = list(labels("types"))
    local_columns, local = table_rows(coverage_page.select("main table")[0])
    _, others = table_rows(coverage_page.select("main table")[1])
    page_rows = {**local, **others}
    by_key = {row["area_slug"] or row["area"]: row for row in rows}
    assert [row["scope"] for row in rows] == ["local"] * len(local) + ["national", "total"]
    for key, cells in page_rows.items():
        row = by_key[key if key in by_key else "All listings (each counted once)"]
        assert [int(row[code]) for code in codes] + [int(row["all_types"])] == [number(cell) for cell in cells]


@pytest.mark.browser
def test_coverage_page_passes_axe_without_scripts(page, axe, sample_server):
    response = page.goto(sample_server + "/coverage/")
    assert response.status == 200
    page.evaluate((ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))  # CSP-proof
    assert axe(page) == []
    assert page.errors == []
    assert page.locator("main table caption").count() == 2


# --- the rules, on listings made for the purpose ---

def make_org(slug: str, types: list[str], areas: list[str], status: str = "active", **fields: Any) -> Any:
    """A listing; local ones get a place (Directory puts listings without one under national)."""
    if areas != ["national"]:
        fields.setdefault("locations", [{"town": "Leeds", "postcode": "LS1 1AA"}])
    data = {"name": f"{slug.title()} (sample listing)", "types": types, "summary": "A fictional coverage test listing.",
            "areas_served": areas, "last_verified": "2026-01-01", "status": status, **fields}
    return build_organisation(data, slug, f"content/organisations/{slug}.yaml")


def test_closed_listings_count_nowhere_and_national_stays_apart():
    directory = Directory([
        make_org("house", ["recovery_housing"], ["Leeds"]),
        make_org("shut", ["lero"], ["Leeds"], status="closed"),
        make_org("paused", ["lero"], ["Leeds", "Wakefield"], status="temporarily_closed"),
        make_org("line", ["community_support_24_7"], ["national"], attendance=["phone"]),
    ])
    report = coverage(directory)
    leeds, wakefield = report.local
    assert (leeds.area.name, leeds.counts["lero"], leeds.counts["recovery_housing"], leeds.total) == ("Leeds", 1, 1, 2)
    assert wakefield.counts["lero"] == 1 and wakefield.gaps == [c for c in labels("types") if c != "lero"]
    assert report.national.counts["community_support_24_7"] == 1 and report.national.total == 1
    assert all(row.counts["community_support_24_7"] == 0 for row in report.local)
    assert report.type_totals["lero"] == 1 and report.total == 3  # "paused" once, though in two areas
    assert [area.name for area in report.areas_without("recovery_housing")] == ["Wakefield"]


def test_coverage_csv_guards_area_names():
    report = coverage(Directory([make_org("odd", ["lero"], ["=cmd|' /C calc'!A0"])]))
    rows = list(csv.reader(io.StringIO(coverage_csv(report).decode("utf-8-sig"))))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[-1][0] == "All listings (each counted once)" and rows[-1][-1] == "1"
