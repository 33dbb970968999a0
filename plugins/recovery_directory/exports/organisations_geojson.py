"""/data/organisations.geojson: RFC 7946, one Point Feature per located location, mapped from each
listing's public record (public.py).

Coordinates are [longitude, latitude] (RFC 7946 §3.1.1), WGS 84, no `crs` member. Locations
without a map position and listings without locations are in the JSON and CSV, not here.
"""

from __future__ import annotations

from typing import Any

from ..directory import Directory
from ..listing.schema import code_fields
from ..public import PRIVATE
from .common import ExportContext


def feature(record: dict[str, Any], number: int, location: dict[str, Any], context: ExportContext) -> dict[str, Any]:
    coordinates = location["coordinates"]
    return {
        "type": "Feature",
        "id": f"{record['slug']}-{number}",
        "geometry": {"type": "Point", "coordinates": [coordinates["lon"], coordinates["lat"]]},
        "properties": {
            "slug": record["slug"],
            "url": context.url(record["url"]),
            "name": record["name"],
            "status": record["status"],
            "types": record["types"],
            "summary": record["summary"],
            "website": record["website"],
            "phones": [phone["number"] for phone in record["phones"]],
            "location_number": number,
            "location_name": location["name"],
            "address": location["address"],
            "town": location["town"],
            "postcode": location["postcode"],
            "local_authority": location["local_authority"],
            "accessibility": location["accessibility"],
            "last_verified": record["last_verified"],
            # Every field of codes (audiences, cost, …; any added later too): what a map layer filters on.
            **{key: record[key] for key in code_fields() if key not in PRIVATE},
        },
    }


def listing_features(record: dict[str, Any], context: ExportContext) -> list[dict[str, Any]]:
    """One listing's Features: one per location with a map position."""
    return [
        feature(record, number, location, context)
        for number, location in enumerate(record["locations"], start=1)
        if location["coordinates"]
    ]


def organisations_geojson(directory: Directory, context: ExportContext) -> dict[str, Any]:
    listed = sorted(directory.listed, key=lambda org: org.slug)
    return {
        "type": "FeatureCollection",
        "features": [item for org in listed for item in listing_features(directory.record(org), context)],
    }
