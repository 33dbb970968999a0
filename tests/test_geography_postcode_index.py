"""The ONS postcode index (geocoding/ons_index.py): the same answers as the unpacked package data,
made safely in the machine cache folder, regenerated when damaged, and not needed to be writable.

Each test points the cache at its own folder, so it makes the index itself (the shared one on the
machine is left alone)."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from pyproj import Transformer
from recovery_directory.geocoding import cache_lock, ons_files, ons_index, ons_postcodes, site_lookup
from recovery_directory.geocoding.ons_postcodes import BRITISH_NATIONAL_GRID, IRISH_GRID
from test_geography import unused_postcode

# B: Great Britain and Northern Ireland (BT, Irish grid); J: Jersey (JE, the Channel Islands);
# I: the Isle of Man (IM) among Great Britain's; A: has postcodes without a grid reference.
LETTERS = "BJIA"
# Every postcode of J, I and A, and of Northern Ireland (BT); one in SAMPLE_EVERY of the rest of B,
# spread over the whole letter (B alone has ~320,000, and every one took 40 s of the suite).
SAMPLE_EVERY = 8


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RECOVERY_DIRECTORY_CACHE", str(tmp_path / "cache"))
    ons_index.letter_index.cache_clear()
    ons_files.close_letters()  # letters opened from the machine's cache earlier
    yield tmp_path / "cache"
    ons_index.letter_index.cache_clear()
    ons_files.close_letters()


def unpacked(letter: str) -> dict[str, tuple[str | None, float | None, float | None]]:
    """{postcode: (authority code, easting, northing)} read straight from the package's file."""
    shard = ons_postcodes.read_shard(letter)
    number = lambda value: value if isinstance(value, float) and not math.isnan(value) else None  # noqa: E731
    return {
        ons_postcodes.from_ons_form(pcd): (code if isinstance(code, str) and code else None, number(e), number(n))
        for pcd, code, e, n in zip(shard.pcd, shard.laua, shard.east, shard.north, strict=True)
    }


