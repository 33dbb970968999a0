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
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from .checks import PLACEHOLDER
from .line_values import line_values
from .plain_values import plain_values
from .yaml_rules import CONTROL_IN_VALUE as _CONTROL_IN_VALUE
from .yaml_rules import MAX_DEPTH
from .yaml_rules import MAYBE_NOT_TEXT as _MAYBE_NOT_TEXT
from .yaml_rules import plain_value as _plain_value

try:  # The C parser is ~10x faster; fall back to pure Python where libyaml is missing.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader

MAX_BYTES = 64 * 1024
_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = {None, "!", _CORE + "str"}  # a scalar written without a tag, or marked as text
# Characters YAML forbids in a file, plus the rare line breaks (NEL, U+2028/9) that YAML counts as
# new lines but editors and our line numbers don't.
_FORBIDDEN_IN_FILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029]")
# Every forbidden character's UTF-8 holds one of these bytes (a control character itself, or the
# first byte of U+0080-U+009F, U+2028/9 and U+FFFE/F): a file with none needs no search.
_SUSPECT_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2, 0xE2, 0xEF])
_UNSUSPECT_BYTES = bytes(byte for byte in range(256) if byte not in _SUSPECT_BYTES)

Path_ = tuple[str | int, ...]
_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent


class ListingLoadError(Exception):
    """The file cannot be read as a listing at all; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class LoadedListing:
    """A listing's values plus, for each value's path, where it was written and how.

    PyYAML marks (0-based line and column) are kept as they come: converting them all would cost
    more than everything else the loader does. Only a listing with problems needs any, so a listing
    read by the fast path (plain_values.py) keeps its text and finds them when first asked.
    """

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
            tracked = _load_tracked(self._text)  # the same text the fast path read: it can't fail
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
    data = plain_values(text, _EventLoader)
    if data is not None:
        return LoadedListing(data, text)
    return _load_tracked(text)  # something unusual: the reference path explains it or accepts it


def _load_tracked(text: str) -> LoadedListing:
    """The reference path: every value with where it was written, or the problem explained."""
    try:
        return _parse(text, _EventLoader)
    except _LibyamlTooDeep:
        return _parse(text, yaml.SafeLoader)  # no depth limit of its own: ours applies


class _LibyamlTooDeep(Exception):
    """libyaml's own nesting limit fired before ours could (see the module docstring)."""


def _parse(text: str, loader_class: type) -> LoadedListing:
    listing = LoadedListing(data={})
    loader = loader_class(text)
    try:
        listing.data = _read_document(loader, listing)
    except yaml.MarkedYAMLError as error:
        if _is_libyaml_depth_limit(error) and loader_class is not yaml.SafeLoader:
            raise _LibyamlTooDeep from None
        raise _syntax_error(error, text) from None
    except yaml.YAMLError:  # a ReaderError our own character check missed
        raise ListingLoadError(
            "The file contains a character YAML does not allow. Retype the line in a plain text editor."
        ) from None
    finally:
        loader.dispose()
    return listing


def _is_libyaml_depth_limit(error: yaml.MarkedYAMLError) -> bool:
    # libyaml: problem "exceeded maximum nesting depth", context "while increasing flow level"
    # (or "block level").
    return "nesting depth" in (error.problem or "") or "increasing" in (error.context or "")


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


def _read_document(loader: Any, listing: LoadedListing) -> dict[str, Any]:
    loader.get_event()  # StreamStart
    if loader.check_event(yaml.StreamEndEvent):
        raise _empty_file()
    loader.get_event()  # DocumentStart
    root = loader.peek_event()
    if isinstance(root, yaml.ScalarEvent) and root.value == "" and not root.style and not root.tag:
        raise _empty_file()
    if not isinstance(root, yaml.MappingStartEvent):
        what = "a list" if isinstance(root, yaml.SequenceStartEvent) else "a single value"
        raise ListingLoadError(
            "The file should be a list of fields, one per line, like `name: Example Café`, "
            f"but it holds {what}.",
            *_mark(root),
        )
    data = _Builder(listing).build(loader)
    loader.get_event()  # DocumentEnd
    if not loader.check_event(yaml.StreamEndEvent):
        raise ListingLoadError(
            "The file holds more than one YAML document (a second `---` line). A listing is one "
            "document: remove the `---` line and anything after it that is not part of this listing.",
            *_mark(loader.peek_event()),
        )
    return data


