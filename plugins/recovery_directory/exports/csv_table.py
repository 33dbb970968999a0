"""CSV writing shared by every CSV we publish: Excel-friendly and safe to open.

UTF-8 with a byte-order mark (so Excel doesn't read "Café" as "CafÃ©"), RFC 4180 CRLF lines, and
a guard against formula injection: contributor text starting with = + - @ (or a tab or carriage
return) would run as a formula in a spreadsheet, so such cells get a leading apostrophe.
Numbers we produce (coordinates, counts) are written as numbers and never changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
JOIN = "; "


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def joined(values: Iterable[str]) -> str:
    """Multi-valued fields in one cell; a "; " inside a value becomes ", " so splitting stays exact."""
    return JOIN.join(str(value).replace(JOIN, ", ") for value in values)


def csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """A header row, then each row's cells in column order (a missing cell is empty; a cell with
    no column is a mistake and raises, as csv.DictWriter's extrasaction="raise" would)."""
    columns = list(columns)
    known = set(columns)
    cells = []
    for row in rows:
        if extra := row.keys() - known:
            raise ValueError(f"dict contains fields not in fieldnames: {', '.join(map(repr, sorted(extra)))}")
        cells.append([row.get(column) for column in columns])
    return csv_document(csv_header(columns), csv_lines(cells))


def csv_lines(rows: Iterable[Sequence[Any]]) -> str:
    """Rows of cells (None is empty) as CSV text, each cell made safe: part of a file, so the rows
    of one listing can be written once and joined with the others' (`csv_document`)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([safe_cell("" if value is None else value) for value in row] for row in rows)
    return buffer.getvalue()


def csv_header(columns: Sequence[str]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerow(columns)
    return buffer.getvalue()


def csv_document(*parts: str) -> bytes:
    """The file from its header and rows text: UTF-8 with a byte-order mark."""
    return "".join(parts).encode("utf-8-sig")
