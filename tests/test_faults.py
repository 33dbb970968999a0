"""Faults (issue #10): the geocoder down, a listing deleted, a changed address,
an output folder that can't be written, an invalid listing on rebuild. Each gives a clear
message, and nothing half-written is published. Every build is a real `pelican` subprocess on a
copy of the project (tests/temp_project.py)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fake_services import refused_url
from recovery_directory.geocoding import ons_postcodes
from site_tools import build_site
from temp_project import ROOT, make_project

from benchmarks.invariants import check_site, map_points

MOVED = "calder-valley-recovery-cafe"  # its only location: 12 Example Street, Halifax, HX1 1RE
NEW_POSTCODE = "HX1 2YL"  # another real postcode: placed offline from the ONS data too
ADDRESS_QUERY = "12 Example Street, Halifax"  # the location without its postcode: only Nominatim knows it
INVALID = ROOT / "tests" / "listings" / "invalid" / "postcode-too-short.yaml"
DELETED = "leeds-families-together"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` → a hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def move_listing(project: Path, slug: str = MOVED, postcode: str = NEW_POSTCODE) -> Path:
    listing = project / "content" / "organisations" / f"{slug}.yaml"
    text = listing.read_text(encoding="utf-8")
    assert text.count("postcode: HX1 1RE") == 1
    listing.write_text(text.replace("postcode: HX1 1RE", f"postcode: {postcode}"), encoding="utf-8")
    return listing


def drop_postcode(project: Path, slug: str = MOVED) -> Path:
    """The location keeps only its address, which the offline postcode data can't place."""
    listing = project / "content" / "organisations" / f"{slug}.yaml"
    text = listing.read_text(encoding="utf-8")
    assert text.count("    postcode: HX1 1RE\n") == 1
    listing.write_text(text.replace("    postcode: HX1 1RE\n", ""), encoding="utf-8")
    return listing


def listing_record(output: Path, slug: str) -> dict:
    document = json.loads((output / "data" / "organisations.json").read_text(encoding="utf-8"))
    return next(org for org in document["organisations"] if org["slug"] == slug)


def offline_geocoder_settings() -> dict:
    down = refused_url()
    return {"POSTCODES_IO_URL": down, "NOMINATIM_URL": down, "GEOCODE_TIMEOUT": 2, "GEOCODE_RATE_LIMIT_SECONDS": 0}


# -- the geocoder down ----------------------------------------------------------------------------
def test_geocode_command_with_the_geocoder_down(tmp_path: Path) -> None:
    settings = make_project(tmp_path, settings=offline_geocoder_settings())
    listing = drop_postcode(tmp_path)
    cache = tmp_path / "geocoding" / "cache.json"
    before = cache.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "recovery_directory.cli", "geocode", "--settings", str(settings)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert listing.name in result.stderr and ADDRESS_QUERY in result.stderr
    assert "connection refused" in result.stderr and "run this again later" in result.stderr
    assert cache.read_bytes() == before
    assert not list(cache.parent.glob(".cache.json.*"))  # no temporary file left beside it


@pytest.mark.slow
def test_online_build_with_the_geocoder_down_publishes_without_the_pin(tmp_path: Path) -> None:
    settings = make_project(tmp_path, settings={**offline_geocoder_settings(), "GEOCODE_ONLINE": True})
    drop_postcode(tmp_path)
    cache = tmp_path / "geocoding" / "cache.json"
    before = cache.read_bytes()
    output = tmp_path / "output"
    result = build_site(output, settings=settings)
    log = result.stdout + result.stderr
    assert "Traceback" not in log
    assert "connection refused" in log and f"{MOVED}.yaml" in " ".join(log.split())
    assert cache.read_bytes() == before
    assert (output / "organisations" / MOVED / "index.html").is_file()
    assert MOVED not in map_points(output)
    assert all(not location.get("coordinates") for location in listing_record(output, MOVED)["locations"])
    assert check_site(output, tmp_path / "content" / "organisations") == []


