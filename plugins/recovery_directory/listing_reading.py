"""Read every listing file for the build: from the build cache when an identical file was read
before under the same code, schema and date, else with listing/read.py's `read_listing` in
forked workers (forked.py). One result per file, in the files' order, whichever way it came.

A listing that passed travels (from a worker, and into the cache) as one pickle of its
Organisation and the JSON the listing editor starts from (outputs/editor.py's `listing_json`):
measured at N = 1,000, pickling that pair costs a fifth of pickling `read_listing`'s whole result
(0.05 ms against 0.24 ms a listing).
"""

from __future__ import annotations

import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import forked
from .build_cache import ListingCache, PlacesCache, listing_key, load
from .listing.model import Organisation
from .listing.read import ReadListing, read_listing, source_path
from .listing.validate import listing_files
from .outputs.editor import listing_json
from .postcode_places import ons_places


@dataclass
class Read:
    path: Path
    key: str = ""  # the build cache's key for this file's bytes ("" if it couldn't be read)
    organisation: Organisation | None = None  # None when the listing has problems
    listing_json: bytes = b""  # the listing as checked, for the editor (organisations/<slug>/listing.json)
    problems: list[str] = field(default_factory=list)  # each as printed: file:line:col: message


def read_all(settings: dict[str, Any]) -> tuple[list[Read], dict[str, dict[str, Any]]]:
    """What reading each listing file gave, in the files' order; and where the ONS data places
    the postcodes of the listings read here (postcode_places.py; cached ones are not asked)."""
    files = listing_files(settings)
    project = os.path.dirname(os.path.abspath(settings["PATH"]))
    cache = ListingCache(settings)
    found: list[Read] = []
    missing: list[tuple[bytes, int]] = []  # (its postcodes' first letters, from the text; position)
    contents: dict[int, bytes | None] = {}  # the bytes hashed, read by the workers from memory
    for path in files:
        key, letters, content = _key(path, project)
        cached = load(cache.get(key)) if key else None
        if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], Organisation):
            found.append(Read(path, key, *cached))
        else:
            found.append(Read(path, key))
            missing.append((letters, len(found) - 1))
            contents[len(found) - 1] = content
    # Checking a postcode opens the ONS index for its first letter (geocoding/ons_index.py, made
    # the first time a letter is needed on a machine): each worker gets listings of different
    # letters (one slice each, not many small tasks), so a cold cache makes no letter twice.
    positions = [position for _, position in sorted(missing)]
    workers = min(forked.processes(settings), max(1, len(positions)))
    size = max(1, -(-len(positions) // workers))
    chunks = [positions[start : start + size] for start in range(0, len(positions), size)]
    tasks = [[(str(found[i].path), found[i].key, project, contents[i]) for i in chunk] for chunk in chunks]
    known = frozenset(PlacesCache(settings).load()) if positions else frozenset()  # placed before
    places: dict[str, dict[str, Any]] = {}
    for chunk, (results, placed) in zip(chunks, forked.run(_Reader(cache, known), tasks, workers), strict=True):
        places.update(placed)
        for position, result in zip(chunk, results, strict=True):
            _fill(found[position], result)
    return found, places


POSTCODE = re.compile(rb"postcode:\s*[\"']?([A-Za-z])")  # the ONS index is kept by first letter


def _key(path: Path, project: str) -> tuple[str, bytes, bytes | None]:
    """The file's cache key, its postcodes' first letters and its bytes ("", b"", None if it
    can't be read). Checking uses the same bytes (a second read cost ~8 µs of a ~650 µs check)."""
    try:
        content = path.read_bytes()
    except OSError:  # read_listing explains what is wrong with the file
        return "", b"", None
    letters = b" ".join(sorted({found.upper() for found in POSTCODE.findall(content)}))
    return listing_key(source_path(path, project), content), letters, content


def _packed(read: ReadListing, key: str, cache: ListingCache) -> bytes | list[str]:
    """A listing read: pickled (and cached) when it passed, else its problems as printed."""
    if read.organisation is None:
        return [str(problem) for problem in read.check.problems]
    pickled = pickle.dumps((read.organisation, listing_json(read.check.data)), protocol=pickle.HIGHEST_PROTOCOL)
    if key:
        cache.put(key, pickled)
    return pickled


def _fill(item: Read, result: bytes | list[str]) -> None:
    if isinstance(result, bytes):
        item.organisation, item.listing_json = pickle.loads(result)  # noqa: S301 - our worker's bytes
    else:
        item.problems = result


class _Reader:
    """Reads a chunk of listings in a worker (the cache it writes to bound in)."""

    def __init__(self, cache: ListingCache, known: frozenset[str]) -> None:
        self.cache = cache
        self.known = known  # postcodes the build cache has placed: not asked again

    def __call__(
        self, chunk: list[tuple[str, str, str, bytes | None]]
    ) -> tuple[list[bytes | list[str]], dict[str, Any]]:
        read = [read_listing(path, project, content) for path, _, project, content in chunk]
        places = ons_places((item.organisation for item in read if item.organisation is not None), self.known)
        return [_packed(item, key, self.cache) for item, (_, key, _, _) in zip(read, chunk, strict=True)], places
