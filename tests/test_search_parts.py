"""The search files joined from each listing's kept part (exports/search_parts.py) are byte for
byte the files made from the listings' records (search_index.py's encoders), for the samples
and for 300 synthetic listings (towns shared, pins missing, hours, areas …)."""

from __future__ import annotations

from pathlib import Path

import pytest
from recovery_directory.directory import load_directory
from recovery_directory.exports.search_index import search_record
from recovery_directory.exports.search_parts import search_part
from recovery_directory.listing.schema import labels
from recovery_directory.outputs import search
from temp_project import ROOT, listing_paths


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def both_ways(records: list[dict], tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    vocabularies = {name: list(labels(name)) for name in search.VOCABULARIES}
    fields = tuple(field for _, field, _, _ in search.LIST_FILTERS)
    parts = [search_part(record, vocabularies, fields) for record in records]
    search.write_index(tmp_path / "reference", records)
    search.write_files(tmp_path / "joined", parts, vocabularies)
    return files(tmp_path / "reference"), files(tmp_path / "joined")


def records_of(paths: list[Path], root: Path) -> list[dict]:
    loaded = load_directory(paths, root)
    assert loaded.ok
    directory = loaded.directory
    for number, org in enumerate(directory.listed):  # some pins, some towns without one
        for location in org.locations:
            if number % 3:
                location.lat, location.lon = 53.0 + number / 1000, -1.5 - number / 997
    return [search_record(directory.record(org)) for org in directory.listed]


def test_joined_search_files_equal_the_encoded_records_for_the_samples(tmp_path: Path):
    reference, joined = both_ways(records_of(listing_paths(ROOT), ROOT), tmp_path)
    assert reference and joined == reference


@pytest.mark.slow
def test_joined_search_files_equal_the_encoded_records_for_synthetic_listings(tmp_path: Path):
    from benchmarks.synthetic import generate

    generate(300, tmp_path / "site", 7)
    records = records_of(listing_paths(tmp_path / "site"), tmp_path / "site")
    reference, joined = both_ways(records, tmp_path)
    assert len(reference) > 3 and joined == reference  # index, 3 details shards, a text shard


def test_no_listings_give_the_same_empty_index(tmp_path: Path):
    reference, joined = both_ways([], tmp_path)
    assert joined == reference