# -- a changed address ----------------------------------------------------------------------------
@pytest.mark.slow
def test_a_changed_postcode_gets_its_own_point_not_the_old_one(tmp_path: Path) -> None:
    settings = make_project(tmp_path)
    output = tmp_path / "output"
    build_site(output, settings=settings)
    assert map_points(output)[MOVED] == 1
    old = listing_record(output, MOVED)["locations"][0]

    move_listing(tmp_path)
    build_site(output, settings=settings, extra=["--fatal", "warnings"])
    location = listing_record(output, MOVED)["locations"][0]
    moved = ons_postcodes.lookup([NEW_POSTCODE])[NEW_POSTCODE]
    assert location["postcode"] == NEW_POSTCODE
    assert location["coordinates"] == {"lat": moved.lat, "lon": moved.lon} != old["coordinates"]
    assert location["local_authority_code"] == moved.authority_code == old["local_authority_code"]
    assert map_points(output)[MOVED] == 1
    assert check_site(output, tmp_path / "content" / "organisations") == []


# -- a listing deleted ----------------------------------------------------------------------------
@pytest.mark.slow
def test_a_deleted_listing_leaves_no_trace_after_a_rebuild(tmp_path: Path) -> None:
    settings = make_project(tmp_path)
    output = tmp_path / "output"
    build_site(output, settings=settings)
    assert (output / "organisations" / DELETED / "index.html").is_file()
    count = json.loads((output / "data" / "organisations.json").read_text(encoding="utf-8"))["count"]

    (tmp_path / "content" / "organisations" / f"{DELETED}.yaml").unlink()
    build_site(output, settings=settings)  # as `make build` does it: --delete-output-directory
    assert not (output / "organisations" / DELETED).exists()
    stale = [path for path in snapshot(output) if DELETED.encode() in (output / path).read_bytes()]
    assert stale == []
    assert json.loads((output / "data" / "organisations.json").read_text(encoding="utf-8"))["count"] == count - 1
    assert check_site(output, tmp_path / "content" / "organisations") == []


# -- nothing half-written ----------------------------------------------------------------------------
@pytest.mark.slow
def test_an_invalid_listing_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    """`make build` deletes the output folder; that must wait until every listing is valid."""
    settings = make_project(tmp_path)
    output = tmp_path / "output"
    build_site(output, settings=settings)
    before = snapshot(output)
    shutil.copy(INVALID, tmp_path / "content" / "organisations")
    result = build_site(output, settings=settings, check=False)
    assert result.returncode != 0
    assert "Build stopped" in result.stderr and "postcode-too-short.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == before


@pytest.mark.slow
def test_a_valid_rebuild_still_clears_the_output_folder(tmp_path: Path) -> None:
    settings = make_project(tmp_path)
    output = tmp_path / "output"
    output.mkdir()
    (output / "left-over.html").write_text("<p>from an old build</p>", encoding="utf-8")
    build_site(output, settings=settings)
    assert not (output / "left-over.html").exists() and (output / "index.html").is_file()


def read_only_build(settings: Path, output: Path) -> subprocess.CompletedProcess:
    """Build into `output` made read-only: by its mode for an ordinary user, and for root (who
    ignores modes) by a read-only bind mount in a private mount namespace."""
    command = [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output), "--delete-output-directory"]
    env = {**os.environ, "COLUMNS": "200"}
    if os.geteuid() != 0:
        output.chmod(0o555)
        try:
            return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
        finally:
            output.chmod(0o755)
    if not shutil.which("unshare"):
        pytest.fail("running as root needs util-linux's unshare to make a read-only folder")
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, str(output), *command],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300,
    )


@pytest.mark.slow
def test_a_read_only_output_folder_stops_the_build_with_a_plain_message(tmp_path: Path) -> None:
    settings = make_project(tmp_path)
    output = tmp_path / "output"
    build_site(output, settings=settings)
    before = snapshot(output)
    result = read_only_build(settings, output)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    message = " ".join(result.stderr.split())
    assert f"the output folder {output} can't be written" in message and "Nothing was written" in message
    assert snapshot(output) == before
