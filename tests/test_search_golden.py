"""The search index's Python/JavaScript contract, pinned by golden files both sides read.

tests/js/golden/ holds the index and details the build encodes from tests/listings/valid/, and
what Python's decoder reads back. This test fails when the encoder's output drifts from those
files; `node --test tests/js/` decodes the same files with the browser's records.js and checks it
agrees with Python record by record. After a deliberate change to the index, rewrite the files:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_search_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from recovery_directory.directory import load_directory
from recovery_directory.exports.search_index import (
    decode_index,
    encode_details,
    encode_index,
    encode_text,
    name_slug,
    search_records,
)
from recovery_directory.listing.schema import labels, search_filters
from recovery_directory.outputs.search import search_labels

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = sorted((ROOT / "tests" / "listings" / "valid").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "js" / "golden"
# Names whose slugs the browser works out itself (records.js nameSlug): punctuation, digits,
# runs of separators, leading and trailing marks.
SLUG_NAMES = [
    "Calder Valley Recovery Cafe (sample listing)",
    "  --Leeds & Bradford: SMART Recovery!! 24/7 ",
    "A.A. Group 12",
    "Young People's Service -- Wakefield",
    "UPPER case Words",
]


def golden_files() -> dict[str, Any]:
    loaded = load_directory(LISTINGS, ROOT)
    assert loaded.ok, loaded.problems
    directory = loaded.directory
    records = search_records(directory)
    vocabularies = {field: list(labels(field)) for _, field, _, _ in search_filters()}
    index, details, texts = encode_index(records, vocabularies), encode_details(records), encode_text(records)
    names = [org.name for org in directory.organisations]
    return {
        "search-index.json": index,
        "search-details.json": details,
        "search-text.json": texts,
        "search-decoded.json": decode_index(index, details, texts),
        "search-labels.json": {field: labels(field) for field in vocabularies},
        "search-words.json": search_labels(),  # the page's config.searchLabels: what text matches
        "name-slugs.json": [[name, name_slug(name)] for name in SLUG_NAMES + names],
    }


def test_golden_files_are_what_the_build_encodes() -> None:
    expected = golden_files()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, data in expected.items():
            (GOLDEN / name).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, data in expected.items():
        stored = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
        assert stored == data, f"tests/js/golden/{name} is out of date: see this file's docstring to rewrite it"


def test_python_reads_the_golden_index_back_to_its_records() -> None:
    index = json.loads((GOLDEN / "search-index.json").read_text(encoding="utf-8"))
    details = json.loads((GOLDEN / "search-details.json").read_text(encoding="utf-8"))
    texts = json.loads((GOLDEN / "search-text.json").read_text(encoding="utf-8"))
    decoded = json.loads((GOLDEN / "search-decoded.json").read_text(encoding="utf-8"))
    assert decode_index(index, details, texts) == decoded
    assert len(decoded) == len(LISTINGS)
    assert any(location["lat"] is not None for record in decoded for location in record["locations"])
    assert any(isinstance(row[0], int) for row in index["records"]), "no slug sent as a length of the name's slug"
