"""Which local authority a postcode is in, for an imported listing's `areas_served`.

Answered from the geocode cache (postcodes.io's ONS data, filled by `recovery-directory
geocode`), never from the network during an import. A postcode not in it gives None, and the
importer then leaves `areas_served` out rather than guess: the listing's locations still place
it on the right area pages once geocoded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..geocache import GeocodeCache
from ..geocode import cache_path

Lookup = Callable[[str], "str | None"]


def local_authority_lookup(settings: Mapping[str, Any]) -> Lookup:
    cache = GeocodeCache(cache_path(settings))

    def lookup(postcode: str) -> str | None:
        entry = cache.get(postcode)
        return entry.get("local_authority") if entry else None

    return lookup


def areas_for(locations: Iterable[Mapping[str, Any]], online_only: bool, lookup: Lookup) -> list[str] | None:
    """The local authorities a listing's venues are in; ["national"] for a group that meets only
    online or by phone (anyone in the UK can join); None when a venue's authority isn't known."""
    locations = list(locations)
    if not locations:
        return ["national"] if online_only else None
    found = [lookup(location["postcode"]) if location.get("postcode") else None for location in locations]
    if any(area is None for area in found):
        return None
    return sorted(set(found))