def _empty_file() -> ListingLoadError:
    return ListingLoadError(
        "The file is empty. A listing needs at least name, types, summary and last_verified; "
        "run `recovery-directory new <name>` for a starter file."
    )


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> ListingLoadError:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "").strip()
    lines = text.splitlines()
    if unclosed := _unclosed_quote(lines[:line]):  # the parser only notices lines later
        return ListingLoadError(
            "The quote that starts this value is never closed, so YAML reads on into the next lines. "
            "Add the closing quote at the end of the value.",
            *unclosed,
        )
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    flow = error.context_mark if "flow" in (error.context or "") else None
    if "\t" in indent or "'\\t'" in problem:
        message = "A tab is used for indenting. YAML needs spaces: replace the tab with spaces."
    elif flow is not None and (colon := _colon_inside_brackets(text, flow.index)):
        line, column, key, value = colon
        message = (
            f"A value inside the {{ }} brackets contains a colon followed by a space, which YAML reads "
            f'as the start of another field. Put that value in quotes: {key}: "{_short(value)}"'
        )
    elif flow is not None and ("expected ','" in problem or "end of stream" in problem):
        line, column = flow.line + 1, flow.column + 1
        closing = "]" if text[flow.index : flow.index + 1] == "[" else "}"
        message = (
            f"The bracket opened here is not closed, or an item is missing its comma. Close it with "
            f'"{closing}" at the end of the line, e.g. types: [lero, mutual_aid].'
        )
    elif "mapping values are not allowed" in problem:
        message = (
            "A value contains a colon followed by a space, or the indentation is off. "
            'Put the whole value in quotes, e.g. summary: "Open 9:30: tea and talk".'
        )
    elif "cannot start any token" in problem:
        found = source_line[column - 1 : column] or "this character"
        message = f"A value cannot start with {found} in YAML. Put the whole value in quotes."
    elif "did not find expected key" in problem or "expected <block end>" in problem or "'-' indicator" in problem:
        message = (
            "The indentation here does not line up with the lines above. Use the same number of "
            "spaces as the other fields at this level (and a `- ` before each list item)."
        )
    elif "found undefined alias" in problem or "did not find expected alphabetic" in problem:
        message = "A `*` or `&` at the start of a value confuses YAML. Put the whole value in quotes."
    else:
        message = (
            f"This line is not valid YAML ({problem or 'syntax error'}). "
            "Check the quotes, colons and indentation."
        )
    return ListingLoadError(message, line, column)


_FLOW_ITEM = re.compile(r"""\s*([A-Za-z_][\w-]*):\s+([^"'\[{][^,}\]]*?:\s[^,}\]]*)""")


def _colon_inside_brackets(text: str, start: int) -> tuple[int, int, str, str] | None:
    """In a `{key: value, …}` opened at `start`, an unquoted value holding ": " (`note: Meet: bring tea`):
    its line, column, key and text. YAML reports it as an unclosed bracket, which sends people looking
    in the wrong place."""
    if text[start : start + 1] != "{":
        return None
    end = text.find("\n", start)
    inside = text[start + 1 : end if end >= 0 else len(text)]
    for found in re.finditer(r"(?:^|,)", inside):
        item = _FLOW_ITEM.match(inside, found.end())
        if item:
            index = start + 1 + item.start(2)
            line = text.count("\n", 0, index) + 1
            return line, index - (text.rfind("\n", 0, index) + 1) + 1, item.group(1), item.group(2).strip()
    return None


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_QUOTED_VALUE_START = re.compile(r"""^\s*(?:-\s+)*(?:[^\s"'#][^:#]*:\s+)?(["'])""")


def _unclosed_quote(lines: list[str]) -> tuple[int, int] | None:
    """Where a value opens a quote that its own line never closes, if any line does that."""
    for number, line in enumerate(lines, 1):
        start = _QUOTED_VALUE_START.match(line)
        if start is None:
            continue
        quote, rest = start.group(1), line[start.end() :]
        closed = rest.replace("''", "").find("'") >= 0 if quote == "'" else re.search(r'(?<!\\)"', rest)
        if not closed:
            return number, start.end()
    return None


