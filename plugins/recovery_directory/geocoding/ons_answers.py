"""The offline ONS answers as the build keeps them (`raw` dicts), without geopy: a build whose
postcodes the ONS data places never imports geopy and requests (~0.12 s a process, in a build of
~1 s of fixed costs). offline.py's geopy geocoder gives the same answers as Locations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import ons_postcodes
from .authorities import NATIONS, all_names, display_name

PROVIDER = "ons"


def raw_answers(queries: Iterable[str]) -> dict[str, dict[str, Any]]:
    """{query: its answer} for the queries that are postcodes the directory can place."""
    queries = list(queries)
    records = ons_postcodes.lookup(queries)
    answers = {}
    for query in queries:
        normal = ons_postcodes.normalise_postcode(query) if isinstance(query, str) else None
        record = records.get(normal) if normal else None
        if record is not None and record.lat is not None and not record.outside_uk:
            answers[query] = raw_answer(record)
    return answers


def raw_answer(record: ons_postcodes.PostcodeRecord) -> dict[str, Any]:
    code = record.authority_code
    name = all_names().get(code) if code else None
    return {
        "postcode": record.postcode,
        "latitude": record.lat,
        "longitude": record.lon,
        "local_authority": display_name(name) if name else None,
        "local_authority_code": code if name else None,
        "country": NATIONS.get(code[0]) if name else None,
        "data_version": ons_postcodes.data_version(),
    }
