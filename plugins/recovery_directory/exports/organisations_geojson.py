"""/data/organisations.geojson: RFC 7946, one Point Feature per located location.

Coordinates are [longitude, latitude] (RFC 7946 §3.1.1), WGS 84, no `crs` member. Locations
without a map position and listings without locations are in the JSON and CSV, not here.
"""

from __future__ import annotations

from typing import Any

from ..directory import Directory
from ..listing.model import Location, Organisation
from .common import ExportContext


def feature(org: Organisation, number: int, location: Location, context: ExportContext) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": f"{org.slug}-{number}",
        "geometry": {"type": "Point", "coordinates": [location.lon, location.lat]},
        "properties": {
            "slug": org.slug,
            "url": context.url(org.url),
            "name": org.name,
            "status": org.status,
            "types": list(org.types),
            "summary": org.summary,
            "website": org.website,
            "phones": [phone.display for phone in org.phones],
            "location_number": number,
            "location_name": location.name,
            "address": location.address,
            "town": location.town,
            "postcode": location.postcode,
            "local_authority": location.local_authority,
            "accessibility": list(location.accessibility),
            "last_verified": org.last_verified.isoformat(),
        },
    }


def organisations_geojson(directory: Directory, context: ExportContext) -> dict[str, Any]:
    features = [
        feature(org, number, location, context)
        for org in sorted(directory.listed, key=lambda org: org.slug)
        for number, location in enumerate(org.locations, start=1)
        if location.has_pin
    ]
    return {"type": "FeatureCollection", "features": features}
