"""The ONS postcode data as a compact index on disk, read through numpy memory maps.

Unpacking a letter of the packaged data (brotli + msgpack into Python lists) costs ~0.1 s and
~25 MB per 100,000 postcodes, in every process that checks or places a postcode. So each letter is
converted once per data version into the machine's cache folder (site_lookup.cache_root()):

    ons-index-<version>-v<FORMAT>/<letter>/
        pcd.npy     sorted S7: the postcode in ONS's 7-character form ("S1  1AA")
        east.npy    float64 easting, exactly the package's value; NaN where there is none
        north.npy   float64 northing, likewise
        code.npy    int16 row of `codes` (the letter's GSS authority codes); -1 for none
        lat.npy     float64 latitude and longitude (WGS84) converted from the grid reference
        lon.npy     by pyproj, unrounded; NaN where there is no grid reference
        index.json  {"rows": …, "codes": […]}, written last: a folder without it (or whose
                    arrays don't match it) is a partial one and is made again, never trusted

A letter is converted the first time a process needs it (what unpacking it cost before, once per
machine), not all letters at once: a build or `validate` needs only its listings' letters, and
converting all 2.7 million postcodes up front would make the first `validate` of one listing wait
for every letter. Afterwards opening a letter maps its files: the pages a binary search touches are
read, shared by every process through the page cache. Each letter is written to a temporary
folder renamed into place, so concurrent builds are safe, and one process converts a letter
while any other that needs it waits (cache_lock.py). Where the cache folder can't be written,
the converted arrays are used from memory instead (same answers, the old cost).

Positions are converted here, once per letter and machine, not when a build asks: importing pyproj
and making its two transformers cost every build ~0.43 s CPU in two processes (of ~1.7 s for 10
listings), for answers that never change between builds.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from . import ons_postcodes
from .cache_lock import in_scratch_folder, making
from .ons_files import COLUMNS, FORMAT, MARKER, WIDTH, index_folder, latlon_or_none

__all__ = ["COLUMNS", "FORMAT", "MARKER", "WIDTH", "LetterIndex", "index_folder", "letter_index"]

# The files' layout (FORMAT, MARKER, WIDTH, COLUMNS) and index_folder live in ons_files.py, which
# reads single answers from the same files without numpy.


@dataclass(frozen=True)
class LetterIndex:
    pcd: np.ndarray
    east: np.ndarray
    north: np.ndarray
    code: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    codes: tuple[str, ...]

    def row(self, pcd: str) -> int | None:
        """The row of one postcode (ONS form), or None: the validator's per-postcode question."""
        key = _key(pcd)
        row = int(self.pcd.searchsorted(key))
        return row if key and row < len(self.pcd) and self.pcd[row] == key else None

    def rows(self, pcds: list[str]) -> list[int | None]:
        """The row of each postcode (ONS form), or None where the letter doesn't hold it."""
        if not len(self.pcd):
            return [None] * len(pcds)
        keys = np.array([_key(pcd) for pcd in pcds], dtype=COLUMNS["pcd"])
        at = np.searchsorted(self.pcd, keys)
        inside = np.minimum(at, len(self.pcd) - 1)
        hit = (at < len(self.pcd)) & (self.pcd[inside] == keys) & (keys != b"")
        return [int(row) if found else None for row, found in zip(at.tolist(), hit.tolist(), strict=True)]

    def answer(self, row: int) -> tuple[str | None, float | None, float | None]:
        """(authority code, latitude, longitude) of a row, None where the data has none."""
        code = int(self.code[row])
        return self.codes[code] if code >= 0 else None, *latlon_or_none(float(self.lat[row]), float(self.lon[row]))

    def code_and_grid(self, row: int) -> tuple[str | None, bool]:
        """(authority code, has a grid reference) of a row, as ons_files.LetterFiles's."""
        code = int(self.code[row])
        return self.codes[code] if code >= 0 else None, not math.isnan(float(self.east[row]))


def _key(pcd: str) -> bytes:
    """The postcode as the index's bytes; b"" (never found) for anything that isn't 7 ASCII
    characters, which S7 would otherwise truncate into a false match."""
    return pcd.encode("ascii") if len(pcd) == WIDTH and pcd.isascii() else b""


