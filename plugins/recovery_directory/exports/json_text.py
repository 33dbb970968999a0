"""JSON text for the published files: json's C encoder called directly, and the diff-friendly
layout of the /data/ exports.

`json.JSONEncoder.encode` sets up a new C encoder on every call; the exports encode one record at
a time (100,000+ a build at 10,000 listings), so `compact` makes it once. Same text as
`json.dumps(data, ensure_ascii=False, separators=(",", ":"))`.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from json.encoder import c_make_encoder, encode_basestring
from typing import Any, TextIO

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

    lines: Iterable[str]  # a list, or anything with a length that can be read through once (`Spooled`)


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
        yield from _field(key, value, ",\n" if index else "")
    yield "\n}\n"


def _field(key: str, value: Any, start: str) -> Iterator[str]:
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


def _joined(lines: Iterable[str], separator: str, size: int = 2000) -> Iterator[str]:
    """separator.join(lines), in pieces of `size` lines."""
    found = iter(lines)
    start = ""
    while batch := list(islice(found, size)):
        yield start + separator.join(batch)
        start = separator


class LastListWriter:
    """`json_bytes(header | {key: Encoded(records)})` written to `out` as the records come, none
    held (`header` None: `json_bytes(Encoded(records))`, the document is the list)."""

    def __init__(self, out: TextIO, header: dict[str, Any] | None, key: str = "") -> None:
        self.out, self.key, self.count, self.top = out, key, 0, header is None
        self.start = ""
        if header is None:
            out.write("[")
            return
        out.write("{\n")
        for index, (name, value) in enumerate(header.items()):
            out.writelines(_field(name, value, ",\n" if index else ""))
        self.start = ",\n" if header else ""

    def add(self, record: str) -> None:
        if self.top:
            self.out.write("," + record if self.count else record)
        elif self.count:
            self.out.write(",\n    " + record)
        else:
            self.out.write(f"{self.start}  {compact(self.key)}: [\n    {record}")
        self.count += 1

    def close(self) -> None:
        if self.top:
            self.out.write("]\n")
        else:
            self.out.write(("\n  ]" if self.count else f"{self.start}  {compact(self.key)}: []") + "\n}\n")


class Spooled:
    """Records kept in a temporary file until the document they belong to is written, for a list
    that is not a document's last (openreferral.json's tables): `Encoded(spooled)` reads them back.
    Compact JSON has no raw line breaks, so each record is one line."""

    def __init__(self, records: Iterable[str] = ()) -> None:
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115 - close()
        self.count = 0
        self.extend(records)

    def extend(self, records: Iterable[str]) -> None:
        for record in records:
            self.file.write(record + "\n")
            self.count += 1

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        self.file.seek(0)
        return (line[:-1] for line in self.file)

    def close(self) -> None:
        self.file.close()
