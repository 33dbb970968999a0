"""Postcodes' answers from the ONS index files (ons_index.py) without numpy.

The validator asks one question per postcode: is it in the directory, in which authority, with a
grid reference? ons_index.py answers through numpy memory maps, and importing numpy (~0.2 s CPU)
costs more than checking a few listings: `recovery-directory validate` of one file, or a rebuild
after one edit, paid it in full. The build's placing (ons_postcodes.lookup) reads the same maps,
so a process maps each file once (two maps of one file count its pages twice in RSS).

Here the files are mapped with `mmap` and searched without numpy: rows are fixed-width and sorted
as numpy sorted them (bytewise), so every STRIDE-th postcode, kept in a list when the letter is
first mapped, narrows a search to STRIDE rows with one `bisect`, and `find` scans those in C (a
binary search in Python cost 2-3 times as much). A letter whose files are not made yet, or not in
the layout expected, gives None: the caller asks ons_index.py, which makes them.
"""

from __future__ import annotations

import ast
import json
import math
import mmap
import os
import struct
import sys
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from . import ons_postcodes
from .site_lookup import cache_root

FORMAT = 2  # bump when the files change, so old indexes are not reused (2: latitude and longitude)
MARKER = "index.json"
WIDTH = 7  # ONS's pcd: every postcode padded to 7 characters
STRIDE = 256  # rows between the postcodes kept in memory: 10,600 of the UK's 2.7 million (~0.5 MB)
COLUMNS = {  # numpy dtypes
    "pcd": f"S{WIDTH}",
    "east": "float64",
    "north": "float64",
    "code": "int16",
    "lat": "float64",
    "lon": "float64",
}

# numpy's dtype strings (in each .npy header) for the columns read here, and their widths in bytes.
LAYOUT = {
    "pcd": ("|S7", WIDTH),
    "east": ("<f8", 8),
    "north": ("<f8", 8),
    "code": ("<i2", 2),
    "lat": ("<f8", 8),
    "lon": ("<f8", 8),
}


def index_folder() -> Path:
    return cache_root() / f"ons-index-{ons_postcodes.data_version()}-v{FORMAT}"


