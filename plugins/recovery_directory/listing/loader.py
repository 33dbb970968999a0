"""Read a listing's YAML safely, remembering where every value came from.

PyYAML's own loaders are too forgiving for contributor files (DESIGN.md, "Known traps"): they keep
the last of two duplicate keys, expand alias bombs, read `NO` as False, `0123` as 83 and dates as
date objects. So we let the C parser turn the text into events and build values ourselves from
those events, with an explicit stack and YAML 1.2 core rules: only true/false are booleans, plain
numbers are numbers, everything else (dates, times, `yes`, `NO`) stays text for the schema to
judge. Anchors, aliases and tags other than `!!str` are refused, so `!!python/object` cannot run
code and an alias bomb is stopped at its first `&`. We never use PyYAML's composer: its C version
recurses once per nesting level and crashes the interpreter (segfault) on `[[[[…` 30,000 deep.

Our nesting limit (MAX_DEPTH) must win whatever libyaml is installed: the libyaml in PyYAML 6.0.4's
wheels stops at 1,000 levels, and on one line of `[[[[…` its scanner reads that far ahead before
we see the twelfth bracket. When libyaml gives up on depth we read the file again with PyYAML's
pure-Python parser, which has no limit of its own, so the volunteer gets our message at the right
line and column.

Those paths (libyaml's events) are in yaml_events.py, imported only for a file line_values.py
doesn't read: most listings never need PyYAML at all.

A ` #` ends an unquoted value and starts a comment, so `summary: Café #1 in Halifax` reads as
"Café". The reference path notes every comment written straight after an unquoted value
(`LoadedListing.comments_after_values`) for validate.py to explain (comments.py); line_values.py
reads no such file, and plain_values.py (which records nothing) is skipped for a text with a space
or tab before a `#`. A file without one costs nothing more.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from .checks import PLACEHOLDER
from .line_values import line_values
from .yaml_rules import MAX_DEPTH

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "CommentAfterValue",
    "ListingLoadError",
    "LoadedListing",
    "load_listing",
    "load_listing_bytes",
]

MAX_BYTES = 64 * 1024
# Characters YAML forbids in a file, plus the rare line breaks (NEL, U+2028/9) that YAML counts as
# new lines but editors and our line numbers don't.
_FORBIDDEN_IN_FILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029]")
# Every forbidden character's UTF-8 holds one of these bytes (a control character itself, or the
# first byte of U+0080-U+009F, U+2028/9 and U+FFFE/F): a file with none needs no search.
_SUSPECT_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2, 0xE2, 0xEF])
_UNSUSPECT_BYTES = bytes(byte for byte in range(256) if byte not in _SUSPECT_BYTES)

Path_ = tuple[str | int, ...]


class ListingLoadError(Exception):
    """The file cannot be read as a listing at all; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class CommentAfterValue(NamedTuple):
    """A comment written on the line of an unquoted value, straight after it (`how: Room #2`, or
    `summary: #1 café` with nothing before it): YAML leaves it out of the value."""

    path: Path_
    line: int  # 1-based, of the "#"
    column: int
    value: str  # the value as typed before the comment ("" if none)
    comment: str  # from the "#" to the end of the line


