"""The listing fixtures: every file in tests/listings/invalid/ must produce exactly the problems
its `# expect: LINE:COL: FIELD: phrase` comments name (FIELD `-` for the file as a whole; the
phrase is looked for in what is printed after the position, e.g. `"postcode" in the first
location: "HX1" is not a UK postcode`), and every file in tests/listings/valid/ must produce none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from recovery_directory.listing.loader import MAX_BYTES
from recovery_directory.listing.validate import check_file, fast_schema_validator, schema_validator

HERE = Path(__file__).resolve().parent
INVALID = sorted((HERE / "listings" / "invalid").glob("*.yaml"))
VALID = sorted((HERE / "listings" / "valid").glob("*.yaml"))
SAMPLES = sorted((HERE.parent / "content" / "organisations").glob("*.yaml"))
EXPECT = re.compile(rb"^# expect: (\d+):(\d+): (\S+): (.+?)\r?$", re.MULTILINE)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", "2026-11-01")


def expectations(raw: bytes) -> list[tuple[int, int, str, str]]:
    """Read from bytes: some fixtures are deliberately not UTF-8."""
    return [
        (int(line), int(column), "" if field == b"-" else field.decode(), phrase.decode())
        for line, column, field, phrase in EXPECT.findall(raw)
    ]


def assert_problems_match(path: Path, expected: list[tuple[int, int, str, str]]) -> None:
    assert expected, f"{path.name} has no `# expect:` line"
    problems = check_file(path).problems
    unmatched = list(problems)
    for line, column, field, phrase in expected:
        match = next(
            (p for p in unmatched if (p.line, p.column, p.field) == (line, column, field) and phrase in p.explanation),
            None,
        )
        assert match is not None, f"{path.name}: expected {line}:{column}: {field}: {phrase}\ngot:\n" + "\n".join(
            map(str, problems)
        )
        assert match.path == str(path)
        unmatched.remove(match)
    assert not unmatched, f"{path.name}: unexpected problems:\n" + "\n".join(map(str, unmatched))


def test_the_corpus_is_large_enough() -> None:
    assert len(INVALID) >= 80
    assert len(VALID) >= 8


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_listing(path: Path) -> None:
    assert_problems_match(path, expectations(path.read_bytes()))


@pytest.mark.parametrize("path", VALID + SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_valid_listing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if path in SAMPLES:  # sample content is checked against the real date, as the build does
        monkeypatch.delenv("RECOVERY_DIRECTORY_TODAY")
    result = check_file(path)
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert result.data is not None and result.data["name"]


def test_a_file_over_the_size_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    """1 MB of otherwise valid YAML (generated here rather than committed)."""
    path = tmp_path / "one-megabyte.yaml"
    filler = "description: |\n" + ("  " + "a long pasted paragraph " * 3 + "\n") * 14_000
    path.write_text((HERE / "listings" / "valid" / "minimal.yaml").read_text() + filler, encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    assert_problems_match(path, [(1, 1, "", f"a listing can be at most {MAX_BYTES:,} bytes")])


def test_postcodes_are_normalised() -> None:
    data = check_file(HERE / "listings" / "valid" / "lowercase-unspaced-postcode.yaml").data
    assert [location["postcode"] for location in data["locations"]] == ["HX1 1RE", "SW1A 1AA"]


def test_yaml_1_1_traps_stay_text() -> None:
    data = check_file(HERE / "listings" / "valid" / "unquoted-times.yaml").data
    hours = data["locations"][0]["hours"]
    assert (hours[0]["opens"], hours[0]["closes"], hours[1]["opens"]) == ("18:30", "20:00", "09:05")
    assert data["last_verified"] == "2026-09-01"


def test_script_in_text_is_kept_as_text() -> None:
    data = check_file(HERE / "listings" / "valid" / "script-in-text-fields.yaml").data
    assert data["name"].startswith("<script>")


def test_a_future_date_depends_on_today(monkeypatch: pytest.MonkeyPatch) -> None:
    path = HERE / "listings" / "valid" / "minimal.yaml"
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", "2026-09-30")
    assert [p.field for p in check_file(path).problems] == ["last_verified"]


@pytest.mark.parametrize("path", INVALID + VALID + SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_and_reference_schema_validators_agree(path: Path) -> None:
    """jsonschema-rs only ever says "valid" quickly; it must never accept what jsonschema rejects."""
    from recovery_directory.listing.loader import ListingLoadError, load_listing

    try:
        data = load_listing(path).data
    except ListingLoadError:
        return
    assert fast_schema_validator().is_valid(data) == schema_validator().is_valid(data)