@dataclass(frozen=True)
class MappedLetter:
    pcd: mmap.mmap
    pcd_start: int
    east: mmap.mmap
    east_start: int
    north: mmap.mmap
    north_start: int
    code: mmap.mmap
    code_start: int
    lat: mmap.mmap
    lat_start: int
    lon: mmap.mmap
    lon_start: int
    count: int  # rows
    codes: tuple[str, ...]
    # The postcode of every STRIDE-th row (rows 0, STRIDE, 2 × STRIDE …).
    sampled: list[bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        data, start, end = self.pcd, self.pcd_start, self.pcd_start + self.count * WIDTH
        sampled = [data[at : at + WIDTH] for at in range(start, end, STRIDE * WIDTH)]
        object.__setattr__(self, "sampled", sampled)

    def row(self, pcd: str) -> int | None:
        """The row of one postcode (ONS form), or None (as ons_index.LetterIndex.row)."""
        key = pcd.encode("ascii") if len(pcd) == WIDTH and pcd.isascii() else b""
        if not key:
            return None
        # sampled[after - 1] < key <= sampled[after]: its first row, if any, is after the one
        # sampled before and no later than the one sampled after.
        after = bisect_left(self.sampled, key)
        low = max(0, (after - 1) * STRIDE)
        start = self.pcd_start + low * WIDTH
        rows = self.pcd[start : start + min(self.count - low, STRIDE + 1) * WIDTH]
        at = rows.find(key)
        while at > 0 and at % WIDTH:  # found across two rows: look on from the next byte
            at = rows.find(key, at + 1)
        return None if at < 0 else low + at // WIDTH

    def rows(self, pcds: list[str]) -> list[int | None]:
        return [self.row(pcd) for pcd in pcds]

    def code_and_grid(self, row: int) -> tuple[str | None, bool]:
        """(authority code, has a grid reference) of a row."""
        (code,) = struct.unpack_from("<h", self.code, self.code_start + row * 2)
        (east,) = struct.unpack_from("<d", self.east, self.east_start + row * 8)
        return (self.codes[code] if code >= 0 else None), not math.isnan(east)

    def answer(self, row: int) -> tuple[str | None, float | None, float | None]:
        """(authority code, latitude, longitude) of a row, as ons_index.LetterIndex.answer."""
        (code,) = struct.unpack_from("<h", self.code, self.code_start + row * 2)
        (lat,) = struct.unpack_from("<d", self.lat, self.lat_start + row * 8)
        (lon,) = struct.unpack_from("<d", self.lon, self.lon_start + row * 8)
        return self.codes[code] if code >= 0 else None, *latlon_or_none(lat, lon)


_MAPPED: dict[str, MappedLetter] = {}  # letters mapped in this process (unmap_letters forgets them)


def mapped_letter(letter: str) -> MappedLetter | None:
    """The letter's files mapped, if they exist and are laid out as expected; else None. Only a
    letter found is remembered: one not made yet is made by ons_index.py when the caller falls
    back to it, and must be found here the next time (remembering None kept every later search of
    that letter on numpy's index, in a process that asked before it was made)."""
    found = _MAPPED.get(letter)
    if found is None and (found := _map_letter(letter)) is not None:
        _MAPPED[letter] = found
    return found


def _map_letter(letter: str) -> MappedLetter | None:
    folder = os.path.join(index_folder(), letter)  # strings, not Paths: ~0.1 ms a letter less
    try:
        with open(os.path.join(folder, MARKER), encoding="utf-8") as file:
            marker = json.load(file)
        rows, codes = int(marker["rows"]), tuple(marker["codes"])
        columns = {name: _mapped(os.path.join(folder, f"{name}.npy"), *layout, rows) for name, layout in LAYOUT.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(found is None for found in columns.values()) or not all(isinstance(code, str) for code in codes):
        return None
    return MappedLetter(*(part for name in LAYOUT for part in columns[name]), rows, codes)  # type: ignore[union-attr]


def latlon_or_none(lat: float, lon: float) -> tuple[float | None, float | None]:
    """A row's position as ons_postcodes.PostcodeRecord holds it: rounded to 6 places (~0.1 m), as
    it always was, or (None, None) for a postcode with no grid reference (stored as NaN)."""
    if math.isnan(lat) or math.isnan(lon):
        return None, None
    return round(lat, 6), round(lon, 6)


def unmap_letters() -> None:
    """Forget every letter mapped so far, here and in ons_index.py (mapped again if asked): the
    pages a build's checks read stay the process's memory (PSS) while mapped, ~50 MB for the
    letters of 10,000 listings, and every worker forked later would share them."""
    _MAPPED.clear()
    if (numpy_index := sys.modules.get(f"{__package__}.ons_index")) is not None:  # never imported here
        numpy_index.letter_index.cache_clear()


def _mapped(path: str, dtype: str, width: int, rows: int) -> tuple[mmap.mmap, int] | None:
    """The file mapped and where its data starts, if its .npy header says `dtype`, C order and
    `rows` rows (format versions 1 to 3) and the file holds them (`width` bytes a row)."""
    with open(path, "rb") as file:
        data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)  # ValueError if empty
    if data[:6] != b"\x93NUMPY" or len(data) < 12 or data[6] not in (1, 2, 3):
        return None
    size = 2 if data[6] == 1 else 4
    (length,) = struct.unpack_from("<H" if size == 2 else "<I", data, 8)
    start = 8 + size + length
    text = data[8 + size : start].decode("latin-1")
    # The header as numpy writes it, compared as text: ast.literal_eval compiled each of the six
    # headers of each letter (~0.1 ms each, a tenth of checking a listing). Any other spelling of
    # the same header (another numpy's) is still read as Python.
    if text.rstrip(" \n") != f"{{'descr': '{dtype}', 'fortran_order': False, 'shape': ({rows},), }}":
        try:
            header = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
        if header != {"descr": dtype, "fortran_order": False, "shape": (rows,)}:
            return None
    return (data, start) if len(data) >= start + rows * width else None
