"""Read a listing's YAML safely, remembering where every value came from.

PyYAML's own loaders are too forgiving for contributor files (DESIGN.md, "Known traps"): they keep
the last of two duplicate keys, expand alias bombs, read `NO` as False, `0123` as 83 and dates as
date objects. So we let the C parser build the node tree (fast, no Python objects constructed) and
build values ourselves with YAML 1.2 core rules: only true/false are booleans, plain numbers are
numbers, everything else (dates, times, `yes`, `NO`) stays text for the schema to judge. No tag
outside YAML's core set is ever constructed, so `!!python/object` cannot run code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # The C parser is ~10x faster; fall back to pure Python where libyaml is missing.
    from yaml import CSafeLoader as _NodeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _NodeLoader

MAX_BYTES = 64 * 1024

_CORE = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _CORE + "str", _CORE + "map", _CORE + "seq"
_IMPLICIT_SCALARS = {_CORE + name for name in ("int", "float", "bool", "null", "timestamp", "value")}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}

Path_ = tuple[str | int, ...]


class ListingLoadError(Exception):
    """The file cannot be read as a listing at all; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class LoadedListing:
    """A listing's values plus, for each value's path, where it was written and how."""

    data: dict[str, Any]
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    source_text: dict[Path_, str] = field(default_factory=dict)  # plain scalars as typed

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at `path`, else of its nearest written parent."""
        marks = (self.key_marks, self.value_marks) if key else (self.value_marks, self.key_marks)
        for length in range(len(path), -1, -1):
            for found in marks:
                if path[:length] in found:
                    return found[path[:length]]
        return (1, 1)


def load_listing(path: str | Path) -> LoadedListing:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ListingLoadError(
                f"The file is {size:,} bytes; a listing can be at most {MAX_BYTES:,} bytes (64 KB). "
                "Shorten the description or remove pasted content."
            )
        raw = path.read_bytes()
    except OSError as error:
        raise ListingLoadError(f"The file could not be read ({error.strerror}).") from None
    return load_listing_bytes(raw)


def load_listing_bytes(raw: bytes) -> LoadedListing:
    if len(raw) > MAX_BYTES:
        raise ListingLoadError(
            f"The file is {len(raw):,} bytes; a listing can be at most {MAX_BYTES:,} bytes (64 KB). "
            "Shorten the description or remove pasted content."
        )
    text = _decode(raw)
    root = _compose(text)
    if root is None:
        raise ListingLoadError(
            "The file is empty. A listing needs at least name, types, summary and last_verified; "
            "run `recovery-directory new <name>` for a starter file."
        )
    if not isinstance(root, yaml.MappingNode) or root.tag != _MAP:
        line, column = _mark(root)
        raise ListingLoadError(
            "The file should be a list of fields, one per line, like `name: Example Café`, "
            f"but it holds {_describe_node(root)}.",
            line,
            column,
        )
    listing = LoadedListing(data={})
    listing.data = _Builder(listing).build(root, ())
    return listing


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


def _compose(text: str) -> yaml.Node | None:
    loader = _NodeLoader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, text) from None
    except yaml.YAMLError as error:  # ReaderError: control characters and the like
        position = getattr(error, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 1
        raise ListingLoadError(
            "The file contains a control character that YAML does not allow. Delete it and "
            "retype that part of the line.",
            line,
        ) from None
    finally:
        loader.dispose()


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> ListingLoadError:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "").strip()
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    if "\t" in indent or "'\\t'" in problem:
        message = "A tab is used for indenting. YAML needs spaces: replace the tab with spaces."
    elif "expected a single document" in problem:
        message = "The file holds more than one YAML document (a second `---` line). Remove it."
    elif "mapping values are not allowed" in problem:
        message = (
            "A value contains a colon followed by a space, or the indentation is off. "
            'Put the whole value in quotes, e.g. summary: "Open 9:30: tea and talk".'
        )
    elif "found character '@'" in problem or "found character '`'" in problem:
        message = "A value starts with a character YAML reserves. Put the whole value in quotes."
    elif "did not find expected key" in problem or "expected <block end>" in problem:
        message = (
            "The indentation here does not line up with the lines above. Use the same number of "
            "spaces as the other fields at this level (and a `- ` before each list item)."
        )
    elif "found undefined alias" in problem or "found unhashable key" in problem:
        message = "A `*` or `{` at the start of a value confuses YAML. Put the value in quotes."
    else:
        message = (
            f"This line is not valid YAML ({problem or 'syntax error'}). "
            "Check the quotes, colons and indentation."
        )
    return ListingLoadError(message, line, column)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _describe_node(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode):
        return "a single value"
    return "something else"


class _Builder:
    """Turns nodes into Python values, recording marks and rejecting YAML's dangerous features."""

    def __init__(self, listing: LoadedListing) -> None:
        self.listing = listing
        self.seen: set[int] = set()  # a node reached twice is an alias: reject it (no bombs)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self.seen:
            raise ListingLoadError(
                "YAML anchors and aliases (`&name` and `*name`) are not allowed in listings. "
                "Write the value out in full where it is needed.",
                *_mark(node),
            )
        self.seen.add(id(node))
        self.listing.value_marks[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            self._check_tag(node, _MAP)
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, _SEQ)
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise ListingLoadError(
                f"The tag `{node.tag.replace(_CORE, '!!')}` is not allowed in listings: write plain values only.",
                *_mark(node),
            )

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ListingLoadError(
                    "A field name must be a plain word, like `name:`. Check this line's punctuation.",
                    *_mark(key_node),
                )
            if key_node.tag == _CORE + "merge":
                raise ListingLoadError(
                    "`<<` merge keys are not allowed in listings. Write each field out in full.",
                    *_mark(key_node),
                )
            key = str(key_node.value)
            if key in result:
                first_line = self.listing.key_marks[(*path, key)][0]
                raise ListingLoadError(
                    f'The field "{key}" appears twice (first on line {first_line}). '
                    "Keep one and delete the other.",
                    *_mark(key_node),
                )
            self.listing.key_marks[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        text = node.value
        if node.tag == _STR or node.style:  # quoted or block text is always text
            if node.tag not in (_STR, *_IMPLICIT_SCALARS):
                self._check_tag(node, _STR)
            return text
        if node.tag not in _IMPLICIT_SCALARS:
            self._check_tag(node, _STR)
        self.listing.source_text[path] = text
        if text in _NULLS:
            return None
        if text in _BOOLS:
            return _BOOLS[text]
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
        return text
