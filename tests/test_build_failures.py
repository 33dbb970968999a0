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
    assert f'{folder}/postcode-too-short.yaml:19:15: "postcode" in the first location:' in stderr.replace("\\", "/")
    assert '"HX1 1A" is not a UK postcode' in stderr
    assert "Build stopped: 1 of" in stderr


def test_every_broken_listing_is_reported(tmp_path: Path) -> None:
    stderr, folder = failed_build(tmp_path, ["duplicate-key", "hours-closes-before-opens"])
    assert f"{folder}/duplicate-key.yaml:4:1:" in stderr
    where = f"{folder}/hours-closes-before-opens.yaml:22:52: "
    assert where + "\"closes\" in the first location's first opening time:" in stderr
    assert "Build stopped: 2 of" in stderr


def test_every_invalid_fixture_stops_the_build_with_its_expected_lines(tmp_path: Path, monkeypatch) -> None:
    """The whole invalid corpus in one build: each file named at each expected line:column,
    and every sample listing still checked (none reported, none lost)."""
    from recovery_directory.listing.positions import in_words
    from test_validator import expectations

    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", "2026-11-23")  # after every sample listing was verified
    names = sorted(path.stem for path in INVALID.glob("*.yaml"))
    stderr, folder = failed_build(tmp_path, names)
    stderr = stderr.replace("\\", "/")
    for name in names:
        raw = (INVALID / f"{name}.yaml").read_bytes()
        for line, column, field, phrase in expectations(raw):
            where = f"{folder}/{name}.yaml:{line}:{column}: " + (f"{in_words(field)}: " if field else "")
            assert any(
                text.startswith(where) and phrase in text for text in stderr.splitlines()
            ), f"{name}: expected {where}{phrase}"
    samples = len(list(folder.glob("*.yaml"))) - len(names)  # the sample listings beside them, all valid
    assert f"Build stopped: {len(names)} of {len(names) + samples} listings have problems" in stderr
    assert "content/organisations/calder-valley-recovery-cafe.yaml" not in stderr


def test_a_files_problems_are_printed_in_line_order_as_validate_prints_them(tmp_path: Path) -> None:
    """Lines 5, 7, 10, 12 came out as 10, 12, 5, 7: the lines were sorted as text."""
    from conftest import run_cli

    content = project_copy(tmp_path, [])
    listing = content / "organisations" / "many-mistakes.yaml"
    listing.write_text(
        "name: Many Mistakes (sample listing)\n"
        "types: [lero]\n"
        "summary: A listing with a mistake on several lines.\n"
        "areas_served: [Leeds]\n"
        "email: hello.example.org\n"
        "phones:\n"
        '  - number: "0113 496"\n'
        "last_verified: 2026-10-01\n"
        "locations:\n"
        "  - town: Leeds\n"
        "    postcode: LS1 4ZZZ\n"
        '    hours: [{days: [mon], opens: "25:00", closes: "18:00"}]\n',
        encoding="utf-8",
    )
    result = build_site(tmp_path / "output", content=content, check=False)
    built = [line.split(": ", 1)[0] for line in result.stderr.splitlines() if line.startswith(str(listing))]
    checked = run_cli("validate", str(listing), env={"RECOVERY_DIRECTORY_TODAY": "2026-11-01"})
    said = [line.split(": ", 1)[0] for line in checked.stdout.splitlines() if line.startswith(str(listing))]
    lines = [int(where.split(":")[-2]) for where in built]
    assert len(lines) >= 4 and lines == sorted(lines) and lines[0] < 10 < lines[-1], built
    assert built == said
