"""The search files (index, details and text shards) joined from each listing's part, byte for
byte what `search.write_json` writes from search_index.py's `encode_index`, `encode_details` and
`encode_text` (the reference; tests/test_search_parts.py holds the two to the same bytes).

A part is what a listing contributes, already encoded as JSON text wherever it depends on that
listing alone: its index row but the area and town references (which number areas and towns
across the directory, and place pins from their town's middle), its details row and its text
row. Kept between builds (output_parts.ListingParts) they load ~4x faster than the records
they are made from: at N = 10,000 unpickling the records was ~0.6 s of a one-edit rebuild.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from ..geocoding.authorities import NATION_ORDER
from .search_index import (
    DETAIL_FIELDS,
    DETAILS_SHARD_SIZE,
    E4,
    FLAGS,
    INDEX_VERSION,
    MASKED_FIELDS,
    TEMPORARILY_CLOSED,
    TEXT_FIELDS,
    TEXT_SHARD_SIZE,
    _encode_slug,
    _mask,
    _middle,
    _Totals,
    _trim,
    encode_details,
    encode_text,
    index_header,
    weekly_hours,
)


def dumps(value: Any) -> str:
    """As search.write_json encodes: compact, and ASCII only (é as \\u00e9): one character beyond
    Latin-1 (’ – “) anywhere in a file has the browser hold all of it as two-byte text, and at
    10,000 listings the index then took ~15 ms longer to fetch and parse (docs/benchmarks.md);
    the escapes add a few bytes per such character."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


class SearchPart(NamedTuple):
    head: str  # the index row's values before the areas (nations, online hours last), encoded, joined by commas
    areas: tuple[str, ...]  # areas served, by name (numbered across the directory when joined)
    locations: tuple[tuple[str, float | None, float | None, tuple[int, ...]], ...]  # town, lat, lon, hours
    verified: int  # YYYYMM: the row's last value, never 0 (so never trimmed)
    details: str  # its details row, encoded
    text: str  # its text row, encoded
    filters: tuple[Any, ...]  # its value of each filter field (search.LIST_FILTERS), for the counts
    counted: tuple[int, ...]  # its flags, bit masks and cost as in its row, for the index's totals


def search_part(
    record: dict[str, Any], vocabularies: dict[str, list[str]], filter_fields: tuple[str, ...]
) -> SearchPart:
    """`record` (search_index.search_record's) as its part of every search file."""
    flags = sum(bit for name, bit in FLAGS.items() if record[name])
    flags |= TEMPORARILY_CLOSED if record["status"] == "temporarily_closed" else 0
    counted = (
        flags,
        *(_mask(record[name], vocabularies[name]) for name in MASKED_FIELDS),
        vocabularies["cost"].index(record["cost"]) + 1 if record["cost"] else 0,
    )
    nations = _mask(record["nations"], NATION_ORDER)
    online = weekly_hours(record["online_hours"])
    head = [_encode_slug(record["slug"], record["name"]), record["name"], record["summary"], *counted, nations, online]
    locations = [
        (location["town"], location["lat"], location["lon"], tuple(weekly_hours(location["hours"])))
        for location in record["locations"]
    ]
    verified = int(record["last_verified"][:7].replace("-", ""))
    if not verified:  # the join assumes the row's last value is never trimmed
        raise ValueError(f"{record['slug']}: no month last verified")
    return SearchPart(
        head=",".join(map(dumps, head)),
        areas=tuple(record["areas_served"]),
        locations=tuple(locations),
        verified=verified,
        details=dumps(encode_details([record])[0]["records"][0]),
        text=dumps(encode_text([record])[0]["records"][0]),
        filters=tuple(record[field] for field in filter_fields),
        counted=counted,
    )


def index_text(parts: list[SearchPart], vocabularies: dict[str, list[str]]) -> str:
    """search/index.json: encode_index's document, written by search.write_json."""
    pins: dict[str, list[tuple[float, float]]] = {}
    for part in parts:
        for town, lat, lon, _ in part.locations:
            found = pins.setdefault(town, [])
            if lat is not None and lon is not None:
                found.append((lat, lon))
    towns = {town: (position, _middle(points)) for position, (town, points) in enumerate(pins.items())}
    areas: dict[str, int] = {}
    rows = []
    totals = _Totals(vocabularies)
    for part in parts:
        totals.add([None, None, None, *part.counted])  # the row's values up to its cost
        located = []
        for town, lat, lon, hours in part.locations:
            position, centre = towns[town]
            pinned = lat is not None and lon is not None
            located.append(_trim([
                round(lat * E4) - centre[0] if pinned else None,
                round(lon * E4) - centre[1] if pinned else None,
                position,
                list(hours),
            ], keep=2))
        numbered = [areas.setdefault(area, len(areas)) for area in part.areas]
        rows.append(f"[{part.head},{dumps(numbered)},{dumps(located)},{part.verified}]")
    return _with_records(index_header(vocabularies, areas, towns, totals), rows)


def details_texts(parts: list[SearchPart]) -> list[str]:
    """search/details/<n>.json, in order: encode_details' shards."""
    return _shards(DETAIL_FIELDS, DETAILS_SHARD_SIZE, [part.details for part in parts])


def text_texts(parts: list[SearchPart]) -> list[str]:
    """search/text/<n>.json, in order: encode_text's shards."""
    return _shards(TEXT_FIELDS, TEXT_SHARD_SIZE, [part.text for part in parts])


def _shards(fields: list[str], size: int, rows: list[str]) -> list[str]:
    return [
        _with_records({"version": INDEX_VERSION, "fields": fields, "start": start}, rows[start : start + size])
        for start in range(0, len(rows), size)
    ]


def _with_records(header: dict[str, Any], rows: list[str]) -> str:
    """dumps({**header, "records": rows as JSON}) with each row already encoded ("records" is
    the last key, as in the reference documents)."""
    return f'{dumps(header)[:-1]},"records":[{",".join(rows)}]}}'
