"""JSON text for the published files: json's C encoder called directly, and the diff-friendly
layout of the /data/ exports.

`json.JSONEncoder.encode` sets up a new C encoder on every call; the exports encode one record at
a time (100,000+ a build at 10,000 listings), so `compact` makes it once. Same text as
`json.dumps(data, ensure_ascii=False, separators=(",", ":"))`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_C_ENCODE = (
    c_make_encoder(None, _ENCODER.default, encode_basestring, None, ":", ",", False, False, True)
    if c_make_encoder is not None
    else None
)


def compact(data: Any) -> str:
    """Compact JSON, UTF-8 as is (no circular-reference check: the exports are plain trees)."""
    if _C_ENCODE is None:  # a Python without json's C speedups
        return _ENCODER.encode(data)
    return "".join(_C_ENCODE(data, 0))


@dataclass(frozen=True)
class Encoded:
    """A top-level list of a document whose records are already compact JSON, one string each
    (made once per listing, so a build or a cache can reuse them)."""

    lines: Sequence[str]


def json_bytes(data: Any) -> bytes:
    """Diff-friendly and stable: insertion order, UTF-8 as is, newline at the end; the top-level
    fields one per line and each record of a top-level list on a line of its own, so changing a
    listing changes its own lines only. A value may be `Encoded`: its records are used as they are.

    Each line is written by json's C encoder: `indent=` switches json to its pure-Python encoder,
    which took several times longer than everything else the exports do.
    """
    return "".join(json_pieces(data)).encode("utf-8")


def json_pieces(data: Any) -> Iterator[str]:
    """`json_bytes`'s text in pieces of a few thousand records, so a file of tens of MB can be
    written without being held whole (openreferral.json is 36 MB at N = 10,000)."""
    if isinstance(data, Encoded):
        yield "["
        yield from _joined(data.lines, ",")
        yield "]\n"
        return
    if not isinstance(data, dict):
        yield compact(data) + "\n"
        return
    yield "{\n"
    for index, (key, value) in enumerate(data.items()):
        start = ",\n" if index else ""
        records = None  # None: not a list
        if isinstance(value, Encoded):
            records = value.lines
        elif isinstance(value, list):
            records = list(map(compact, value))
        if records:
            yield f"{start}  {compact(key)}: [\n    "
            yield from _joined(records, ",\n    ")
            yield "\n  ]"
        else:
            yield f"{start}  {compact(key)}: {'[]' if records is not None else compact(value)}"
    yield "\n}\n"


def _joined(lines: Sequence[str], separator: str, size: int = 2000) -> Iterator[str]:
    """separator.join(lines), in pieces of `size` lines."""
    for start in range(0, len(lines), size):
        yield (separator if start else "") + separator.join(lines[start : start + size])
