"""The Coverage page and coverage.csv: every UK local authority (from the ONS data), by nation,
with areas x types counts that agree with the area and type index pages, authorities without
listings shown as the gaps they are, gaps marked in words (not colour alone), national services
apart, closed ones out; totals on screen at 1280 px and nothing overflowing at 390 px."""

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
from recovery_directory.geocoding.authorities import NATION_ORDER, authorities, by_nation
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
    """(column type slugs, {row slug or label: cell texts, "All types" first}) from a coverage
    table; a row without a link (an authority with no listings) is keyed by its name."""
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


def nation_tables(page: BeautifulSoup) -> list[Any]:
    return page.select("main table")[:-1]


def test_every_uk_authority_is_listed_by_nation(coverage_page):
    tables = nation_tables(coverage_page)
    expected = by_nation()
    assert list(expected) == NATION_ORDER and len(tables) == len(NATION_ORDER)
    for table, (nation, members) in zip(tables, expected.items(), strict=True):
        assert table.caption.get_text(strip=True).startswith(f"{nation}:")
        names = [tr.find("th").get_text(strip=True) for tr in table.select("tbody tr")]
        assert names == [authority.name for authority in members]
    assert sum(len(members) for members in expected.values()) == len(authorities())


def test_local_counts_match_the_area_pages(sample_site, coverage_page):
    area_counts = index_counts(sample_site / "areas" / "index.html")
    type_label = {code.replace("_", "-"): name for code, name in labels("types").items()}
    slugs = {authority.name: authority.slug for authority in authorities().values()}
    linked = {}
    for table in nation_tables(coverage_page):
        columns, rows = table_rows(table)
        assert columns == list(type_label)
        linked.update({key: cells for key, cells in rows.items() if number(cells[0]) > 0})
        for key, cells in rows.items():
            if number(cells[0]) == 0:  # no listings: a gap, with no area page to link to
                assert cells[0] == "None" and cells[1:] == ["0"] * len(columns), key
                assert not (sample_site / "areas" / slugs[key]).exists(), key
    assert set(linked) == set(area_counts) - {"national"}
    for area, cells in linked.items():
        assert number(cells[0]) == area_counts[area], area  # "All types" = the area page's count
        # Each cell = listings on the area's own page carrying that type's label.
        cards = soup_of(sample_site / "areas" / area / "index.html").select("main li.card")
        for slug, cell in zip(type_label, cells[1:], strict=True):
            on_page = sum(type_label[slug] in [li.get_text(strip=True) for li in card.select(".labels li")]
                          for card in cards)
            assert number(cell) == on_page, (area, slug)


def test_national_and_total_rows_match_the_index_pages(sample_site, coverage_page):
    columns, rows = table_rows(coverage_page.select("main table")[-1])
    area_counts = index_counts(sample_site / "areas" / "index.html")
    type_counts = index_counts(sample_site / "types" / "index.html")
    assert number(rows["national"][0]) == area_counts["national"]
    totals = rows["All listings, each counted once"]
    assert {slug: number(cell) for slug, cell in zip(columns, totals[1:], strict=True)} == type_counts
    files = (ROOT / "content" / "organisations").glob("*.yaml")
    listings = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    assert number(totals[0]) == sum(item.get("status", "active") != "closed" for item in listings)


def test_gaps_are_marked_in_words_not_colour_alone(coverage_page):
    for table in nation_tables(coverage_page):
        for tr in table.select("tbody tr"):
            listed = tr.find("th").a is not None
            for position, td in enumerate(tr.find_all("td")):
                marks, text = td.find_all("mark"), td.get_text(strip=True)
                if text == "None":
                    assert len(marks) == 1  # highlighted, and the word itself says it
                    assert listed or position == 0  # an unlisted authority's gap is its total
                else:
                    assert not marks and int(text) >= 0 and (int(text) > 0 or not listed)
        assert table.get("aria-describedby") == "gap-key"
    assert "gap" in coverage_page.select_one("#gap-key").get_text()
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


