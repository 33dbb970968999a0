"""What site-wide outputs made in the last build and may use again, kept in the build cache
(BUILD_CACHE_PATH), so a rebuild after one edit pays for that listing, not for the directory.

- `ListingParts`: one output's part per listing (its feed entry, its export rows, its card …).
  A part is a pure function of what that listing's files are made from: `listing_pages.inputs`,
  which hashes the listing file, its placed locations, the areas it links, every setting, the
  templates, the plugin's code and today's date. Kept under that hash in
  `parts/<output folder>/<kind>`, one pickle per output holding only the parts the last build
  used, so a deleted listing's parts leave with the next save.
- `kept_value`: a whole value (the map's script) under a hash of everything it is made from.
- `KeptPages`: a site-wide page (an area's index, embed, poster; a feed) is written again only
  when what it is rendered from changed (the listings it shows by their inputs, its own values,
  and the build fingerprint: settings, templates, code, date) or its file is not as the last build
  left it (output_records.py's check).

A miss only costs the time to make the part again; nothing kept is ever used for other inputs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from .build_cache import folder, load_file, pickle_atomically
from .directory import Area
from .listing.model import Organisation
from .output_records import Entry, prune, unchanged

T = TypeVar("T")


def _output_folder(settings: dict[str, Any], output: str) -> Path | None:
    root = folder(settings)
    if root is None:
        return None
    return root / "parts" / hashlib.sha256(os.path.realpath(output).encode()).hexdigest()[:32]


class ListingParts:
    """One output's per-listing parts: `get(org, make)` returns the kept part for the listing's
    inputs, or `make()`'s; `save()` keeps this build's for the next. Without the build's digests
    (caching off, or an output called outside a build) it only calls `make`."""

    def __init__(self, generator: Any, kind: str, *, partial: bool = False, streamed: bool = False) -> None:
        """`partial`: the output may not ask for every part (cards of pages not written again),
        so current listings' parts are kept even when unused. `streamed`: the output asks for
        each listing's part once and keeps none itself; then, when nothing was kept (a build
        with an empty cache), each part goes to the file as it is made and is not held here."""
        self.digests: dict[str, str] = getattr(generator, "listing_digests", None) or {}
        self.partial = partial
        where = _output_folder(generator.settings, generator.output_path) if self.digests else None
        self.path = where / kind if where else None
        self.added = where / f"{kind}.added" if where else None
        base, added = _read_parts(self.path), _read_parts(self.added)
        self.base: dict[Any, Any] = base
        self.kept: dict[Any, Any] = {**self.base, **added}
        self.used: dict[Any, Any] = {}
        self.made = 0
        self.stream = _PartsStream(self.path) if streamed and self.path and not self.kept and not partial else None

    def get(self, org: Any, make: Callable[[], T], *variant: Any) -> T:
        """`variant`: anything else the part depends on besides the listing (a card's heading)."""
        digest = self.digests.get(org.slug)
        if not digest:
            return make()
        key = (digest, *variant) if variant else digest
        found = self.used.get(key)
        if found is None:
            found = self.kept.get(key)
            if found is None:
                found = make()
                self.made += 1
            if self.stream is not None:
                self.stream.add(key, found)
                self.used[key] = _STREAMED
                return found
            self.used[key] = found
        return found

    def save(self) -> None:
        """Keep this build's parts. A few new ones (a rebuild after an edit) go to a small side
        file beside the last full set, so a rebuild doesn't write every listing's part again
        (~80 MB of export rows at N = 10,000); any kept part is valid for its key, whichever
        build wrote it, so the two files need not match. Otherwise the full set is written."""
        if self.path is None or self.added is None:
            return
        if self.stream is not None:  # every part made here, and already in the file
            self.stream.close()
            with contextlib.suppress(OSError):
                os.unlink(self.added)
            return
        if self.partial:
            current = set(self.digests.values())
            for key, part in self.kept.items():
                if (key[0] if isinstance(key, tuple) else key) in current:
                    self.used.setdefault(key, part)
        stale = len(self.kept) - len(self.used)  # parts of listings since edited or deleted
        if not self.made and stale * 4 <= len(self.used):
            return
        new = {key: value for key, value in self.used.items() if key not in self.base}
        if self.made and len(new) * 10 <= len(self.used) and len(self.base) - len(self.used) <= len(self.used) // 4:
            pickle_atomically(self.added, new)
            return
        pickle_atomically(self.path, self.used)
        with contextlib.suppress(OSError):
            os.unlink(self.added)


_STREAMED = object()  # in `used`: a part written to the stream, not kept


class _PartsStream:
    """A parts file written as the parts are made: pickles of up to `BATCH` parts each, one after
    another (`_read_parts` merges them), into a temporary file renamed into place when closed."""

    BATCH = 500

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
        self.batch: dict[Any, Any] = {}
        self.file: Any = None
        self.failed = False

    def add(self, key: Any, part: Any) -> None:
        self.batch[key] = part
        if len(self.batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.failed:
            return
        try:
            if self.file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.file = open(self.temporary, "wb")  # noqa: SIM115 - closed in close()
            pickle.dump(self.batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:  # a cache that can't be written only makes the next build slower
            self.failed = True
        self.batch = {}

    def close(self) -> None:
        self._flush()
        try:
            if self.file is not None:
                self.file.close()
            if not self.failed and self.file is not None:
                os.replace(self.temporary, self.path)
                return
        except OSError:
            pass
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)


def _read_parts(path: Path | None) -> dict[Any, Any]:
    """A parts file: one pickled dict (`save`), or several one after another (`_PartsStream`)."""
    if path is None:
        return {}
    found: dict[Any, Any] = {}
    try:
        with open(path, "rb") as file:
            while True:
                try:
                    batch = pickle.load(file)  # noqa: S301 - our own cache folder
                except EOFError:
                    return found
                if not isinstance(batch, dict):
                    return {}
                found.update(batch)
    except OSError:
        return {}
    except Exception:  # a truncated or foreign file: make the parts again
        return {}


def kept_value(generator: Any, kind: str, inputs: bytes, make: Callable[[], T]) -> T:
    """`make()`, or what it returned in an earlier build for the same `inputs` (which must hold
    everything the value depends on) under the same build fingerprint."""
    common = getattr(generator, "build_fingerprint", None)
    where = _output_folder(generator.settings, generator.output_path) if common else None
    if where is None:
        return make()
    path = where / kind
    key = hashlib.sha256(common.encode() + b"\0" + inputs).hexdigest()
    found = load_file(path)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == key:
        return found[1]
    value = make()
    pickle_atomically(path, (key, value))
    return value


class Unknown(TypeError):
    """A page value `describe` can't reduce to its inputs: the page is always written."""


class KeptPages:
    """`skip(save_as, values)` is True when the page at `save_as` was written by the last build
    from the same `values` (the keyword values its template gets, Organisations standing for their
    inputs) and is still as it left it; otherwise call `written(save_as)` once it is written."""

    def __init__(self, generator: Any, kind: str) -> None:
        self.digests: dict[str, str] = getattr(generator, "listing_digests", None) or {}
        self.common = getattr(generator, "build_fingerprint", None) or ""
        self.output = Path(generator.output_path)
        where = _output_folder(generator.settings, generator.output_path) if self.common else None
        self.path = where / kind if where else None
        found = load_file(self.path)
        self.last: dict[str, Entry] = found if isinstance(found, dict) else {}
        self.record: dict[str, Entry] = {}
        self.pending: dict[str, str] = {}
        self.described: dict[int, tuple[Any, Any]] = {}  # id -> (the list or Area, its description)

    def skip(self, save_as: str, values: Any) -> bool:
        if self.path is None:
            return False
        try:
            described = repr(self.describe(values)).encode()
        except Unknown:
            return False
        digest = hashlib.sha256(self.common.encode() + b"\0" + save_as.encode() + b"\0" + described).hexdigest()
        entry = self.last.get(save_as)
        if entry is not None and unchanged(entry, digest, self.output):
            self.record[save_as] = entry
            return True
        self.pending[save_as] = digest
        return False

    def written(self, save_as: str) -> None:
        if (digest := self.pending.pop(save_as, None)) is not None:
            self.record[save_as] = Entry.of(digest, self.output, (save_as,))

    def save(self) -> None:
        """Keep this build's record, and delete the pages the last build wrote that this one did
        not make (output_records.prune)."""
        if self.path is not None and self.record != self.last:
            pickle_atomically(self.path, self.record)
            prune(self.output, self.last, self.record)

    def describe(self, value: Any) -> Any:
        """`value` as plain data; an Organisation as its inputs' hash (listing_pages.inputs). A
        directory's lists and areas recur across pages (an area, its index page, its listings):
        each is described once per output, kept with the object itself, so its id can't be reused."""
        kind = type(value)
        if kind is list or kind is Area:
            found = self.described.get(id(value))
            if found is None:
                found = self.described[id(value)] = (value, self._describe(value))
            return found[1]
        return self._describe(value)

    def _describe(self, value: Any) -> Any:
        kind = type(value)
        if kind is list or kind is tuple:  # the commonest: listings (by exact type: it was ~0.5 s at 10,000)
            digests, described = self.digests, []
            for item in value:
                if type(item) is Organisation:
                    if not (digest := digests.get(item.slug)):
                        raise Unknown(item.slug)
                    described.append(("listing", digest))
                else:
                    described.append(self.describe(item))
            return described
        if kind is str:
            return value
        if value is None or isinstance(value, str | int | float | bool):
            return value  # Markup is a str
        if isinstance(value, dt.date):
            return ("date", value.isoformat())
        if isinstance(value, list | tuple):
            return [self.describe(item) for item in value]
        if isinstance(value, dict):
            return sorted((str(key), self.describe(item)) for key, item in value.items())
        if isinstance(value, Organisation):
            digest = self.digests.get(value.slug)
            if not digest:
                raise Unknown(value.slug)
            return ("listing", digest)
        if isinstance(value, Area):
            return ("area", value.slug, value.name, value.code, self.describe(value.organisations))
        raise Unknown(type(value).__name__)


def library_version(name: str) -> str:
    """For `inputs`: a library's installed version (what it makes may change with it)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"
