"""The loader's fast path (plain_values.py) against its reference path (loader.py's event builder):
whenever the fast path gives values they are exactly the reference's, types included, and a file
checked either way gets exactly the same problems (file, line, column, field, message)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recovery_directory.listing import loader
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
        return typed(loader._load_tracked(text).data)
    except ListingLoadError as error:
        return ("refused", error.message, error.line, error.column)


def assert_paths_agree(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        text = raw.decode("utf-8-sig")
        loader._reject_forbidden_characters(text)  # as load_listing_bytes does before parsing
    except (UnicodeDecodeError, ListingLoadError):
        text = None
    if text is not None:
        for loader_class in LOADERS:
            fast = plain_values(text, loader_class)
            if fast is not None:
                monkeypatch.setattr(loader, "_EventLoader", loader_class)
                assert typed(fast) == reference(text)
    fast_result = check_bytes("listing.yaml", raw)
    with monkeypatch.context() as patched:
        patched.setattr(loader, "plain_values", lambda text, loader_class: None)
        reference_result = check_bytes("listing.yaml", raw)
    assert fast_result.problems == reference_result.problems
    assert typed(fast_result.data) == typed(reference_result.data)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fast_and_reference_paths_agree_on_every_fixture(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_paths_agree(path.read_bytes(), monkeypatch)


@pytest.mark.parametrize("loader_class", LOADERS, ids=lambda cls: cls.__name__)
def test_valid_listings_take_the_fast_path(loader_class: type) -> None:
    """Else the fast path would be dead code and the tests above would prove nothing."""
    for path in VALID:
        assert plain_values(path.read_bytes().decode("utf-8-sig"), loader_class) is not None, path.name


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
