"""The committed geocoding cache: normalised query → point, local authority, provider and date.

The file is a JSON object with its keys sorted and exactly one entry per line, each entry's keys
sorted too, so a pull request that adds a listing adds one line to the diff::

    {
      "HX1 1AA": {"date": "2026-10-01", "lat": 53.7248, "local_authority": "Calderdale", ...},
      "12 Example Street, Halifax": {"date": "2026-10-01", "lat": 53.72, ...}
    }

Saving is atomic (a temporary file in the same folder, flushed to disk, then ``os.replace``), so a
run that is killed part-way leaves either the old file or the new one, never half of each. Lines
for entries that have not changed are written back exactly as they were read.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..postcodes import normalise_postcode

PROVIDERS = ("postcodes.io", "nominatim", "manual", "synthetic")  # synthetic: benchmark data
ENTRY_KEYS = ("date", "lat", "local_authority", "local_authority_code", "lon", "provider")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# One entry on one line: "key": {...} with an optional trailing comma.
_ENTRY_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*:\s*(\{.*\})\s*,?\s*$')


class CacheError(ValueError):
    """The cache file, or an entry for it, is not in the expected format."""


def location_query(location: Mapping[str, Any]) -> str | None:
    """The cache key for one of a listing's locations, or None if there is nothing to look up.

    - A location with ``coordinates`` is never geocoded, so it has no query.
    - A location with a postcode is looked up by its normalised postcode ("HX1 1AA").
    - Otherwise "address, town": each comma- or line-separated part with its whitespace
      collapsed, empty parts dropped, and the town left off when the address already ends
      with it. Case is kept as written.
    """
    if not isinstance(location, Mapping) or location.get("coordinates"):
        return None
    postcode = location.get("postcode")
    if isinstance(postcode, str) and postcode.strip():
        normalised = normalise_postcode(postcode)
        if normalised:
            return normalised
    parts = _parts(location.get("address"))
    town = _parts(location.get("town"))
    if town and not (parts and parts[-1].casefold() == ", ".join(town).casefold()):
        parts.extend(town)
    return ", ".join(parts) or None


def _parts(value: Any) -> list[str]:
    if not isinstance(value, str):
        return []
    return [" ".join(part.split()) for part in re.split(r"[,\n]", value) if part.strip()]


def check_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A complete, checked copy of a cache entry; CacheError says what is wrong with it."""
    if not isinstance(entry, Mapping):
        raise CacheError(f"an entry must be an object, not {type(entry).__name__}")
    unknown = sorted(set(entry) - set(ENTRY_KEYS))
    if unknown:
        raise CacheError(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(ENTRY_KEYS)}")
    missing = [key for key in ("date", "lat", "lon", "provider") if key not in entry]
    if missing:
        raise CacheError(f"missing {', '.join(missing)}")
    for key in ("lat", "lon"):
        value = entry[key]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise CacheError(f"{key} must be a number, not {value!r}")
    if not isinstance(entry["date"], str) or not _DATE.match(entry["date"]):
        raise CacheError(f"date must be YYYY-MM-DD, not {entry['date']!r}")
    if entry["provider"] not in PROVIDERS:
        allowed = ", ".join(PROVIDERS)
        raise CacheError(f"provider must be one of {allowed}, not {entry['provider']!r}")
    for key in ("local_authority", "local_authority_code"):
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise CacheError(f"{key} must be text or null, not {value!r}")
    return {key: entry.get(key) for key in ENTRY_KEYS}


def check_entry_quietly(entry: Any) -> dict[str, Any] | None:
    try:
        return check_entry(entry)
    except CacheError:
        return None


class GeocodeCache:
    """The cache file at ``path`` (a missing file is an empty cache)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._entries: dict[str, dict[str, Any]] = {}
        self._lines: dict[str, tuple[dict[str, Any], str]] = {}  # key → (entry as read, its text)
        self.changed = False
        self._load()

    # -- reading -------------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CacheError(
                f"{self.path}:{error.lineno}:{error.colno}: the geocoding cache is not valid JSON "
                f"({error.msg}). Fix it by hand, or restore it with `git checkout -- {self.path}`."
            ) from error
        if not isinstance(data, dict):
            raise CacheError(f"{self.path}: the geocoding cache must be a JSON object")
        for key, entry in data.items():
            try:
                self._entries[key] = check_entry(entry)
            except CacheError as error:
                raise CacheError(f"{self.path}: entry {key!r}: {error}") from None
        self._remember_lines(text)

    def _remember_lines(self, text: str) -> None:
        """Note each entry's text as written, so an unchanged entry is saved byte for byte."""
        self._lines = {}
        for line in text.splitlines():
            match = _ENTRY_LINE.match(line)
            if not match:
                continue
            try:
                key, entry = json.loads(match.group(1)), json.loads(match.group(2))
            except json.JSONDecodeError:
                continue
            if key in self._entries and check_entry_quietly(entry) == self._entries[key]:
                self._lines[key] = (self._entries[key], match.group(2))

    def get(self, query: str | None) -> dict[str, Any] | None:
        """A copy of the entry for a query, or None."""
        entry = self._entries.get(query) if query is not None else None
        return dict(entry) if entry is not None else None

    def __contains__(self, query: object) -> bool:
        return query in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._entries))

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for key in sorted(self._entries):
            yield key, dict(self._entries[key])

    # -- writing -------------------------------------------------------------------------------
    def put(self, query: str, entry: Mapping[str, Any]) -> None:
        """Add or replace the entry for a query (in memory; call save() to write the file)."""
        if not isinstance(query, str) or not query.strip():
            raise CacheError("a cache key must be non-empty text")
        checked = check_entry(entry)
        if self._entries.get(query) != checked:
            self._entries[query] = checked
            self.changed = True

    def dumps(self) -> str:
        """The file's text: sorted keys, one entry per line, unchanged lines kept verbatim."""
        if not self._entries:
            return "{}\n"
        lines = []
        for key in sorted(self._entries):
            entry = self._entries[key]
            kept = self._lines.get(key)
            if kept is not None and kept[0] == entry:
                value = kept[1]
            else:
                value = json.dumps(entry, sort_keys=True, ensure_ascii=False, allow_nan=False)
            lines.append(f"  {json.dumps(key, ensure_ascii=False)}: {value}")
        return "{\n" + ",\n".join(lines) + "\n}\n"

    def save(self) -> bool:
        """Write the file atomically if anything changed. Returns True if it was written."""
        if not self.changed:
            return False
        text = self.dumps()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = self.path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed into place, not deleted
            "w",
            encoding="utf-8",
            newline="\n",
            dir=self.path.parent,
            prefix=f".{self.path.name}.",
            suffix=".tmp",
            delete=False,
        )
        try:
            with handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(handle.name, mode)
            os.replace(handle.name, self.path)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        self._remember_lines(text)
        self.changed = False
        return True