def converted_one_by_one(grid: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """{postcode: (lat, lon)} from pyproj itself, a call per point in the postcode's own grid,
    rounded as records are: the reference for the positions the index converted a letter at once."""
    transformers = {
        irish: Transformer.from_crs(IRISH_GRID if irish else BRITISH_NATIONAL_GRID, "EPSG:4326", always_xy=True)
        for irish in (False, True)
    }
    points = {}
    for postcode, (east, north) in grid.items():
        lon, lat = transformers[postcode.startswith("BT")].transform(east, north)
        points[postcode] = (round(lat, 6), round(lon, 6))
    return points


@pytest.mark.parametrize("letter", LETTERS)
def test_index_answers_equal_the_unpacked_data_for_every_postcode(own_cache, letter):
    expected = unpacked(letter)
    if letter == "B":
        expected = {p: v for i, (p, v) in enumerate(expected.items()) if p.startswith("BT") or i % SAMPLE_EVERY == 0}
        assert sum(p.startswith("BT") for p in expected) > 40_000 and len(expected) > 80_000
    postcodes = list(expected)
    for postcode in postcodes:
        code, east, _ = expected[postcode]
        assert ons_postcodes.find(postcode) == (code, east is not None), postcode
    points = converted_one_by_one({p: (e, n) for p, (_, e, n) in expected.items() if None not in (e, n)})
    records = ons_postcodes.lookup(postcodes)
    assert list(records) == postcodes
    for postcode, record in records.items():
        lat, lon = points.get(postcode, (None, None))
        assert (record.lat, record.lon, record.authority_code) == (lat, lon, expected[postcode][0]), postcode
    assert (own_cache / ons_index.index_folder().name / letter / ons_index.MARKER).is_file()


def test_the_letters_hold_what_the_tests_mean_them_to(own_cache):
    records = ons_postcodes.lookup(["BT1 1AA", "JE2 3AB", "IM1 1AA"])
    assert records["BT1 1AA"].authority_code.startswith("N")  # Northern Ireland, Irish grid
    assert records["JE2 3AB"].outside_uk == "the Channel Islands"
    assert records["IM1 1AA"].outside_uk == "the Isle of Man"
    assert any(east is None for _, east, _ in unpacked("A").values())


def test_postcodes_not_in_the_directory(own_cache):
    missing = unused_postcode("HX1")
    assert ons_postcodes.find(missing) is None
    assert ons_postcodes.lookup([missing, "HX1 1RE", "not a postcode", None]).keys() == {"HX1 1RE"}
    index = ons_index.letter_index("H")
    assert index.rows(["HX1 1RE", "HX1 1RE1", "", "HX1 1RÉ"])[1:] == [None, None, None]  # never truncated


@pytest.mark.parametrize(
    "postcodes",
    [["HX1 1RE", "S1  1AA"], ["HX1 1RE", "S1 1AA", "SW1A1AAA"], ["HX1 1RE", "HX1 1RÉ"], ["HX1 1R", "S1  1AAA"], []],
)
def test_keys_made_at_once_equal_keys_made_one_by_one(postcodes):
    """The conversion's fast path (one join) is taken only when it gives what _key gives each."""
    expected = np.array([ons_index._key(pcd) for pcd in postcodes], dtype="S7")
    assert ons_index._keys(postcodes).tolist() == expected.tolist()


def test_the_authority_list_is_the_same_from_the_package_or_the_index_and_converts_nothing(own_cache):
    """On a fresh machine `validate` of one listing needs every authority code: read from the
    package's files they must not convert every letter (~5 s), and once letters are converted,
    their index's list must give the same."""
    from_package = site_lookup.authority_codes_in_directory()
    assert not ons_index.index_folder().exists()  # nothing converted for it
    for letter in "BJ":
        ons_index.letter_index(letter)
    (own_cache / f"authorities-{ons_postcodes.data_version()}.json").unlink()
    assert site_lookup.authority_codes_in_directory() == from_package
    expected = {code for letter in ons_postcodes.shard_letters() for code in ons_postcodes.shard(letter).laua}
    expected = {code for code in expected if isinstance(code, str) and code} - set(ons_postcodes.NOT_UK_CODES)
    assert from_package == sorted(expected)


def test_a_second_writer_keeps_the_first_ones_index(own_cache):
    made = ons_index._convert("J")
    folder = ons_index.index_folder() / "J"
    ons_index._publish(made, folder)
    first = (folder / "pcd.npy").stat().st_ino
    ons_index._publish(made, folder)  # lost the race: the folder is there and complete
    assert (folder / "pcd.npy").stat().st_ino == first
    assert made_in(folder.parent) == ["J"]  # no scratch folders left


def test_concurrent_processes_make_one_complete_index(own_cache):
    script = (
        "from recovery_directory.geocoding import ons_postcodes as o;"
        "print(o.find('JE2 3AB'), o.lookup(['JE2 3AB', 'BT1 1AA'])['BT1 1AA'].lat)"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    answers = [run.communicate()[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert answers[0] == answers[1] and answers[0].startswith("('L99999999', False)")
    folder = ons_index.index_folder()
    assert made_in(folder) == ["B", "J"]
    assert all(ons_index._open(folder / letter) is not None for letter in "BJ")


def made_in(folder):
    """What a folder of the cache holds, without the lock files that say who is making what."""
    return sorted(path.name for path in folder.iterdir() if not path.name.endswith(".lock"))


COUNTED = (
    "from recovery_directory.geocoding import ons_index as i; convert = i._convert;"
    "i._convert = lambda letter: print('converted', letter) or convert(letter);"
    "print('found', i.letter_index('J') is not None)"
)


def test_a_process_waits_for_the_one_converting_a_letter_and_uses_its_index(own_cache):
    """One process converts a letter while another that needs it waits (cache_lock.py): on a
    fresh machine a parallel build's workers and the test workers need the same letters."""
    folder = ons_index.index_folder() / "J"
    with cache_lock.making(folder):
        waiting = subprocess.Popen([sys.executable, "-c", COUNTED], stdout=subprocess.PIPE, text=True)
        wait_until_blocked_on_a_lock(waiting)
        ons_index._publish(ons_index._convert("J"), folder)
    assert waiting.communicate(timeout=60)[0].split("\n") == ["found True", ""]  # opened ours, no conversion
    alone = subprocess.run([sys.executable, "-c", COUNTED], capture_output=True, text=True, check=True)
    assert alone.stdout == "found True\n"  # made: nothing to convert
    shutil.rmtree(folder)
    alone = subprocess.run([sys.executable, "-c", COUNTED], capture_output=True, text=True, check=True)
    assert alone.stdout == "converted J\nfound True\n"  # what the first would have printed unlocked


def wait_until_blocked_on_a_lock(process: subprocess.Popen) -> None:
    """Until /proc/locks lists the process waiting for a lock (a line marked "->"), however long
    it takes to start: never a fixed sleep."""
    while process.poll() is None:
        waiting = [line.split() for line in Path("/proc/locks").read_text().splitlines() if "->" in line]
        if any(str(process.pid) in fields for fields in waiting):
            return
        time.sleep(0.05)
    pytest.fail(f"the process ended (exit status {process.returncode}) instead of waiting for the lock")


@pytest.mark.parametrize("damage", ["no marker", "truncated array", "wrong rows"])
def test_a_damaged_index_is_made_again_not_trusted(own_cache, damage):
    expected = ons_postcodes.lookup(["JE2 3AB", "JE3 1AA"])
    ons_index.letter_index.cache_clear()
    folder = ons_index.index_folder() / "J"
    if damage == "no marker":
        (folder / ons_index.MARKER).unlink()
    elif damage == "truncated array":
        data = (folder / "east.npy").read_bytes()
        (folder / "east.npy").write_bytes(data[: len(data) // 2])
    else:
        (folder / ons_index.MARKER).write_text('{"rows": 5, "codes": []}', encoding="utf-8")
    assert ons_index._open(folder) is None
    assert ons_postcodes.lookup(["JE2 3AB", "JE3 1AA"]) == expected
    assert ons_index._open(folder) is not None  # replaced by a complete one


def test_an_unwritable_cache_still_answers_from_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("RECOVERY_DIRECTORY_CACHE", str(blocker / "cache"))  # can't be made, even by root
    ons_index.letter_index.cache_clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            record = ons_postcodes.lookup(["HX1 1RE"])["HX1 1RE"]
        assert record.authority_code == "E08000033" and record.lat is not None
        assert not isinstance(ons_index.letter_index("H").pcd.base, np.memmap)
        assert "E08000033" in site_lookup.authority_codes_in_directory()  # listed, though not kept
    finally:
        ons_index.letter_index.cache_clear()


def test_converting_before_a_fork_leaves_pyproj_working_in_the_child(own_cache):
    """On a machine without the index, a build's parent may make a letter (and so a PROJ context
    with its database open) while reading its first listing, then fork workers that make other
    letters. PROJ reopens its database in a forked child; this holds us to that."""
    ons_index.letter_index("J")  # converted here, in the parent
    assert ons_postcodes.to_latlon_transformer.cache_info().currsize > 0
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe and exits
        try:
            record = ons_postcodes.lookup(["BT1 1AA"])["BT1 1AA"]  # B made in the child: both grids
            os.write(writer, f"{record.lat} {record.lon}".encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as answer:
        found = answer.read()
    os.waitpid(child, 0)
    ons_index.letter_index.cache_clear()
    ons_files.close_letters()
    expected = ons_postcodes.lookup(["BT1 1AA"])["BT1 1AA"]  # made by the child, read here
    assert found == f"{expected.lat} {expected.lon}" and expected.lat is not None


def test_a_letter_made_after_its_first_search_is_then_read_without_numpy(own_cache):
    """A process that searches a letter before its index exists (a cold machine) falls back to
    ons_index.py, which makes it; the next search must read the files made, not remember that
    there were none (tests/test_ons_files.py failed on a cold cache that way)."""
    assert ons_files.letter_files("Z") is None  # not made yet in this cache
    assert ons_postcodes.find("ZE1 0AA") is not None  # made here, through numpy
    mapped = ons_files.letter_files("Z")
    assert mapped is not None and mapped.row("ZE1 0AA") == ons_index.letter_index("Z").row("ZE1 0AA")
