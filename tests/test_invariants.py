"""Nothing lost (issue #10, DESIGN.md): listing files = listing pages = search records = map
points = JSON export records, and type and area counts agree everywhere. benchmarks/invariants.py
does the checking, on built files only; the benchmark runs the same check on 10,000 listings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from site_tools import build_site

from benchmarks.invariants import check_site, map_points
from benchmarks.synthetic import generate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_LISTINGS = ROOT / "content" / "organisations"


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("synthetic-300")
    settings = generate(300, root)
    output = root / "output"
    build_site(output, settings=settings)
    return output, root / "content" / "organisations"


def test_nothing_lost_in_the_sample_build(sample_site: Path) -> None:
    assert check_site(sample_site, SAMPLE_LISTINGS) == []


def test_the_sample_build_has_something_to_lose(sample_site: Path) -> None:
    """The check above compares real things: pins, a closed listing, several areas and types."""
    assert sum(map_points(sample_site).values()) >= 10
    document = json.loads((sample_site / "data" / "organisations.json").read_text(encoding="utf-8"))
    assert len(list(SAMPLE_LISTINGS.glob("*.yaml"))) > document["count"] >= 10  # a closed one is left out


@pytest.mark.slow
def test_nothing_lost_in_a_300_listing_synthetic_build(synthetic_site: tuple[Path, Path]) -> None:
    output, listings = synthetic_site
    assert len(list(listings.glob("*.yaml"))) == 300
    assert check_site(output, listings) == []


# -- the check can fail: each kind of loss is reported ----------------------------------------------
@pytest.fixture
def damaged_copy(sample_site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(sample_site, copy, ignore=shutil.ignore_patterns("vendor", "theme"))
    return copy


def test_a_missing_listing_page_is_reported(damaged_copy: Path) -> None:
    shutil.rmtree(damaged_copy / "organisations" / "calder-valley-recovery-cafe")
    problems = check_site(damaged_copy, SAMPLE_LISTINGS)
    assert any(p.startswith("listing pages") and "calder-valley-recovery-cafe" in p for p in problems), problems


def test_a_missing_map_point_is_reported(damaged_copy: Path) -> None:
    script = damaged_copy / "map" / "directory-map.js"
    lines = script.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("var data = "))
    rows = json.loads(lines[index].removeprefix("var data = ").rstrip(";"))
    lines[index] = "var data = " + json.dumps(rows[1:]) + ";"
    script.write_text("\n".join(lines), encoding="utf-8")
    problems = check_site(damaged_copy, SAMPLE_LISTINGS)
    assert any(p.startswith("map points") for p in problems), problems


def test_a_record_missing_from_the_export_and_search_is_reported(damaged_copy: Path) -> None:
    path = damaged_copy / "data" / "organisations.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["organisations"] = document["organisations"][1:]
    document["count"] -= 1
    path.write_text(json.dumps(document), encoding="utf-8")
    index_path = damaged_copy / "search" / "index.json"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["records"] = index["records"][:-1]
    index_path.write_text(json.dumps(index), encoding="utf-8")
    for folder in ("details", "text"):  # the record's details and long text go with it
        shards = sorted((damaged_copy / "search" / folder).glob("*.json"), key=lambda path: int(path.stem))
        last = json.loads(shards[-1].read_text(encoding="utf-8"))
        last["records"] = last["records"][:-1]
        shards[-1].write_text(json.dumps(last), encoding="utf-8")
    problems = check_site(damaged_copy, SAMPLE_LISTINGS)
    assert any(p.startswith("data/organisations.json") for p in problems), problems
    assert any(p.startswith("search/index.json") for p in problems), problems


def test_a_wrong_count_on_an_index_page_is_reported(damaged_copy: Path) -> None:
    path = damaged_copy / "types" / "index.html"
    html = path.read_text(encoding="utf-8")
    assert "4 listings" in html
    path.write_text(html.replace("4 listings", "5 listings", 1), encoding="utf-8")
    area_index = damaged_copy / "areas" / "index.html"
    area_index.write_text(area_index.read_text(encoding="utf-8").replace("2 listings", "7 listings", 1), "utf-8")
    problems = check_site(damaged_copy, SAMPLE_LISTINGS)
    assert any(p.startswith("type counts on /types/") for p in problems), problems
    assert any(p.startswith("area counts on /areas/") for p in problems), problems


def test_a_listing_missing_from_an_area_page_is_reported(damaged_copy: Path) -> None:
    path = damaged_copy / "areas" / "calderdale" / "index.html"
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace("organisations/calder-valley-recovery-cafe/", "organisations/elsewhere/"), "utf-8")
    problems = check_site(damaged_copy, SAMPLE_LISTINGS)
    assert any(p.startswith("areas/calderdale/") and "calder-valley-recovery-cafe" in p for p in problems), problems
