"""The listing fixtures: every file in tests/listings/invalid/ must produce exactly the problems
its `# expect: LINE:COL: FIELD: phrase` comments name (FIELD `-` for the file as a whole; the
phrase is looked for in what is printed after the position, e.g. `"postcode" in the first
location: "HX1" is not a UK postcode`), and every file in tests/listings/valid/ must produce none."""

from __future__ import annotations

import re
import shutil
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


# A "#" after a space in an unquoted value starts a YAML comment (listing/comments.py): the three
# cases a tester found passing with the text cut off, each checked as `validate` prints it.
HASH_CASES = [
    (
        "summary: Peer-led café #1 in Halifax and drop-in for anyone in recovery.",
        "cafe.yaml:3:24: summary: The text after \" #\" would be left out (\"#1 in Halifax and drop-in for "
        'anyone…"), because YAML reads a space followed by # as the start of a comment: this would say just '
        '"Peer-led café". Put the whole value in quotes: summary: "Peer-led café #1 in Halifax and drop-in for '
        'anyone in…". If the words after the # are a note, put the note on a line of its own.',
    ),
    (
        "summary: Peer-led café and drop-in for anyone in recovery.\n"
        "referral:\n  self: true\n  how: Walk in during opening hours (room #2).",
        'cafe.yaml:6:43: "how" in referral: The text after " #" would be left out ("#2)."), because YAML reads a '
        'space followed by # as the start of a comment: this would say just "Walk in during opening hours (room". '
        'Put the whole value in quotes: how: "Walk in during opening hours (room #2).". If the words after the # '
        "are a note, put the note on a line of its own.",
    ),
    (
        "summary: #1 recovery café",
        'cafe.yaml:3:10: summary: The text after " #" would be left out ("#1 recovery café"), because YAML reads a '
        'space followed by # as the start of a comment: this would be empty. Put the whole value in quotes: summary: '
        '"#1 recovery café". If the words after the # are a note, put the note on a line of its own and write the '
        "value after the colon.",
    ),
]


def hash_listing(lines: str) -> str:
    return (
        "# yaml-language-server: $schema=../../schema/organisation.schema.json\n"
        f"name: Example Recovery Café (sample listing)\n{lines}\n"
        "types: [lero]\nareas_served: [Calderdale]\nlast_verified: 2026-10-01\n"
    )


@pytest.mark.parametrize("lines, printed", HASH_CASES, ids=["cut summary", "cut how", "summary starting with #"])
def test_validate_explains_text_cut_off_by_a_hash(lines: str, printed: str, tmp_path: Path) -> None:
    from conftest import run_cli

    (tmp_path / "cafe.yaml").write_text(hash_listing(lines), encoding="utf-8")
    settings = str(HERE.parent / "pelicanconf.py")
    result = run_cli(
        "validate", "cafe.yaml", "--settings", settings, cwd=tmp_path, env={"RECOVERY_DIRECTORY_TODAY": "2026-11-01"}
    )
    assert result.returncode == 1, result.stdout + result.stderr
    summary = "1 listing has problems. Fix the lines above and run this again."
    assert result.stdout.splitlines() == [printed, "", summary]


def test_validate_accepts_every_hash_that_loses_nothing(tmp_path: Path) -> None:
    """In quotes, in a `|` block, with no space before it, on a line of its own, and a note after a
    value that can't hold words (true/false, a code, a time, a postcode …): the fixtures, and the
    same quoted forms the messages above suggest."""
    from conftest import run_cli

    for name in ("hash-that-stays-text", "notes-after-values", "starter-file-filled-in"):
        shutil.copy(HERE / "listings" / "valid" / f"{name}.yaml", tmp_path)
    fixed = 'summary: "Peer-led café #1 in Halifax and drop-in."\nreferral:\n  how: "Room #2."'
    (tmp_path / "fixed.yaml").write_text(hash_listing(fixed), encoding="utf-8")
    result = run_cli("validate", str(tmp_path), env={"RECOVERY_DIRECTORY_TODAY": "2026-11-01"})
    assert (result.returncode, result.stdout.strip()) == (0, "All 4 listings are valid."), result.stdout


def test_the_starter_files_notes_are_not_reported() -> None:
    """`recovery-directory new` writes notes after values (`postcode: CHANGE ME  # e.g. HX1 1AA`):
    only its placeholders are reported, never a comment."""
    from recovery_directory.commands.new import render
    from recovery_directory.listing.validate import check_bytes

    text = render("content/organisations/my-cafe.yaml")
    assert "postcode: CHANGE ME              # e.g. HX1 1AA" in text
    problems = check_bytes("my-cafe.yaml", text.encode()).problems
    assert problems and all("CHANGE ME" in problem.message for problem in problems), "\n".join(map(str, problems))


