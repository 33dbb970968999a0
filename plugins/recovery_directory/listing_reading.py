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
from .file_stats import FileStats
from .listing.folder import stray_problem
from .listing.model import Organisation
from .listing.read import ReadListing, read_listing, source_path
from .listing.validate import listing_files
from .outputs.editor import listing_json
from .postcode_places import load_placing, places_of, queries_to_place


@dataclass
class Read:
    path: Path
    key: str = ""  # the build cache's key for this file's bytes ("" if it couldn't be read)
    organisation: Organisation | None = None  # None when the listing has problems
    listing_json: bytes = b""  # the listing as checked, for the editor (organisations/<slug>/listing.json)
    problems: list[str] = field(default_factory=list)  # each as printed: file:line:col: message


def read_all(settings: dict[str, Any]) -> tuple[list[Read], dict[str, dict[str, Any]]]:
    """What reading each listing file gave, in the files' order, then a Read with its problem for
    each file in the folder that isn't read as a listing (listing/folder.py: it would be left out);
    and where the ONS data places the postcodes of the listings read here (postcode_places.py;
    cached ones are not asked)."""
    strays: list[Path] = []
    files = listing_files(settings, strays=strays)
    project = os.path.dirname(os.path.abspath(settings["PATH"]))
    cache = ListingCache(settings)
    found: list[Read] = []
    missing: list[tuple[bytes, int]] = []  # (its postcodes' first letters, from the text; position)
    contents: dict[int, bytes | None] = {}  # the bytes hashed, read by the workers from memory
    prefix = os.path.join(os.path.abspath(project), "")
    pickles: dict[str, bytes] = {}  # key -> the listing's pickle, for the cache's bundle
    stats = FileStats(cache.path, project)  # a file whose stat is unchanged keeps its key unread
    for path in files:
        name = os.fspath(path)
        stat, key = stats.known(name)
        content = None
        pickled = cache.get(key) if key else None
        cached = load(pickled)
        if not _is_entry(cached):  # its stat changed (or its entry is gone): the bytes decide
            content = _content(path)
            key = listing_key(_source_path(path, project, prefix), content) if content is not None else ""
            pickled = cache.get(key) if key else None
            cached = load(pickled)
        stats.record(name, stat, key)
        if _is_entry(cached):
            found.append(Read(path, key, *cached))
            pickles[key] = pickled  # type: ignore[assignment] - loaded, so not None
        else:
            found.append(Read(path, key))
            missing.append((_letters(content), len(found) - 1))
            contents[len(found) - 1] = content
    # Checking a postcode opens the ONS index for its first letter (geocoding/ons_index.py, made
    # the first time a letter is needed on a machine): each worker gets listings of different
    # letters (one slice each, not many small tasks), so a cold cache makes no letter twice.
    positions = [position for _, position in sorted(missing)]
    workers = min(forked.processes(settings), max(1, len(positions)))
    known = frozenset(PlacesCache(settings).load()) if positions else frozenset()  # placed before
    reader = _Reader(known)
    # With workers, this process reads one listing and imports what placing postcodes needs before
    # forking, so they inherit what reading loads on first use (phone metadata, compiled patterns,
    # the ONS lookup) instead of each loading it again. At N = 1,000 a worker's first
    # listing took 152 ms instead of 4, and its first `places_of` ~0.3 s more than the warm cost.
    first = positions[:1] if workers > 1 else []
    rest = positions[len(first) :]
    size = max(1, -(-len(rest) // workers))
    chunks = ([first] if first else []) + [rest[start : start + size] for start in range(0, len(rest), size)]
    tasks = [[(str(found[i].path), found[i].key, project, contents[i]) for i in chunk] for chunk in chunks]
    if first:
        load_placing()
    answers = [reader(tasks[0])] if first else []
    answers += forked.run(reader, tasks[len(answers) :], workers)
    places: dict[str, dict[str, Any]] = {}
    for chunk, (results, placed) in zip(chunks, answers, strict=True):
        places.update(placed)
        for position, result in zip(chunk, results, strict=True):
            _fill(found[position], result)
            if isinstance(result, bytes) and found[position].key:
                pickles[found[position].key] = result
    del tasks, contents  # the files' bytes, ~30 MB at N = 10,000
    cache.bundle(pickles)
    stats.save()
    del pickles  # ~47 MB at N = 10,000, kept only for the bundle
    if positions:  # listings were checked here too: close the ONS letters they read (numpy's maps too)
        from .geocoding.ons_files import close_letters

        close_letters()
    forked.give_back_freed_memory()
    found += [Read(path, problems=[str(stray_problem(path))]) for path in strays]
    return found, places


def _is_entry(cached: Any) -> bool:
    return isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], Organisation)


POSTCODE = re.compile(rb"postcode:\s*[\"']?([A-Za-z])")  # the ONS index is kept by first letter


def _content(path: Path) -> bytes | None:
    """The file's bytes, None if it can't be read (read_listing then says what is wrong). Plain
    system calls: Path.read_bytes cost ~29 µs a file against ~8 (N = 10,000: 0.29 s)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def _source_path(path: Path, project: str, prefix: str) -> str:
    """listing.read.source_path for a file inside the project, by string arithmetic: relpath's
    own cost (~33 µs a file, 0.34 s at N = 10,000) was more than hashing the file."""
    absolute = os.path.abspath(path)
    if os.sep == "/" and absolute.startswith(prefix):
        return absolute[len(prefix) :]
    return source_path(path, project)


def _letters(content: bytes | None) -> bytes:
    """The listing's postcodes' first letters (only for listings to be read, not cached ones)."""
    return b" ".join(sorted({found.upper() for found in POSTCODE.findall(content or b"")}))


def _packed(read: ReadListing) -> bytes | list[str]:
    """A listing read: pickled when it passed, else its problems as printed. The parent keeps the
    pickles in the cache's bundle (ListingCache.bundle), not one file each: creating 10,000 cache
    files cost a cold build ~2 s of system time, for what the bundle already holds."""
    if read.organisation is None:
        return [str(problem) for problem in read.check.problems]
    return pickle.dumps((read.organisation, listing_json(read.check.data)), protocol=pickle.HIGHEST_PROTOCOL)


def _fill(item: Read, result: bytes | list[str]) -> None:
    if isinstance(result, bytes):
        item.organisation, item.listing_json = pickle.loads(result)  # noqa: S301 - our worker's bytes
    else:
        item.problems = result


class _Reader:
    """Reads a chunk of listings in a worker."""

    def __init__(self, known: frozenset[str]) -> None:
        self.known = known  # postcodes the build cache has placed: not asked again

    def __call__(
        self, chunk: list[tuple[str, str, str, bytes | None]]
    ) -> tuple[list[bytes | list[str]], dict[str, Any]]:
        # One listing at a time, packed as soon as read: holding a chunk's whole reads (each with
        # its checked data) cost each worker ~100 MB at N = 10,000.
        packed, queries = [], set()
        for path, _, project, content in chunk:
            read = read_listing(path, project, content)
            if read.organisation is not None:
                queries.update(queries_to_place(read.organisation))
            packed.append(_packed(read))
        return packed, places_of(queries, self.known)
