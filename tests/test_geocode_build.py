"""The real `pelican` build and geocoding: offline by default, loud about gaps in CI.

The sample build must make no request even with the geocoders pointed at live loopback
services. A new listing with a real postcode is placed from the ONS data, so a volunteer's pull
request builds green with `--fatal warnings` and no network. A location the offline data can't
place (an address without a postcode) and the cache doesn't hold is published without a pin, and
with `--fatal warnings` (CI, Netlify) that gap fails the build unless GEOCODE_ALLOW_MISSING is set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fake_services import FakeService, postcodes_io_routes, refused_url
from recovery_directory.geocoding import ons_postcodes
from recovery_directory.geocoding.authorities import authorities
from site_tools import build_site
from temp_project import make_project

NEW_LISTING = """\
name: Uncached Recovery Group (sample listing)
types: [mutual_aid]
summary: A fictional listing whose address is not in the geocode cache yet.
areas_served: [Leeds]
locations:
  - town: Leeds
    address: Hut 1
last_verified: 2026-10-01
"""


def new_real_postcode() -> ons_postcodes.PostcodeRecord:
    """A real postcode no sample listing or cache entry uses: the first in LS6 with a point."""
    shard = ons_postcodes.shard("L")
    for pcd, east in zip(shard.pcd, shard.east, strict=True):
        if pcd.startswith("LS6 ") and east == east:  # not NaN: it has a grid reference
            postcode = ons_postcodes.from_ons_form(pcd)
            return ons_postcodes.lookup([postcode])[postcode]
    raise AssertionError("no LS6 postcode in the data")


@pytest.fixture
def services():
    with FakeService(postcodes_io_routes()) as postcodes, FakeService({}) as nominatim:
        yield postcodes, nominatim


def test_the_sample_build_makes_no_request_even_with_live_geocoders(tmp_path: Path, services):
    postcodes, nominatim = services
    settings = make_project(
        tmp_path / "project", settings={"POSTCODES_IO_URL": postcodes.url, "NOMINATIM_URL": nominatim.url}
    )
    cache = tmp_path / "project" / "geocoding" / "cache.json"
    before = cache.read_bytes()
    result = build_site(tmp_path / "out", settings=settings, extra=["--fatal", "warnings"])
    assert result.returncode == 0
    assert postcodes.requests == [] and nominatim.requests == []
    assert cache.read_bytes() == before


def test_the_sample_build_succeeds_with_the_geocoders_unreachable(tmp_path: Path):
    settings = make_project(
        tmp_path / "project", settings={"POSTCODES_IO_URL": refused_url(), "NOMINATIM_URL": refused_url()}
    )
    assert build_site(tmp_path / "out", settings=settings, extra=["--fatal", "warnings"]).returncode == 0


def test_a_new_real_postcode_builds_with_fatal_warnings_and_no_network(tmp_path: Path):
    record = new_real_postcode()
    offline = {"POSTCODES_IO_URL": refused_url(), "NOMINATIM_URL": refused_url()}
    path = make_project(tmp_path / "project", settings=offline)
    cache = tmp_path / "project" / "geocoding" / "cache.json"
    assert record.postcode not in cache.read_text(encoding="utf-8")
    listing = NEW_LISTING.replace("    address: Hut 1", f"    postcode: {record.postcode.lower()}")
    listings = tmp_path / "project" / "content" / "organisations"
    (listings / "new-postcode-group.yaml").write_text(listing, encoding="utf-8")
    before = cache.read_bytes()
    out = tmp_path / "out"
    result = build_site(out, settings=path, extra=["--fatal", "warnings"], check=False)
    assert result.returncode == 0, result.stderr
    assert cache.read_bytes() == before  # nothing to add: the offline data answered
    records = json.loads((out / "data" / "organisations.json").read_text(encoding="utf-8"))["organisations"]
    (location,) = next(r for r in records if r["slug"] == "new-postcode-group")["locations"]
    assert location["postcode"] == record.postcode
    assert location["coordinates"] == {"lat": record.lat, "lon": record.lon}
    assert location["local_authority_code"] == record.authority_code
    assert location["local_authority"] == authorities()[record.authority_code].name


def _project_with_uncached_listing(tmp_path: Path, **settings) -> Path:
    path = make_project(tmp_path / "project", settings=settings)
    (tmp_path / "project" / "content" / "organisations" / "uncached-recovery-group.yaml").write_text(
        NEW_LISTING, encoding="utf-8"
    )
    return path


def test_a_missing_pin_fails_a_fatal_warnings_build_and_names_the_fix(tmp_path: Path):
    settings = _project_with_uncached_listing(tmp_path)
    result = build_site(tmp_path / "out", settings=settings, extra=["--fatal", "warnings"], check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "uncached-recovery-group.yaml" in output
    assert "recovery-directory geocode" in output


def test_a_missing_pin_is_published_without_a_pin_when_allowed(tmp_path: Path):
    settings = _project_with_uncached_listing(tmp_path, GEOCODE_ALLOW_MISSING=True)
    out = tmp_path / "out"
    result = build_site(out, settings=settings, extra=["--fatal", "warnings"], check=False)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((out / "organisations" / "uncached-recovery-group" / "index.html").read_text(), "html.parser")
    assert page.h1.get_text(strip=True) == "Uncached Recovery Group (sample listing)"
    records = json.loads((out / "data" / "organisations.json").read_text(encoding="utf-8"))["organisations"]
    listing = next(r for r in records if r["slug"] == "uncached-recovery-group")
    assert [location.get("coordinates") for location in listing["locations"]] == [None]
    assert all(r["locations"][0]["coordinates"] for r in records if r["slug"] == "calder-valley-recovery-cafe")
