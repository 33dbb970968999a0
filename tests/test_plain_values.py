"""The loader's fast paths (line_values.py, plain_values.py) against its reference path (yaml_events.py's
event builder): whenever a fast path gives values they are exactly the reference's, types included,
and a file checked any way gets exactly the same problems (file, line, column, field, message)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recovery_directory.listing import loader, yaml_events
from recovery_directory.listing.line_values import line_values
from recovery_directory.listing.loader import ListingLoadError, load_listing_bytes
from recovery_directory.listing.plain_values import plain_values
from recovery_directory.listing.validate import check_bytes
from recovery_directory.listing.yaml_rules import MAX_DEPTH
from test_fuzz import BASE, documents, yaml_ish_text

HERE = Path(__file__).resolve().parent
SAMPLES = sorted((HERE.parent / "content" / "organisations").glob("*.yaml"))
FIXTURES = sorted((HERE / "listings").glob("*/*.yaml")) + SAMPLES
VALID = [path for path in FIXTURES if path.parent.name != "invalid"]
LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])
FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", "2026-11-01")


def typed(value: Any) -> Any:
    """Values with their types spelled out: 1, 1.0 and True are equal in Python but not here."""
    if isinstance(value, dict):
        return ("dict", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def reference(text: str) -> Any:
    try:
        return typed(yaml_events.load_tracked(text).data)
    except ListingLoadError as error:
        return ("refused", error.message, error.line, error.column)


def noted_comments(text: str) -> list:
    try:
        return list(yaml_events.load_tracked(text).comments_after_values)
    except ListingLoadError:
        return []


def assert_paths_agree(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        text = raw.decode("utf-8-sig")
        loader._reject_forbidden_characters(text)  # as load_listing_bytes does before parsing
    except (UnicodeDecodeError, ListingLoadError):
        text = None
    if text is not None:
        if (quickest := line_values(text)) is not None:
            assert typed(quickest) == reference(text)
            # A comment after an unquoted value may have cut text off: only the reference path notes it.
            assert not noted_comments(text)
        for loader_class in LOADERS:
            fast = plain_values(text, loader_class)
            if fast is not None:
                monkeypatch.setattr(yaml_events, "_EventLoader", loader_class)
                assert typed(fast) == reference(text)
    fast_result = check_bytes("listing.yaml", raw)
    with monkeypatch.context() as patched:
        patched.setattr(loader, "line_values", lambda text: None)
        libyaml_result = check_bytes("listing.yaml", raw)
        patched.setattr(yaml_events, "plain_values", lambda text, loader_class: None)
        reference_result = check_bytes("listing.yaml", raw)
    for result in fast_result, libyaml_result:
        assert result.problems == reference_result.problems
        assert typed(result.data) == typed(reference_result.data)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fast_and_reference_paths_agree_on_every_fixture(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_paths_agree(path.read_bytes(), monkeypatch)


@pytest.mark.parametrize("loader_class", LOADERS, ids=lambda cls: cls.__name__)
def test_valid_listings_take_the_fast_path(loader_class: type) -> None:
    """Else the fast path would be dead code and the tests above would prove nothing."""
    for path in VALID:
        assert plain_values(path.read_bytes().decode("utf-8-sig"), loader_class) is not None, path.name


def test_usual_listings_take_the_line_path() -> None:
    """The samples and the valid fixtures, bar those written to show something unusual."""
    unusual = {
        "crlf-line-endings.yaml", "script-in-text-fields.yaml", "unquoted-times.yaml",
        "notes-after-values.yaml", "starter-file-filled-in.yaml",  # comments after values
    }
    for path in VALID:
        if path.name not in unusual:
            assert line_values(path.read_bytes().decode("utf-8-sig")) is not None, path.name


LINE_PATH_CASES = [
    "a: 1\nb: -2.5\nc: true\nd: ~\ne: null\nf: 0123\ng: 1e3\nh: .5\ni: yes\nj: 0x1F\n",
    "a: 'it''s'\nb: \"x y\"  # note\nc: 'x' # note\nd: \"\"\ne: ''\n",
    "a: [x, 'y']\n",
    "a: [x, y z, King's Lynn, 1, -1, ~, true]\nb: []\nc: [ ]\nd: {}\n",
    "a: {lat: 53.1, lon: -1.5}\nb: {days: [mon, tue], opens: \"09:00\", note: x y}\n",
    "a: {x: 1, x: 2}\n",
    "a: [x, ]\n",
    "a: [x: 1]\n",
    "a: {x: }\n",
    "a:\n- x\n- y\nb: 1\n",
    "a:\n  - x\n  - y\nb: 1\n",
    "a:\n- x\n  - y\n",
    "a:\n  - x\n  b: 1\n",
    "a:\n- b: 1\n  c:\n  - d: 2\n    e: 3\n  - 4\n- f: 5\ng: 6\n",
    "a:\n-   b: 1\n    c: 2\n",
    "a:\n-\n- x\n-\n  b: 1\n",
    "a:\n  b:\n  c: 1\n",
    "a:\n    b: 1\n  c: 2\n",
    "a:\nb:\n",
    "a: x\n  y\n",
    "a: x\n\n  y\n",
    "a: x\n  # comment\nb: y\n",
    "# only a comment\n",
    "  a: 1\n",
    "a: b: c\n",
    "a: b:\n",
    "a: b #c\n",
    "a: b#c\n",
    "a: http://x.org/a:b\n",
    "a: - x\n",
    "a: -x\n",
    "a: ? x\n",
    "a: |\n  x\n  y\n\n  z\nb: 1\n",
    "a: |\n  x\n\n\nb: 1\n",
    "a: |\n  x\n    y\n  z\n",
    "a: |-\n  x\n  y\n\n",
    "a: |\n  x",
    "a: |\n  x\n   \n  y\n",
    "a: |\n  x\n \n  y\n",
    "a: |\n  x\n  \n",
    "a: |\n\n  x\n",
    "a: |\nb: 1\n",
    "a: |+\n  x\n\n",
    "a: |2\n   x\n",
    "a: >\n  x\n  y\n",
    "a: |\n  x\n # c\n  y\n",
    "a: |\n  # not a comment\n  x: y\n",
    "a:\n- |\n  x\n- y\n",
    "a:\n  - |\n    x\n  - y\n",
    "a:\n- b: |\n    x\n  c: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "a: x\n- y\n",
    "true: 1\n",
    "a-b: 1\n",
    "a : 1\n",
    "a:1\n",
    "a: &x 1\n",
    "a: !x 1\n",
    "a:\n- &x b: 1\n",
    "a: x\\y\n",
    "a: \"x\\y\"\n",
    "a: 'x\\y'\n",
    "a: 'x\n  y'\n",
    "a: £5 — café\n",
    "a: x   \nb:    y  \n",
    "- a\n",
    # The values _KEY_LINE sorts out itself (text, quoted, lists of words), and their near misses.
    "a: trueish\nb: True North\nc: null  \nd: nullx\ne: t\nf: Falsey\ng: ~x\nh: x~\n",
    "a: ''\nb: \"\"\nc: 'x' \nd: \"x\"   \n",
    "a: 'x'#c\n",
    "a: 'a'b'\n",
    "a: \"a\"b\"\n",
    "a: [x y, z]\nb: [x,y]\nc: [ x, y ]\ne: [x,  y]\nf: [_x, y_2]\ng: [x , y]\nh: [é, x]\n",
    "a: [x, y]  # c\n",
    "a: [Null]\nb: [x, FALSE]\nc: [x, true_ish]\nd: [x, 1]\n",
    "a: [x, -y]\n",
    "a:\n- b: 'x'\n  c: [d, e]\n-  f: \"g\"\n   h: i j\n-   k:\n    - l\n",
    "a:\n  - b: x\n    c: y\n  - d\nb: 1\n",
    "a:\n-b: 1\n",
    "a:\n- - b\n",
    "a: b\n- c: d\n",
    "a:\n  b: 1\n  - c: 2\n",
]


@pytest.mark.parametrize("text", LINE_PATH_CASES)
def test_the_line_path_agrees_with_the_reference_on_each_case(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_paths_agree(text.encode(), monkeypatch)


def test_the_line_path_reads_the_usual_shapes() -> None:
    for text in LINE_PATH_CASES[:5] + LINE_PATH_CASES[9:11] + LINE_PATH_CASES[13:15]:
        if "x: 2" not in text:
            assert line_values(text) is not None, text


def test_positions_are_found_when_asked() -> None:
    listing = load_listing_bytes(b"name: x\nphones:\n  - number: 01134960123\n")
    assert listing.position(("phones", 0, "number")) == (3, 13)
    assert listing.source_text[("phones", 0, "number")] == "01134960123"


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\n",
        "a: *x\n",
        "a: !!str 1\n",
        "a: ! 1\n",
        "a: !!map {}\n",
        "? [x]\n: 1\n",
        "a: 1\na: 2\n",
        "<<: {a: 1}\n",
        "'<<': 1\n",
        'a: "\\e"\n',
        'a: "\\x85"\n',
        "a: 'x\ry'\n",  # a line break inside a value: only escapes can smuggle a control character in
        "a: x\ry\n",
        "a: |\n  x\r  y\n",
        "a: b\n---\nc: d\n",
        "- a\n",
        "a\n",
        "",
        "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n",
        "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",
    ],
)
def test_the_fast_path_leaves_anything_unusual_to_the_reference(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_paths_agree(text.encode(), monkeypatch)


@pytest.mark.parametrize("at", ["end", "middle", "value"])
def test_paths_agree_with_a_hash_after_a_space_on_any_line(at: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A "#" after a space at the end of each line of a full listing, in its middle, or where its
    value starts: a comment the line path must leave to the reference path wherever it cuts text."""
    lines = BASE.decode().split("\n")
    for number, line in enumerate(lines):
        if at == "end":
            changed = line + " #1 in town"
        elif at == "middle":
            changed = line[: len(line) // 2] + " #2" + line[len(line) // 2 :]
        elif ": " in line:
            changed = line.replace(": ", ": #3 ", 1)
        else:
            continue
        assert_paths_agree("\n".join([*lines[:number], changed, *lines[number + 1 :]]).encode(), monkeypatch)


@FUZZ
@given(documents)
def test_paths_agree_on_fuzzed_documents(document: object) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_paths_agree(yaml.safe_dump(document, allow_unicode=True).encode(), monkeypatch)


@FUZZ
@given(st.data())
def test_paths_agree_on_listings_with_yaml_punctuation_spliced_in(data: st.DataObject) -> None:
    text = BASE.decode()
    for _ in range(data.draw(st.integers(0, 3))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(yaml_ish_text.filter(lambda piece: len(piece) < 12)) + text[at:]
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_paths_agree(text.encode(), monkeypatch)


@FUZZ
@given(yaml_ish_text)
def test_paths_agree_on_yaml_punctuation_soup(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_paths_agree(text.encode(), monkeypatch)


@FUZZ
@given(st.dictionaries(st.sampled_from(sorted(yaml.safe_load(BASE))), documents, max_size=6))
def test_paths_agree_on_listings_with_fields_repeated_or_changed(changes: dict) -> None:
    raw = BASE + yaml.safe_dump(changes, allow_unicode=True).encode()  # later keys duplicate earlier ones
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_paths_agree(raw, monkeypatch)
        assert_paths_agree(yaml.safe_dump(yaml.safe_load(BASE) | changes, allow_unicode=True).encode(), monkeypatch)