def _mark(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Builder:
    """Builds values from parser events without recursion, recording where each came from.

    The loop is the validator's hot path (thousands of listings a second), so it dispatches on
    event classes directly and keeps each open mapping or list as a small [value, path, key] list.
    """

    def __init__(self, listing: LoadedListing) -> None:
        self.listing = listing

    def build(self, loader: Any) -> dict[str, Any]:
        value_marks, key_marks = self.listing.value_marks, self.listing.key_marks
        source_text = self.listing.source_text
        get_event = loader.get_event
        # [mapping or list being filled, its path, key awaiting a value, that value's path]
        stack: list[list[Any]] = []
        while True:
            event = get_event()
            kind = event.__class__
            if kind is _MAPPING_END or kind is _SEQUENCE_END:
                done = stack.pop()
                if not stack:
                    return done[0]
                continue
            if kind is _ALIAS or event.anchor is not None:
                self._refuse_alias(event)
            if stack:
                top = stack[-1]
                container = top[0]
                if container.__class__ is dict:
                    if top[2] is None:  # this event is a key; its value shares the path made here
                        key = event.value if kind is _SCALAR and event.tag is None else None
                        if key is None or key in container or key == "<<" or _CONTROL_IN_VALUE.search(key):
                            self._refuse_key(event, top)
                        top[3] = path = (*top[1], key)
                        key_marks[path] = event.start_mark
                        top[2] = key
                        continue
                    path = top[3]
                else:
                    path = (*top[1], len(container))
            else:
                top, path = None, ()
            value_marks[path] = event.start_mark
            if kind is _SCALAR:
                text = event.value
                if event.tag is None and not event.style and not _CONTROL_IN_VALUE.search(text):
                    source_text[path] = text  # a plain scalar, the usual case: resolved here
                    value: Any = _plain_value(text) if text[:1] in _MAYBE_NOT_TEXT else text
                else:
                    value = self._scalar(event, path)
            else:
                self._open(event, len(stack))
                value = {} if kind is _MAPPING_START else []
                stack.append([value, path, None, None])
            if top is not None:
                if top[0].__class__ is dict:
                    top[0][top[2]] = value
                    top[2] = None
                else:
                    top[0].append(value)

    def _open(self, event: Any, depth: int) -> None:
        self._check_collection_tag(event)
        if depth >= MAX_DEPTH:
            raise ListingLoadError(
                f"Values are nested more than {MAX_DEPTH} levels deep here; no listing field "
                "needs that many. Check the brackets and indentation.",
                *_mark(event),
            )

    @staticmethod
    def _refuse_alias(event: Any) -> None:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ListingLoadError(
                "YAML anchors and aliases (`&name` and `*name`) are not allowed in listings. "
                "Write the value out in full where it is needed.",
                *_mark(event),
            )

    def _refuse_key(self, event: Any, top: list[Any]) -> None:
        """Explain why this key can't be used (the fast path in build() found something odd)."""
        if event.__class__ is not _SCALAR:
            raise ListingLoadError(
                "A field name must be a plain word, like `name:`. Check this line's punctuation.",
                *_mark(event),
            )
        self._check_scalar_tag(event)
        key = event.value
        if key == "<<" and not event.style:
            raise ListingLoadError(
                "`<<` merge keys are not allowed in listings. Write each field out in full.", *_mark(event)
            )
        self._reject_control_characters(key, event)
        if key in top[0]:
            first = self.listing.key_marks[(*top[1], key)]
            raise ListingLoadError(
                f'The field "{key}" appears twice (first on line {first.line + 1}). Keep one and delete the other.',
                *_mark(event),
            )
        raise ListingLoadError(  # a `!!str`-tagged key: legal YAML, but nobody writes one by accident
            "A field name must be a plain word, like `name:`, without a tag.", *_mark(event)
        )

    def _scalar(self, event: Any, path: Path_) -> Any:
        text = event.value
        if _CONTROL_IN_VALUE.search(text):
            self._reject_control_characters(text, event)
        if event.tag is not None:
            self._check_scalar_tag(event)
            return text  # `!!str` or `!`: text
        if event.style:  # quoted or block text is always text
            return text
        self.listing.source_text[path] = text
        return _plain_value(text)

    @staticmethod
    def _reject_control_characters(text: str, event: Any) -> None:
        if found := _CONTROL_IN_VALUE.search(text):
            raise ListingLoadError(
                f"This value contains an invisible control character (U+{ord(found.group()):04X}), "
                'probably written as an escape such as "\\e" or "\\x07". Remove it.',
                *_mark(event),
            )

    @staticmethod
    def _check_scalar_tag(event: Any) -> None:
        if event.tag not in _PLAIN_TAGS:
            _refuse_tag(event)

    @staticmethod
    def _check_collection_tag(event: Any) -> None:
        expected = _CORE + ("map" if isinstance(event, yaml.MappingStartEvent) else "seq")
        if event.tag not in (None, "!", expected):
            _refuse_tag(event)


def _refuse_tag(event: Any) -> None:
    raise ListingLoadError(
        f"The tag `{event.tag.replace(_CORE, '!!')}` is not allowed in listings: remove it and write "
        "a plain value (put text in quotes if it needs them).",
        *_mark(event),
    )
