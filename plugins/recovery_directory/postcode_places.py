"""Which of a listing's locations the build places from the offline ONS postcode data, and where
that data puts them, worked out where the listings are read.

Checking a listing already opens the ONS index for its postcodes' letters (listing/checks.py asks
whether each postcode exists), so a worker that has just read a chunk of listings answers their
postcodes' places too, in the form the build's placing gives (geocoding/placing.py's BuildPlaces),
and the build asks geocoding only about the rest. (When the ONS data was unpacked into lists per
process, the parent placing every postcode again cost ~2 s and ~400 MB at N = 10,000; with the
memory-mapped index of geocoding/ons_index.py that is much smaller, but the answers are ready here.)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from .geocoding.cache import location_query
from .listing.model import Location, Organisation
from .postcodes import normalise_postcode


def as_mapping(location: Location) -> dict[str, Any]:
    """A Location as the geocoding functions read a listing's location (never its coordinates:
    those are only asked for places the listing doesn't pin itself)."""
    return {key: value for key in ("name", "address", "town", "postcode") if (value := getattr(location, key))}


def queries_to_place(org: Organisation) -> list[str]:
    """The geocoding queries of the locations the listing doesn't pin itself."""
    found = (location_query(as_mapping(loc)) for loc in org.locations if loc.geocoded_by != "listing")
    return [query for query in found if query]


def load_placing() -> None:
    """Import what `places_of` needs (the ONS lookup), for a process about to fork workers that
    will each place postcodes. (No pyproj: the index holds positions already converted.)"""
    from .geocoding import ons_answers, placing  # noqa: F401


def places_of(queries: Iterable[str], known: Collection[str] = ()) -> dict[str, dict[str, Any]]:
    """{postcode query: place} for these geocoding queries (`queries_to_place` of the listings
    read) that are postcodes the ONS data places, but those in `known` (placed in an earlier
    build: the build cache's places, which a rebuild after one edit need not ask again)."""
    postcodes = {query for query in queries if normalise_postcode(query) == query and query not in known}
    if not postcodes:
        return {}
    from .geocoding.ons_answers import raw_answers
    from .geocoding.placing import BuildPlaces

    offline = raw_answers(sorted(postcodes))  # as geocoding/placing.py asks
    places = BuildPlaces(offline, None)  # type: ignore[arg-type] - only asked what `offline` answers
    return {query: places.get(query) for query in offline}
