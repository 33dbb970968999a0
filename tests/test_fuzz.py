"""Hypothesis: whatever a contributor (or an attacker) puts in a listing file, the loader and
validator answer with Problems, never a traceback, quickly, and in bounded memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recovery_directory.listing.loader import MAX_BYTES, ListingLoadError, load_listing, load_listing_bytes
from recovery_directory.listing.problems import Problem
from recovery_directory.listing.schema import load_schema
from recovery_directory.listing.validate import check_bytes, check_file, fast_schema_validator, schema_validator

HERE = Path(__file__).resolve().parent
BASE = (HERE / "listings" / "valid" / "every-field.yaml").read_bytes()
FIELDS = sorted(load_schema()["properties"]) + ["postcode", "opens", "closes", "days", "lat", "lon", "number"]
FUZZ = settings(max_examples=100, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(["lero", "HX1 1AA", "hx11aa", "09:00", "24:00", "2026-02-30", "116 123", "javascript:x", "NO"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), children, max_size=6),
    ),
    max_leaves=30,
)
yaml_ish_text = st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`?,~ \n\t\r\\abcXY019") + ["é", "\u2028"]))


def assert_only_problems(result: object) -> None:
    for problem in result.problems:
        assert isinstance(problem, Problem) and problem.line >= 1 and problem.column >= 1
    assert (result.data is None) == bool(result.problems)


@FUZZ
@given(documents)
def test_structured_documents_give_problems_not_tracebacks(document: object) -> None:
    raw = yaml.safe_dump(document, allow_unicode=True).encode()
    assert_only_problems(check_bytes("fuzzed.yaml", raw))


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS), documents, max_size=8))
def test_mutated_listings_give_problems_not_tracebacks(changes: dict) -> None:
    raw = BASE + yaml.safe_dump(changes, allow_unicode=True).encode()  # later keys duplicate earlier ones
    assert_only_problems(check_bytes("mutated.yaml", raw))


@FUZZ
@given(st.binary(max_size=3000))
def test_raw_bytes_give_problems_not_tracebacks(raw: bytes) -> None:
    assert_only_problems(check_bytes("bytes.yaml", raw))


@FUZZ
@given(yaml_ish_text)
def test_yaml_punctuation_soup_gives_problems_not_tracebacks(text: str) -> None:
    assert_only_problems(check_bytes("soup.yaml", text.encode()))


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS), documents, max_size=8))
def test_fast_validator_never_accepts_what_the_reference_rejects(changes: dict) -> None:
    data = load_listing_bytes(BASE).data | changes
    try:
        fast = fast_schema_validator().is_valid(data)
    except (ValueError, TypeError, OverflowError):
        return  # validate.py treats these as "ask the reference validator"
    assert fast == schema_validator().is_valid(data)


def peak_memory(action: object) -> int:
    tracemalloc.start()
    try:
        action()
    except ListingLoadError:
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def billion_laughs(size: int) -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 200):
        name, previous = f"a{index}", "a" if index == 1 else f"a{index - 1}"
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines).encode()[:size]


ATTACKS = {
    "billion laughs": billion_laughs(MAX_BYTES),
    "deep flow nesting": b"a: " + b"[" * 32_000 + b"]" * 32_000,
    "deep block nesting": b"a:\n" + b"- " * 32_000 + b"x\n",
    "one huge scalar": b"description: " + b"x" * (MAX_BYTES - 20),
    "many small keys": b"".join(b"k%d: %d\n" % (i, i) for i in range(6000)),
    "many aliases": b"a: &a x\n" + b"b: [" + b"*a," * 20_000 + b"]\n",
}


def test_attacks_are_bounded_in_memory() -> None:
    for name, raw in ATTACKS.items():
        assert len(raw) <= MAX_BYTES + 64_000, name
        peak = peak_memory(lambda raw=raw: check_bytes("attack.yaml", raw[:MAX_BYTES]))
        assert peak < 32 * 1024 * 1024, f"{name}: {peak:,} bytes"


def test_an_oversized_file_is_never_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(500 * 1024 * 1024)  # sparse: takes no disk space
    assert peak_memory(lambda: load_listing(path)) < 1024 * 1024
    assert "at most 65,536 bytes" in check_file(path).problems[0].message
