"""The build cache (BUILD_CACHE_PATH, default cache/build in the project folder): what a build
worked out and the next build may reuse, addressed by a hash of everything it depends on.

- `listings/<fingerprint>/last-build`: under each listing's key, a pickle of the listing read,
  checked and modelled (listing/read.py) before its locations are placed, with the JSON the
  listing editor starts from. The key hashes the file's bytes and its path in the repository;
  the fingerprint hashes the plugin's code, the schema, Python and library versions and today's
  date (a `last_verified` in the future becomes valid, and a listing stale, as days pass). An edit to any of them is a
  different folder, so a cached listing is never one a full build would read differently. Only
  listings that passed are kept: an invalid one is read (and its problems shown) every time.
  The last build's entries are all in that one file (one open, not one a listing), and
  `last-build.added` holds the few a rebuild after an edit added (the big file is not rewritten).
  `listings/<fingerprint>/file-stats`: each listing file's key with its stat (file_stats.py), so
  a rebuild reads and hashes only files whose stat changed.
- `places/<fingerprint>`: where the offline ONS data places each postcode a build asked about
  (fingerprint: the plugin's code and the data's version), so a rebuild unpacks no postcode data
  unless a listing brings a new postcode. Answers from the committed geocode cache, and
  postcodes ONS doesn't know, are looked up (and warned about) in every build.
- `outputs/<hash of the output folder>`: which inputs each listing page was last written from
  (output_records.py), so an unchanged page is not rendered again.
- `parts/<hash of the output folder>/<kind>`: each listing's part of a site-wide output, and the
  map's script (output_parts.py), so a rebuild re-joins unchanged listings' parts.
- `templates/<hash of JINJA_ENVIRONMENT>/`: Jinja's bytecode cache (compiled templates, checked
  against each template's source).

Entries are written to a temporary file and renamed into place, so builds running at the same
time (tests, `make serve` beside a benchmark) share the cache safely: a reader sees a whole
entry or none. Anything unreadable counts as a miss. Delete the folder at any time; set
BUILD_CACHE_PATH to "" to build without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import platform
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .clock import today

PLUGIN = Path(__file__).resolve().parent
SCHEMA = PLUGIN.parents[1] / "schema"
LIBRARIES = ("pelican", "jinja2", "markupsafe", "pyyaml", "jsonschema-rs", "cmarkgfm", "nh3", "phonenumbers")


def folder(settings: dict[str, Any]) -> Path | None:
    """The cache folder, or None when BUILD_CACHE_PATH is "" (no cache)."""
    setting = settings.get("BUILD_CACHE_PATH", "cache/build")
    if not setting:
        return None
    path = Path(setting)
    return path if path.is_absolute() else Path(settings["PATH"]).resolve().parent / path


@cache
def code_fingerprint() -> str:
    """Every file of the plugin and the schema, and the versions that read and render listings."""
    digest = hashlib.sha256(f"{sys.version}\0{platform.machine()}\0".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    for root in (PLUGIN, SCHEMA):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def listings_fingerprint() -> str:
    return hashlib.sha256(f"{code_fingerprint()}\0{today().isoformat()}".encode()).hexdigest()[:32]


def listing_key(source_path: str, content: bytes) -> str:
    return hashlib.sha256(source_path.encode() + b"\0" + content).hexdigest()


class ListingCache:
    """Read listings by key, in one fingerprint's folder (None: caching off). `BUNDLE` holds the
    last build's listings in one file: opening 10,000 entries cost a rebuild ~0.45 s, reading one
    file ~0.04, and creating them a cold build ~2 s. The build keeps its listings only there
    (listing_reading.py): a key it lacks is a miss, with no file of its own to look for (looking
    cost a build with an empty cache ~26 µs a listing, 0.26 s at N = 10,000, before any was read).
    Any entry in the bundle is valid for its key whichever build wrote it, so concurrent builds of
    different listings only make each other read listings again."""

    BUNDLE = "last-build"  # not a key: keys are 64 hex digits
    ADDED = "last-build.added"  # a rebuild's few new entries, beside the bundle

    def __init__(self, settings: dict[str, Any]) -> None:
        root = folder(settings)
        self.path = root / "listings" / listings_fingerprint() if root else None
        self.made = False
        self._base: dict[str, bytes] = {}  # the bundle file's entries
        self._bundled: dict[str, bytes] | None = None  # with the side file's

    def _read(self, name: str) -> dict[str, bytes]:
        try:
            found = load((self.path / name).read_bytes()) if self.path else None
        except OSError:
            found = None
        return found if isinstance(found, dict) else {}

    def get(self, key: str) -> bytes | None:
        if self.path is None:
            return None
        if self._bundled is None:
            self._base = self._read(self.BUNDLE)
            added = self._read(self.ADDED)
            self._bundled = {**self._base, **added} if added else self._base
        return self._bundled.get(key)

    def bundle(self, pickles: dict[str, bytes]) -> None:
        """Keep these listings (key -> pickle) in the bundle, unless it holds exactly them. A few
        new ones beside a bundle that still holds the rest (a rebuild after an edit) go to a small
        side file: rewriting the whole bundle cost ~0.1 s at N = 10,000 (48 MB). Any entry is
        valid for its key, whichever build wrote it, so the two files need not match."""
        if self.path is None or (self._bundled is not None and self._bundled.keys() == pickles.keys()):
            return
        if not self.made:
            self.made = _made(self.path)
        new = {key: value for key, value in pickles.items() if key not in self._base}
        unused = len(self._base) - (len(pickles) - len(new))  # entries of edited or deleted listings
        if len(new) * 10 <= len(pickles) and unused * 4 <= len(pickles):
            pickle_atomically(self.path / self.ADDED, new)
            return
        pickle_atomically(self.path / self.BUNDLE, pickles)
        with contextlib.suppress(OSError):
            os.unlink(self.path / self.ADDED)


class PlacesCache:
    """Postcode -> where the offline ONS data put it, for this code and data version."""

    def __init__(self, settings: dict[str, Any]) -> None:
        from .geocoding.ons_postcodes import data_version

        root = folder(settings)
        name = hashlib.sha256(f"{code_fingerprint()}\0{data_version()}".encode()).hexdigest()[:32]
        self.path = root / "places" / name if root else None

    def load(self) -> dict[str, dict[str, Any]]:
        try:
            found = load(self.path.read_bytes()) if self.path else None
        except OSError:
            found = None
        return found if isinstance(found, dict) else {}

    def save(self, places: dict[str, dict[str, Any]]) -> None:
        if self.path is not None:
            pickle_atomically(self.path, places)


def load(pickled: bytes | None) -> Any:
    """An entry's object, or None for a miss or an entry that can't be read back."""
    if pickled is None:
        return None
    try:
        return pickle.loads(pickled)  # noqa: S301 - our own cache folder, written only by builds
    except Exception:  # a truncated or foreign file: read the listing again
        return None


def load_file(path: Path | None) -> Any:
    """`load` of a cache file's bytes; None if there is no path or the file can't be read."""
    if path is None:
        return None
    try:
        return load(path.read_bytes())
    except OSError:
        return None


def _made(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return True


def write_atomically(path: Path, data: bytes, *, make_folder: bool = True) -> None:
    """Write `data` to `path` so that no reader ever sees part of it: into a file named for this
    process (no other writer uses it), then renamed over `path`. A cache that can't be written
    (read-only disk, full) only makes the next build slower, so errors are ignored."""
    _replace(path, lambda out: out.write(data), make_folder)


def pickle_atomically(path: Path, value: Any) -> None:
    """`write_atomically(path, pickle.dumps(value))`, pickled straight into the file: the bytes
    are never held whole (the open-data parts' pickle is ~85 MB at N = 10,000)."""
    _replace(path, lambda out: pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL), True)


def _replace(path: Path, write: Any, make_folder: bool) -> None:
    temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as out:
            write(out)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
