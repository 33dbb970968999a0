"""Where a postcode is: its local authority (for an imported listing's `areas_served`) and its
point (to tell a map position that only repeats the postcode's from one placed by hand).

Answered offline, as the build places listings: the ONS postcode data first, then the committed
geocode cache; never the network. A postcode neither knows gives None: the importer then leaves
`areas_served` out rather than guess (and `validate` says the postcode doesn't exist).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..geocoding.cache import GeocodeCache
from ..geocoding.common import cache_path
from ..geocoding.offline import ONSPostcodes

SAME_POINT = 1e-4  # degrees, about 10 m: closer than this, a source's position is the postcode's own


@dataclass(frozen=True)
class Place:
    local_authority: str | None
    lat: float
    lon: float


Lookup = Callable[[str], "Place | None"]


def knows_nothing(postcode: str) -> Place | None:
    return None


def place_lookup(settings: Mapping[str, Any]) -> Lookup:
    offline, cached = ONSPostcodes(), GeocodeCache(cache_path(settings))

    @cache
    def lookup(postcode: str) -> Place | None:
        found = offline.geocode(postcode)
        if found is not None:
            return Place(found.raw.get("local_authority"), found.latitude, found.longitude)
        entry = cached.get(postcode)
        return Place(entry.get("local_authority"), entry["lat"], entry["lon"]) if entry else None

    return lookup


def areas_for(locations: Iterable[Mapping[str, Any]], online_only: bool, lookup: Lookup) -> list[str] | None:
    """The local authorities a listing's venues are in; ["national"] for a group that meets only
    online or by phone (anyone in the UK can join); None when a venue's authority isn't known."""
    locations = list(locations)
    if not locations:
        return ["national"] if online_only else None
    places = [lookup(location["postcode"]) if location.get("postcode") else None for location in locations]
    if any(place is None or not place.local_authority for place in places):
        return None
    return sorted({place.local_authority for place in places})


def own_coordinates(postcode: str | None, latitude: Any, longitude: Any, lookup: Lookup) -> dict[str, float] | None:
    """The source's map position as `coordinates`, only where the postcode doesn't already give it:
    with no postcode, or a point away from the postcode's own (a pin someone placed by hand)."""
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if isinstance(latitude, bool) or isinstance(longitude, bool) or lat != lat or lon != lon:
        return None  # True is not a latitude, NaN is not a place
    if postcode:
        place = lookup(postcode)
        if place is None or (abs(place.lat - lat) < SAME_POINT and abs(place.lon - lon) < SAME_POINT):
            return None
    return {"lat": lat, "lon": lon}


def local_authorities(names: Iterable[str], note: Callable[[str], None]) -> list[str]:
    """The source's area names that are UK local authorities (as the site names them), or national;
    `note` hears about each one that isn't (it is left out: validate would refuse the listing)."""
    from ..geocoding.authorities import resolve

    found = []
    for name in names:
        if name.casefold() == "national":
            found.append("national")
        elif (authority := resolve(name)) is not None:
            found.append(authority.name)
        else:
            note(name)
    return list(dict.fromkeys(found))
