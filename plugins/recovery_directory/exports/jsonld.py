"""schema.org JSON-LD for a listing page (REFERENCE.md §5).

`LocalBusiness` because `geo` and `openingHoursSpecification` belong to Place, not Organization;
LocalBusiness is both. One location fills the business's own address, geo and hours; several go
in `location` as Places of their own.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..listing.model import Location, OpeningHours, Organisation
from ..listing.schema import labels

SCHEMA_DAYS = "https://schema.org/"


def organisation_jsonld(org: Organisation, page_url: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": org.name,
        "description": org.summary,
    }
    if page_url:
        data["@id"] = page_url
    optional = {
        "url": org.website,
        "email": org.email,
        "telephone": org.phones[0].tel.removeprefix("tel:") if org.phones else "",
        "areaServed": [area for area in org.areas_served if area.casefold() != "national"] or None,
    }
    data.update({key: value for key, value in optional.items() if value})
    if len(org.locations) == 1:
        data.update(_place_fields(org.locations[0]))
    elif org.locations:
        data["location"] = [
            {"@type": "Place", **({"name": loc.name} if loc.name else {}), **_place_fields(loc)}
            for loc in org.locations
        ]
    return data


def _place_fields(location: Location) -> dict[str, Any]:
    address = {"@type": "PostalAddress", "addressLocality": location.town, "addressCountry": "GB"}
    if location.address:
        address["streetAddress"] = location.address
    if location.postcode:
        address["postalCode"] = location.postcode
    fields: dict[str, Any] = {"address": address}
    if location.has_pin:
        fields["geo"] = {"@type": "GeoCoordinates", "latitude": location.lat, "longitude": location.lon}
    if location.hours:
        fields["openingHoursSpecification"] = [_hours(hours) for hours in location.hours]
    return fields


def _hours(hours: OpeningHours) -> dict[str, Any]:
    day_names = labels("days")
    return {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": [SCHEMA_DAYS + day_names[day] for day in hours.days],
        "opens": f"{hours.opens}:00",
        # schema.org Time has no 24:00; the last second of the day says "until midnight".
        "closes": "23:59:59" if hours.closes == "24:00" else f"{hours.closes}:00",
    }


def script_json(data: Any) -> Markup:
    """Compact JSON safe inside a <script> element or a JS string (as Jinja's `tojson`): `<`, `>`,
    `&` and `'` as \\u escapes, so contributor text can never close the element, open a comment or
    end a quoted string. The result is still the same JSON."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # no indent: that is json's slow encoder
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escape)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # noqa: S704 - every character that could end the element is escaped above
