"""Placing listings at build time: a listing's own ``coordinates`` first, then the offline ONS
postcode data, then the committed cache (addresses, and postcodes ONS can't place). No network
unless GEOCODE_ONLINE asks for it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from ..listing.problems import display_path
from ..postcodes import normalise_postcode
from .cache import GeocodeCache, location_query
from .common import COMMAND, cache_path, setting
from .ons_answers import PROVIDER, raw_answers

logger = logging.getLogger(__name__)


def listing_queries(listings: Iterable[tuple[Any, Mapping[str, Any]]]) -> dict[str, list[str]]:
    """{query: [listing paths that need it]} for every location that needs geocoding."""
    found: dict[str, list[str]] = {}
    for path, data in listings:
        for location in (data or {}).get("locations") or []:
            query = location_query(location)
            if query:
                found.setdefault(query, [])
                if str(path) not in found[query]:
                    found[query].append(str(path))
    return found


def location_point(location: Mapping[str, Any], cache: GeocodeCache | BuildPlaces) -> tuple[float, float] | None:
    """(lat, lon) for a location: its own ``coordinates`` if set (cache not consulted), else the
    cache's entry for its query, else None (published without a pin)."""
    coordinates = location.get("coordinates") if isinstance(location, Mapping) else None
    if isinstance(coordinates, Mapping):
        return float(coordinates["lat"]), float(coordinates["lon"])
    entry = cache.get(location_query(location))
    return (entry["lat"], entry["lon"]) if entry else None


def prepare_build_cache(settings: Mapping[str, Any], listings: Iterable[tuple[Any, Mapping[str, Any]]]) -> BuildPlaces:
    """Where each location of these listings is. The offline ONS data answers postcodes; the
    committed cache answers the rest (with GEOCODE_ONLINE it first fills gaps and saves). Each
    location still without a point gets a warning naming its file and the command that fixes it
    (it is published without a pin)."""
    needed = listing_queries(listings)
    offline = raw_answers(query for query in needed if normalise_postcode(query) == query)
    cache = GeocodeCache(cache_path(settings))
    missing = [query for query in needed if query not in offline]
    if missing and setting(settings, "GEOCODE_ONLINE"):
        from .fill import fill_cache  # the online geocoders: only when the build may use them

        report = fill_cache(missing, cache, settings)
        cache.save()
        for query, reason in report.failed.items():
            logger.warning("Geocoding %r failed: %s", query, reason)
    # A warning fails CI builds (`--fatal warnings`); GEOCODE_ALLOW_MISSING makes gaps informational.
    level = logging.INFO if setting(settings, "GEOCODE_ALLOW_MISSING") else logging.WARNING
    for query in missing:
        if query not in cache:
            for path in needed[query]:
                logger.log(
                    level,
                    "%s: %r is not in the geocoding cache, so this location has no map pin. "
                    "Run `%s %s` and commit %s, or add `coordinates:` to the location.",
                    display_path(path),
                    query,
                    COMMAND,
                    display_path(path),
                    display_path(cache.path),
                )
    return BuildPlaces(offline, cache)


class BuildPlaces:
    """Answers for the build: offline ONS answers first, then the committed cache's entries."""

    def __init__(self, offline: Mapping[str, dict[str, Any]], cache: GeocodeCache):
        self.offline, self.cache = offline, cache  # offline: {query: ons_answers.raw_answers's answer}

    def get(self, query: str | None) -> dict[str, Any] | None:
        """{lat, lon, local_authority, local_authority_code, provider} or None."""
        raw = self.offline.get(query) if query else None
        if raw is not None:
            return {
                "lat": raw["latitude"],
                "lon": raw["longitude"],
                "local_authority": raw["local_authority"],
                "local_authority_code": raw["local_authority_code"],
                "provider": PROVIDER,
            }
        return self.cache.get(query)

    def __contains__(self, query: object) -> bool:
        return query in self.offline or query in self.cache
