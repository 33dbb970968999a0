"""The real `pelican` build stops on any invalid listing: it names every broken file with its
line, writes nothing, and prints no traceback (Pelican alone would skip the file silently)."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_tools import ROOT, build_site

INVALID = Path(__file__).resolve().parent / "listings" / "invalid"


def project_copy(tmp_path: Path, broken: list[str]) -> Path:
    """The sample content (and the geocode cache beside it) plus some broken listings."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "geocoding", tmp_path / "geocoding")
    for name in broken:
        shutil.copy(INVALID / f"{name}.yaml", tmp_path / "content" / "organisations")
    return tmp_path / "content"


def failed_build(tmp_path: Path, broken: list[str]) -> tuple[str, Path]:
    content = project_copy(tmp_path, broken)
    output = tmp_path / "output"
    result = build_site(output, content=content, check=False)
    text = result.stdout + result.stderr
    assert result.returncode != 0, text
    assert "Traceback" not in text
    assert not output.exists() or not any(output.rglob("*")), sorted(map(str, output.rglob("*")))[:10]
    return result.stderr, content / "organisations"


def test_one_broken_listing_stops_the_build(tmp_path: Path) -> None:
    stderr, folder = failed_build(tmp_path, ["postcode-too-short"])
    assert f"{folder}/postcode-too-short.yaml:19:15: locations[0].postcode:" in stderr.replace("\\", "/")
    assert '"HX1 1A" is not a UK postcode' in stderr
    assert "Build stopped: 1 of" in stderr


def test_every_broken_listing_is_reported(tmp_path: Path) -> None:
    stderr, folder = failed_build(tmp_path, ["duplicate-key", "hours-closes-before-opens"])
    assert f"{folder}/duplicate-key.yaml:4:1:" in stderr
    assert f"{folder}/hours-closes-before-opens.yaml:22:52: locations[0].hours[0].closes:" in stderr
    assert "Build stopped: 2 of" in stderr