def test_coverage_csv_carries_every_authority_with_its_gss_code(sample_site, coverage_page):
    raw = (sample_site / "data" / "coverage.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    codes = list(labels("types"))
    local = [row for row in rows if row["scope"] == "local"]
    assert [(row["gss_code"], row["area"], row["nation"]) for row in local] == [
        (a.code, a.name, a.nation) for members in by_nation().values() for a in members
    ]
    assert [row["scope"] for row in rows] == ["local"] * len(local) + ["national", "total"]
    page_rows = {}
    for table in coverage_page.select("main table"):
        page_rows.update(table_rows(table)[1])
    by_key = {row["area_slug"] or row["area"]: row for row in rows}
    for key, cells in page_rows.items():
        row = by_key[key if key in by_key else "All listings (each counted once)"]
        assert [int(row["all_types"])] + [int(row[code]) for code in codes] == [number(cell) for cell in cells]


@pytest.mark.browser
def test_coverage_page_passes_axe_without_scripts(page, axe, sample_server):
    response = page.goto(sample_server + "/coverage/")
    assert response.status == 200
    page.evaluate((ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))  # CSP-proof
    assert axe(page) == []
    assert page.errors == []
    assert page.locator("main table caption").count() == len(NATION_ORDER) + 1


@pytest.mark.browser
def test_totals_fit_a_1280_screen_and_nothing_overflows_a_phone(page, sample_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(sample_server + "/coverage/")
    # Every authority's "All types" total is on screen without scrolling sideways.
    rights = page.locator("main table tbody td:nth-child(2)").evaluate_all(
        "cells => cells.map((cell) => cell.getBoundingClientRect().right)"
    )
    assert len(rights) == len(authorities()) + 2 and max(rights) <= 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(sample_server + "/coverage/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself never scrolls sideways
    # The wide tables scroll inside their own focusable regions, and those fit the screen.
    boxes = page.locator("main .table-scroll").evaluate_all(
        "regions => regions.map((r) => [r.getBoundingClientRect().left, r.getBoundingClientRect().right])"
    )
    assert boxes and all(left >= 0 and right <= 390 for left, right in boxes)
    totals = page.locator("main table tbody td:nth-child(2)").evaluate_all(
        "cells => cells.map((cell) => cell.getBoundingClientRect().right)"
    )
    assert max(totals) <= 390  # totals sit beside the names, so a phone shows them too


# --- the rules, on listings made for the purpose ---

def make_org(slug: str, types: list[str], areas: list[str], status: str = "active", **fields: Any) -> Any:
    """A listing; local ones get a place unless `locations` is given."""
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
    leeds, wakefield = (row for row in report.local if row.area.name in ("Leeds", "Wakefield"))
    assert (leeds.area.name, leeds.counts["lero"], leeds.counts["recovery_housing"], leeds.total) == ("Leeds", 1, 1, 2)
    assert wakefield.counts["lero"] == 1 and wakefield.gaps == [c for c in labels("types") if c != "lero"]
    assert report.national.counts["community_support_24_7"] == 1 and report.national.total == 1
    assert all(row.counts["community_support_24_7"] == 0 for row in report.local)
    assert len(report.local) == len(authorities()) and len(report.listed) == 2
    assert report.type_totals["lero"] == 1 and report.total == 3  # "paused" once, though in two areas
    assert [area.name for area in report.areas_without("recovery_housing")] == ["Wakefield"]


def test_a_local_service_without_a_venue_is_local_not_national():
    """A Kirklees-only phone line is for people in Kirklees: not in "National and online" (shown
    to a GP in Cornwall as open to anyone), on the area page, in search or on the handout."""
    from recovery_directory.exports.search_index import search_records
    from recovery_directory.outputs.shortlist import handout_record

    line = make_org("kirklees-line", ["recovery_coaching"], ["Kirklees"], attendance=["phone"], locations=[])
    anywhere = make_org("anywhere", ["mutual_aid"], [], attendance=["online"], locations=[])
    night = make_org("night", ["community_support_24_7"], ["national"], attendance=["phone"])
    directory = Directory([line, anywhere, night])
    groups = {area.slug: [org.slug for org in area.organisations] for area in directory.areas}
    assert groups["kirklees"] == ["kirklees-line"]
    assert groups["national"] == ["anywhere", "night"]  # says national, or names no area and no place
    assert {record["slug"]: record["national"] for record in search_records(directory)} == {
        "kirklees-line": False, "anywhere": True, "night": True,
    }
    assert handout_record(line, {})["national"] is False
    kirklees = next(row for row in coverage(directory).local if row.area.name == "Kirklees")
    assert kirklees.total == 1 and coverage(directory).national.total == 2


def test_only_real_authorities_reach_the_coverage_csv():
    """Area names in the table come from the ONS list, never from a listing's text."""
    report = coverage(Directory([make_org("odd", ["lero"], ["=cmd|' /C calc'!A0"])]))
    rows = list(csv.reader(io.StringIO(coverage_csv(report).decode("utf-8-sig"))))
    assert not [row for row in rows if "cmd" in ",".join(row)]
    assert rows[-1][1] == "All listings (each counted once)" and rows[-1][-1] == "1"
