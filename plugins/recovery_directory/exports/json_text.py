"""JSON text for the published files: json's C encoder called directly, and the diff-friendly
layout of the /data/ exports.

`json.JSONEncoder.encode` sets up a new C encoder on every call; the exports encode one record at
a time (100,000+ a build at 10,000 listings), so `compact` makes it once. Same text as
`json.dumps(data, ensure_ascii=False, separators=(",", ":"))`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
    if isinstance(data, Encoded):
        return ("[" + ",".join(data.lines) + "]\n").encode("utf-8")
    if not isinstance(data, dict):
        return (compact(data) + "\n").encode("utf-8")
    lines = []
    for key, value in data.items():
        records = None  # None: not a list
        if isinstance(value, Encoded):
            records = value.lines
        elif isinstance(value, list):
            records = list(map(compact, value))
        if records:
            items = ",\n    ".join(records)
            lines.append(f"  {compact(key)}: [\n    {items}\n  ]")
        else:
            lines.append(f"  {compact(key)}: {'[]' if records is not None else compact(value)}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")
