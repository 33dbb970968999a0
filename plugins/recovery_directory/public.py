"""One public record per listing: what the site publishes about it, derived once from the model.

Every export, the search index, feeds, JSON-LD and map pins take a listing's fields from here, so
each format maps from one plain, JSON-ready dict in one place. The record has the schema's own
field names; it walks the schema, so a new field reaches it (and the exports that pass every
field on: JSON, CSV, GeoJSON) without an edit here, as long as the model has an attribute of the
same name. Anything deliberately kept out of public files is named in PRIVATE, with why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from typing import Any

from .listing.model import Location, OpeningHours, Organisation
from .listing.schema import load_schema, resolve

# Schema fields that never leave the repository, and why (tests/test_public_record.py checks
# every other field reaches at least one export).
PRIVATE = {
    "maintainers": "GitHub usernames of the people who review changes: about the listing, not the service",
    # Parts of a field, by dotted path: source_record leaves them out.
    "source.hash": "the import's bookkeeping: tells the next import whether the source record changed",
    "source.fields": "the import's bookkeeping: tells a hand edit from a change at the source",
}
LOCATION_PRIVATE: dict[str, str] = {}

# Fields whose public shape differs from the model's; every other field is copied as plain data.
SHAPES = {
    "phones": lambda org: [
        {"number": phone.display, "tel": phone.tel, "description": phone.description} for phone in org.phones
    ],
    "identifiers": lambda org: [{"scheme": scheme, "id": value} for scheme, value in org.identifiers],
    "referral": lambda org: {
        "self": org.referral.self_referral,
        "professional": org.referral.professional,
        "how": org.referral.how,
        "url": org.referral.url,
    },
    "locations": lambda org: [location_record(location) for location in org.locations],
    "online_hours": lambda org: hours_records(org.online_hours),
    "source": lambda org: source_record(org.source),
}


def public_record(org: Organisation) -> dict[str, Any]:
    """slug and site path first, then every public schema field in schema order, then review_due."""
    record: dict[str, Any] = {"slug": org.slug, "url": org.url}
    for key in public_fields():
        record[key] = SHAPES[key](org) if key in SHAPES else plain(getattr(org, key))
    record["review_due"] = org.review_due.isoformat()
    return record


def location_record(location: Location) -> dict[str, Any]:
    """A location's public fields in schema order, with coordinates from the listing or the
    geocoder and the local authority its postcode is in."""
    record: dict[str, Any] = {}
    for key in location_fields():
        if key == "coordinates":
            record[key] = {"lat": location.lat, "lon": location.lon} if location.has_pin else None
        elif key == "hours":
            record[key] = hours_records(location.hours)
        else:
            record[key] = plain(getattr(location, key))
    record["local_authority"] = location.local_authority
    record["local_authority_code"] = location.local_authority_code
    return record


def hours_records(hours: tuple[OpeningHours, ...]) -> list[dict[str, Any]]:
    """Opening times or meetings; joining details only where a session has them."""
    return [
        {"days": list(h.days), "opens": h.opens, "closes": h.closes, "note": h.note,
         **({"join_url": h.join_url} if h.join_url else {}),
         **({"join_phone": h.join_phone.display, "join_tel": h.join_phone.tel} if h.join_phone else {}),
         **({"join_notes": h.join_notes} if h.join_notes else {})}
        for h in hours
    ]


def source_record(source: dict[str, Any] | None) -> dict[str, Any] | None:
    """Where an imported listing came from; a file's path on the importer's computer is left out."""
    if not source:
        return None
    record = {key: plain(source[key]) for key in ("kind", "id", "imported") if key in source}
    if str(source.get("url", "")).startswith(("https://", "http://")):
        record["url"] = source["url"]
    return record


@cache
def public_fields() -> list[str]:
    return [key for key in load_schema()["properties"] if key not in PRIVATE]  # dotted paths never match


@cache
def location_fields() -> list[str]:
    schema = load_schema()
    location = resolve(resolve(schema["properties"]["locations"])["items"])
    return [key for key in location["properties"] if key not in LOCATION_PRIVATE]


_AS_THEY_ARE = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Model values as JSON: tuples as lists, dates as YYYY-MM-DD, dataclasses as dicts."""
    if type(value) in _AS_THEY_ARE:  # most values: asked first, by exact type (~40% of a record's time)
        return value
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    return value