def test_only_the_formats_checks_py_reads_take_a_note_after_them() -> None:
    """comments.py lets a note follow a text field checks.py reads as a format (a postcode …): the
    value with the note must be refused there (else words could be cut off without a word), and by
    no other text field's check (else that field is missing from comments.FORMATTED_TEXT)."""
    import copy

    from recovery_directory.listing.checks import check_listing
    from recovery_directory.listing.comments import FORMATTED_TEXT, takes_text
    from recovery_directory.listing.loader import load_listing
    from recovery_directory.listing.schema import load_schema, resolve

    def text_fields(node: dict, path: tuple) -> list[tuple]:
        node = resolve(node)
        found = [path] if node.get("type") == "string" and not {"pattern", "format", "oneOf"} & set(node) else []
        for key, child in node.get("properties", {}).items():
            found += text_fields(child, (*path, key))
        if "items" in node:
            found += text_fields(node["items"], (*path, 0))
        return found

    def with_value(data: dict, path: tuple, value: str) -> dict:
        data = copy.deepcopy(data)
        container = data
        for part, following in zip(path, path[1:], strict=False):
            empty = [] if isinstance(following, int) else {}
            if isinstance(part, int):
                if not container:
                    container.append(empty)
                container = container[0]
            else:
                container = container.setdefault(part, empty)
        if isinstance(path[-1], int):
            container[:] = [value]
        else:
            container[path[-1]] = value
        return data

    base = load_listing(HERE / "listings" / "valid" / "every-field.yaml").data
    examples = {"postcode": "LS1 1BA", "email": "hi@example.org", "number": "0113 496 0123",
                "join_phone": "0113 496 0123", "areas_served": "Leeds"}
    fields = text_fields(load_schema(), ())
    assert {next(part for part in reversed(path) if isinstance(part, str)) for path in fields} >= FORMATTED_TEXT
    for path in fields:
        last = next(part for part in reversed(path) if isinstance(part, str))
        value = examples.get(last, "Peer-led café")
        flagged = {where for where, _ in check_listing(with_value(base, path, value + " # a note"), placeholders=False)}
        assert takes_text(path) == (last not in FORMATTED_TEXT) == (path not in flagged), path
        assert path not in {where for where, _ in check_listing(with_value(base, path, value), placeholders=False)}


def test_a_line_indented_with_a_pasted_non_breaking_space_is_named_as_such(tmp_path: Path) -> None:
    """YAML doesn't count a non-breaking space as indenting, so `self` lands outside `referral:`;
    "not a field here" sent people looking for a misspelling."""
    path = tmp_path / "pasted-indent.yaml"
    path.write_text(
        "name: Example Recovery Café (sample listing)\ntypes: [lero]\n"
        "summary: Peer-led café and drop-in for anyone in or seeking recovery.\n"
        "referral:\n\u00a0 self: true\nareas_served: [Calderdale]\nlast_verified: 2026-10-01\n",
        encoding="utf-8",
    )
    problems = check_file(path).problems
    pasted = [problem for problem in problems if problem.line == 5]
    assert len(pasted) == 1 and pasted[0].column == 1
    assert '"self" is indented with an invisible non-breaking space' in pasted[0].message
    assert "Did you mean" not in pasted[0].message


def test_today_is_the_uk_date_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI runners keep UTC: just after midnight BST a listing the editor dated today (London time)
    was "in the future" there."""
    import datetime as dt
    import time
    from zoneinfo import ZoneInfo

    from recovery_directory.clock import today

    monkeypatch.delenv("RECOVERY_DIRECTORY_TODAY", raising=False)
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        assert today() == dt.datetime.now(ZoneInfo("Europe/London")).date()
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(("written", "hint"), [("9:00", '"09:00"'), ("9.30", '"09:30"'), ("24:00", None),
                                               ("9:60", None), ("24:30", None)])
def test_a_time_like_value_gets_a_suggestion_only_when_it_is_a_real_time(tmp_path: Path, written, hint) -> None:
    path = tmp_path / "times.yaml"
    path.write_text(
        "name: Example Recovery Café (sample listing)\ntypes: [lero]\nsummary: Peer-led café and drop-in.\n"
        f'areas_served: [Calderdale]\nonline_hours:\n  - {{days: [mon], opens: "{written}", closes: "23:00"}}\n'
        "last_verified: 2026-10-01\n",
        encoding="utf-8",
    )
    (problem,) = [p for p in check_file(path).problems if p.field.endswith("opens")]
    assert ("Did you mean" in problem.message) == (hint is not None)
    assert hint is None or f"Did you mean {hint}?" in problem.message