def _keys(pcds: list[str]) -> np.ndarray:
    """_key of every postcode: one join and encode when all are 7 characters (the package's are;
    0.1 s a million against 0.3 s one by one), else one by one."""
    if set(map(len, pcds)) == {WIDTH}:
        joined = "".join(pcds)
        if joined.isascii():
            return np.frombuffer(joined.encode("ascii"), dtype=COLUMNS["pcd"])
    return np.array([_key(value) for value in pcds], dtype=COLUMNS["pcd"])


@cache
def letter_index(letter: str) -> LetterIndex | None:
    """One letter's index, mapped from the cache (made there the first time); None if no postcode
    starts with the letter."""
    folder = index_folder() / letter
    found = _open(folder)
    if found is not None:
        return found
    with making(folder):  # another process converting this letter: wait, then open what it made
        found = _open(folder)
        if found is not None:
            return found
        made = _convert(letter)
        if made is None:
            return None
        try:
            _publish(made, folder)
        except OSError:  # a read-only cache: the build still works, from memory
            return made
    return _open(folder) or made


def _convert(letter: str) -> LetterIndex | None:
    shard = ons_postcodes.read_shard(letter)
    if shard is None:
        return None
    pcd = _keys(shard.pcd)
    east, north = _grid(shard.east), _grid(shard.north)
    codes = tuple(sorted(value for value in set(shard.laua) if isinstance(value, str) and value))
    where = {value: row for row, value in enumerate(codes)}
    # -1 for None, "" and anything else that isn't a code; map() keeps the 2.7 million lookups in C
    code = np.fromiter(map(where.get, shard.laua, itertools.repeat(-1)), "int16", len(shard.laua))
    lat, lon = ons_postcodes.grid_to_latlon(pcd, east, north)
    order = np.argsort(pcd, kind="stable")  # the package's files are sorted; make sure
    return LetterIndex(pcd[order], east[order], north[order], code[order], lat[order], lon[order], codes)


def _grid(column: list) -> np.ndarray:
    """A grid reference column as float64, NaN where the package has no number (None)."""
    if set(map(type, column)) <= {float, type(None)}:  # the package's: numpy reads None as NaN
        return np.array(column, dtype="float64")
    return np.fromiter((value if isinstance(value, float) else np.nan for value in column), "float64", len(column))


def _publish(made: LetterIndex, folder: Path) -> None:
    """Write a letter's files to a temporary folder, marker last, and rename it into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    in_scratch_folder(folder.parent, f".{folder.name}.", lambda scratch: _write_and_rename(made, scratch, folder))


def _write_and_rename(made: LetterIndex, scratch: Path, folder: Path) -> None:
    for name in COLUMNS:
        np.save(scratch / f"{name}.npy", getattr(made, name))
    marker = {"rows": len(made.pcd), "codes": list(made.codes)}
    (scratch / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    try:
        os.rename(scratch, folder)
    except OSError:
        if _open(folder) is not None:  # another process got there first
            return
        _discard(folder)  # a partial or damaged one: replace it
        os.rename(scratch, folder)


def _discard(folder: Path) -> None:
    """Move a bad folder aside (one atomic rename, so a concurrent reader never sees half of it)
    and delete it."""
    def move_into(aside: Path) -> None:
        with contextlib.suppress(FileNotFoundError):  # another process moved it first
            os.rename(folder, aside / folder.name)

    in_scratch_folder(folder.parent, f".{folder.name}.old.", move_into)


def _open(folder: Path) -> LetterIndex | None:
    """The letter's maps if the folder is complete and consistent, else None."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        # plain ndarray views of the maps: numpy.memmap's subclass overhead tripled a search
        columns = {name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in COLUMNS}
        rows, codes = int(marker["rows"]), tuple(marker["codes"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for name, dtype in COLUMNS.items():
        if columns[name].shape != (rows,) or columns[name].dtype != np.dtype(dtype):
            return None
    if not all(isinstance(code, str) for code in codes):
        return None
    return LetterIndex(**columns, codes=codes)
