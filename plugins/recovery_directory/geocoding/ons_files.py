"""Postcodes' answers from the ONS index files (ons_index.py) without numpy, and without mapping them.

The validator asks one question per postcode: is it in the directory, in which authority, with a
grid reference? ons_index.py answers through numpy memory maps, and importing numpy (~0.2 s CPU)
costs more than checking a few listings: `recovery-directory validate` of one file, or a rebuild
after one edit, paid it in full. The build's placing (ons_postcodes.lookup) reads the same files.

Here each row is read with `os.pread` from files kept open, not mapped: a mapped page a search
reads stays part of the process (its PSS) until unmapped. A 1,000-listing build's two reading
processes held 24 and 37 MB of index pages at the end of their reading (plain Pelican's whole build
of those pages peaks at ~45 MB), and keeping every 256th postcode touched every page of a letter's
postcodes. Read bytes are copies that go as soon as they are used; the pages stay in the kernel's
cache, shared by every process, as before. Rows are fixed-width and sorted as numpy sorted them
(bytewise), so every STRIDE-th postcode, kept in a list when the letter is first opened (one read
of its postcodes), narrows a search to STRIDE rows with one `bisect`, and `find` scans those in C
(a binary search in Python cost 2-3 times as much). A letter whose files are not made yet, or not
in the layout expected, gives None: the caller asks ons_index.py, which makes them.
"""

from __future__ import annotations

import ast
import contextlib
import json
import math
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
class LetterFiles:
    """One letter's open files (descriptors, and where each file's rows start), its rows and codes.
    Descriptors stay open, and are inherited by forked workers: `os.pread` doesn't move a file's
    offset, so processes sharing one never disturb each other."""

    pcd: int
    pcd_start: int
    east: int
    east_start: int
    north: int
    north_start: int
    code: int
    code_start: int
    lat: int
    lat_start: int
    lon: int
    lon_start: int
    count: int  # rows
    codes: tuple[str, ...]
    # The postcode of every STRIDE-th row (rows 0, STRIDE, 2 × STRIDE …).
    sampled: list[bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        data = os.pread(self.pcd, self.count * WIDTH, self.pcd_start)  # the postcodes, once: ~1 MB a letter
        sampled = [data[at : at + WIDTH] for at in range(0, len(data), STRIDE * WIDTH)]
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
        rows = os.pread(self.pcd, min(self.count - low, STRIDE + 1) * WIDTH, self.pcd_start + low * WIDTH)
        at = rows.find(key)
        while at > 0 and at % WIDTH:  # found across two rows: look on from the next byte
            at = rows.find(key, at + 1)
        return None if at < 0 else low + at // WIDTH

    def rows(self, pcds: list[str]) -> list[int | None]:
        return [self.row(pcd) for pcd in pcds]

    def code_and_grid(self, row: int) -> tuple[str | None, bool]:
        """(authority code, has a grid reference) of a row."""
        (code,) = _INT16.unpack(os.pread(self.code, 2, self.code_start + row * 2))
        (east,) = _FLOAT64.unpack(os.pread(self.east, 8, self.east_start + row * 8))
        return (self.codes[code] if code >= 0 else None), not math.isnan(east)

    def answer(self, row: int) -> tuple[str | None, float | None, float | None]:
        """(authority code, latitude, longitude) of a row, as ons_index.LetterIndex.answer."""
        (code,) = _INT16.unpack(os.pread(self.code, 2, self.code_start + row * 2))
        (lat,) = _FLOAT64.unpack(os.pread(self.lat, 8, self.lat_start + row * 8))
        (lon,) = _FLOAT64.unpack(os.pread(self.lon, 8, self.lon_start + row * 8))
        return self.codes[code] if code >= 0 else None, *latlon_or_none(lat, lon)

    def close(self) -> None:
        """Close the files. Their numbers become -1, so a search through a letter kept after closing
        fails (EBADF) rather than read whatever file reuses a number."""
        for name in LAYOUT:
            _close(getattr(self, name))
            object.__setattr__(self, name, -1)


_INT16, _FLOAT64 = struct.Struct("<h"), struct.Struct("<d")


_OPEN: dict[str, LetterFiles] = {}  # letters opened in this process (close_letters closes them)


def letter_files(letter: str) -> LetterFiles | None:
    """The letter's files opened, if they exist and are laid out as expected; else None. Only a
    letter found is remembered: one not made yet is made by ons_index.py when the caller falls
    back to it, and must be found here the next time (remembering None kept every later search of
    that letter on numpy's index, in a process that asked before it was made)."""
    found = _OPEN.get(letter)
    if found is None and (found := _open_letter(letter)) is not None:
        _OPEN[letter] = found
    return found


def _open_letter(letter: str) -> LetterFiles | None:
    folder = os.path.join(index_folder(), letter)  # strings, not Paths: ~0.1 ms a letter less
    opened: list[int] = []
    try:
        with open(os.path.join(folder, MARKER), encoding="utf-8") as file:
            marker = json.load(file)
        rows, codes = int(marker["rows"]), tuple(marker["codes"])
        if not all(isinstance(code, str) for code in codes):
            return None
        parts: list[int] = []
        for name, layout in LAYOUT.items():
            opened.append(descriptor := os.open(os.path.join(folder, f"{name}.npy"), os.O_RDONLY | os.O_CLOEXEC))
            if (start := data_start(descriptor, *layout, rows)) is None:
                return None
            parts += (descriptor, start)
        files = LetterFiles(*parts, rows, codes)
        opened.clear()  # the letter's now: closed by close_letters
        return files
    except (OSError, ValueError, KeyError, TypeError):
        return None
    finally:
        for descriptor in opened:  # a letter not taken: none of its files stay open
            _close(descriptor)


def _close(descriptor: int) -> None:
    if descriptor >= 0:
        with contextlib.suppress(OSError):  # nothing to do about a file that won't close
            os.close(descriptor)


def latlon_or_none(lat: float, lon: float) -> tuple[float | None, float | None]:
    """A row's position as ons_postcodes.PostcodeRecord holds it: rounded to 6 places (~0.1 m), as
    it always was, or (None, None) for a postcode with no grid reference (stored as NaN)."""
    if math.isnan(lat) or math.isnan(lon):
        return None, None
    return round(lat, 6), round(lon, 6)


def close_letters() -> None:
    """Close every letter opened so far, and forget ons_index.py's maps (opened again if asked):
    the pages numpy's maps read stay the process's memory (PSS) while mapped, ~50 MB for the
    letters of 10,000 listings, and every worker forked later would share them."""
    for files in _OPEN.values():
        files.close()
    _OPEN.clear()
    if (numpy_index := sys.modules.get(f"{__package__}.ons_index")) is not None:  # never imported here
        numpy_index.letter_index.cache_clear()


def data_start(descriptor: int, dtype: str, width: int, rows: int) -> int | None:
    """Where an open .npy file's data starts, if its header says `dtype`, C order and `rows` rows
    (format versions 1 to 3) and the file holds them (`width` bytes a row); else None."""
    head = os.pread(descriptor, 12, 0)
    if head[:6] != b"\x93NUMPY" or len(head) < 12 or head[6] not in (1, 2, 3):
        return None
    size = 2 if head[6] == 1 else 4
    (length,) = struct.unpack_from("<H" if size == 2 else "<I", head, 8)
    start = 8 + size + length
    if os.fstat(descriptor).st_size < start + rows * width:  # before reading a header of any length
        return None
    text = os.pread(descriptor, length, 8 + size).decode("latin-1")
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
    return start