class LoadedListing:
    """A listing's values plus, for each value's path, where it was written and how.

    PyYAML marks (0-based line and column) are kept as they come: converting them all would cost
    more than everything else the loader does. Only a listing with problems needs any, so a listing
    read by the fast path (plain_values.py) keeps its text and finds them when first asked.
    """

    # Comments straight after unquoted values, in file order: set only by the reference path
    # (yaml_events.py) on a listing it reads, when it finds one. The fast paths read no such file.
    comments_after_values: tuple[CommentAfterValue, ...] | list[CommentAfterValue] = ()

    def __init__(self, data: dict[str, Any], text: str | None = None) -> None:
        self.data = data
        self.verbatim_without_placeholder = False  # True: checks.py need not look for CHANGE ME
        self._text = text  # set: positions not yet read
        self._value_marks: dict[Path_, Any] = {}
        self._key_marks: dict[Path_, Any] = {}
        self._source_text: dict[Path_, str] = {}  # plain scalars as typed

    @property
    def value_marks(self) -> dict[Path_, Any]:
        return self._positions()._value_marks

    @property
    def key_marks(self) -> dict[Path_, Any]:
        return self._positions()._key_marks

    @property
    def source_text(self) -> dict[Path_, str]:
        return self._positions()._source_text

    def _positions(self) -> LoadedListing:
        if self._text is not None:
            tracked = _events().load_tracked(self._text)  # the same text the fast path read: it can't fail
            self._value_marks, self._key_marks = tracked._value_marks, tracked._key_marks
            self._source_text, self._text = tracked._source_text, None
        return self

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value (or key) at `path`, else of its nearest written parent."""
        marks = (self.key_marks, self.value_marks) if key else (self.value_marks, self.key_marks)
        for length in range(len(path), -1, -1):
            for found in marks:
                if (mark := found.get(path[:length])) is not None:
                    return mark.line + 1, mark.column + 1
        return (1, 1)


def _too_big(size: int) -> ListingLoadError:
    return ListingLoadError(
        f"The file is {size:,} bytes; a listing can be at most {MAX_BYTES:,} bytes (64 KB). "
        "Shorten the description or remove pasted content."
    )


def load_listing(path: str | Path) -> LoadedListing:
    try:
        raw = _read_capped(path)
    except OSError as error:
        raise ListingLoadError(f"The file could not be read ({error.strerror or error}).") from None
    return load_listing_bytes(raw)


def _read_capped(path: str | Path) -> bytes:
    """The file's bytes, reading no more than the cap however big it is. Plain system calls: a
    Python file object cost more than parsing a third of the listing."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        chunks, size = [], 0
        while size <= MAX_BYTES and (chunk := os.read(descriptor, MAX_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:  # only now ask its size, for the message: a stat per file costs
            raise _too_big(max(os.fstat(descriptor).st_size, size))
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def load_listing_bytes(raw: bytes) -> LoadedListing:
    if len(raw) > MAX_BYTES:
        raise _too_big(len(raw))
    text = _decode(raw)
    if raw.translate(None, _UNSUSPECT_BYTES):  # else no forbidden character: searching costs 6 times as much
        _reject_forbidden_characters(text)
    data = line_values(text)
    if data is not None:
        listing = LoadedListing(data, text)
        # Every value line_values reads is a piece of the text as written (no escapes, no lines
        # folded together), so a text without the placeholder has no value holding it.
        # (b"change" not in the lower-cased bytes rules it out at a tenth of the search's cost: only
        # ASCII letters lower-case to c, h, a, n, g or e, in str.lower() as in the search's IGNORECASE.)
        listing.verbatim_without_placeholder = b"change" not in raw.lower() or PLACEHOLDER.search(text) is None
        return listing
    events = _events()
    # A space or tab before a "#" may be a comment after a value, which only the reference path
    # notes (comments.py explains it): plain_values.py records nothing, so it is not asked.
    if " #" not in text and "\t#" not in text:
        data = events.plain_data(text)
        if data is not None:
            return LoadedListing(data, text)
    return events.load_tracked(text)  # something unusual: the reference path explains it or accepts it


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark is fine: some editors add one
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ListingLoadError(
            f"The file is not UTF-8 text (byte 0x{raw[error.start]:02X} here). Save it as UTF-8 "
            "in your editor (the GitHub web editor always does) and retype any odd characters.",
            line,
            column,
        ) from None


def _reject_forbidden_characters(text: str) -> None:
    found = _FORBIDDEN_IN_FILE.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    raise ListingLoadError(
        f"The file contains an invisible control character (U+{ord(found.group()):04X}) here, often "
        "pasted from a word processor. Delete it and retype that part of the line.",
        line,
        column,
    )


@cache
def _events() -> ModuleType:
    """yaml_events.py (and PyYAML), imported for the first file line_values.py doesn't read."""
    from . import yaml_events

    return yaml_events
