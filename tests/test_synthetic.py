"""The benchmark's synthetic listings are valid, placed offline from the ONS data, fictional and repeatable."""

from __future__ import annotations

from pathlib import Path

import pytest
from recovery_directory.geocoding.cache import GeocodeCache, location_query
from recovery_directory.geocoding.offline import ONSPostcodes
from recovery_directory.listing.checks import inside_uk
from recovery_directory.listing.loader import load_listing
from recovery_directory.listing.validate import check_file
from recovery_directory.postcodes import is_outcode
from recovery_directory.settings import load_settings

from benchmarks.synthetic import generate
from benchmarks.uk_districts import DISTRICTS, DRAMA_PHONE_PREFIXES

N = 150


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("synthetic")
    return root, generate(N, root, seed=7)


def listing_paths(root: Path) -> list[Path]:
    return sorted((root / "content" / "organisations").glob("*.yaml"))


def test_every_listing_passes_the_validator(synthetic: tuple[Path, Path]) -> None:
    root, _ = synthetic
    paths = listing_paths(root)
    assert len(paths) == N
    problems = [str(problem) for path in paths for problem in check_file(path).problems]
    assert problems == []


def test_every_postcode_is_placed_offline_from_the_ons_data(synthetic: tuple[Path, Path]) -> None:
    root, _ = synthetic
    assert len(GeocodeCache(root / "geocoding" / "cache.json")) == 0  # nothing the offline data can't answer
    queries = {
        location_query(location)
        for path in listing_paths(root)
        for location in load_listing(path).data.get("locations", [])
    }
    queries.discard(None)
    assert queries, "some listings should have locations"
    placed = ONSPostcodes().geocode_many(queries)
    assert set(placed) == queries
    assert all(inside_uk(*place.point[:2]) and place.raw["local_authority_code"] for place in placed.values())


def test_listings_are_fictional_and_varied(synthetic: tuple[Path, Path]) -> None:
    root, _ = synthetic
    data = [load_listing(path).data for path in listing_paths(root)]
    assert all(item["name"].endswith("(synthetic)") and "example.org" in item["website"] for item in data)
    prefixes = tuple(DRAMA_PHONE_PREFIXES.values())
    assert all(phone["number"].startswith(prefixes) for item in data for phone in item.get("phones", []))
    location_counts = {len(item.get("locations", [])) for item in data}
    assert location_counts == {0, 1, 2, 3}
    assert any(item["areas_served"] == ["national"] for item in data)
    assert len({code for item in data for code in item["types"]}) >= 9
    assert any(item.get("status") == "closed" for item in data)
    lengths = sorted(len(item["description"]) for item in data)
    assert 250 < lengths[len(lengths) // 2] < 2000


def test_the_same_seed_gives_the_same_files(synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = synthetic
    generate(20, tmp_path, seed=7)
    for path in listing_paths(tmp_path):
        assert path.read_text(encoding="utf-8") == (root / "content" / "organisations" / path.name).read_text(
            encoding="utf-8"
        )


def test_settings_point_pelican_at_the_synthetic_folder(synthetic: tuple[Path, Path]) -> None:
    root, settings_path = synthetic
    settings = load_settings(settings_path)
    assert Path(settings["PATH"]) == root / "content"
    assert Path(settings["GEOCODE_CACHE_PATH"]) == root / "geocoding" / "cache.json"
    assert settings["PLUGINS"] == ["recovery_directory"]


def test_district_table_is_real_outcodes_inside_the_uk() -> None:
    assert len(DISTRICTS) >= 200
    assert len({d.outcode for d in DISTRICTS}) == len(DISTRICTS)
    assert all(is_outcode(d.outcode) and inside_uk(d.lat, d.lon) for d in DISTRICTS)
    assert {d.region for d in DISTRICTS} <= set(DRAMA_PHONE_PREFIXES)
