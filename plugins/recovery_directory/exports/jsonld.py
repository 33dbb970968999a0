"""schema.org JSON-LD for a listing page (REFERENCE.md §5).

`LocalBusiness` because `geo` and `openingHoursSpecification` belong to Place, not Organization;
LocalBusiness is both. One location fills the business's own address, geo and hours; several go
in `location` as Places of their own.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from markupsafe import Markup

from ..listing.schema import labels, load_schema

SCHEMA_DAYS = "https://schema.org/"


def page_address(context: Any, path: str) -> str:
    """The page's absolute address for `@id` when the build knows the site's: an absolute SITEURL
    (publishconf.py), else FEED_DOMAIN; "" in a local build with relative links."""
    for domain in (str(context.get("SITEURL") or ""), str(context.get("FEED_DOMAIN") or "")):
        if domain.startswith(("https://", "http://")):
            return f"{domain.rstrip('/')}/{path}"
    return ""


def organisation_jsonld(record: dict[str, Any], page_url: str = "") -> dict[str, Any]:
    """From the listing's public record. A schema field marked `"x-schema-org": "<property>"` is
    copied to that schema.org property as it is (e.g. email, website as url)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": record["name"],
        "description": record["summary"],
    }
    if page_url:
        data["@id"] = page_url
    phones = record["phones"]
    optional = {
        **{name: record[key] for key, name in schema_org_fields().items()},
        "telephone": phones[0]["tel"].removeprefix("tel:") if phones else "",
        "areaServed": [area for area in record["areas_served"] if area.casefold() != "national"] or None,
    }
    data.update({key: value for key, value in optional.items() if value})
    locations = record["locations"]
    if len(locations) == 1:
        data.update(_place_fields(locations[0]))
    elif locations:
        data["location"] = [
            {"@type": "Place", **({"name": loc["name"]} if loc["name"] else {}), **_place_fields(loc)}
            for loc in locations
        ]
    return data


@cache
def schema_org_fields() -> dict[str, str]:
    """Listing field -> the schema.org property it fills as it is, from the schema's `x-schema-org`."""
    return {
        key: prop["x-schema-org"] for key, prop in load_schema()["properties"].items() if "x-schema-org" in prop
    }


def _place_fields(location: dict[str, Any]) -> dict[str, Any]:
    address = {"@type": "PostalAddress", "addressLocality": location["town"], "addressCountry": "GB"}
    if location["address"]:
        address["streetAddress"] = location["address"]
    if location["postcode"]:
        address["postalCode"] = location["postcode"]
    fields: dict[str, Any] = {"address": address}
    if coordinates := location["coordinates"]:
        fields["geo"] = {"@type": "GeoCoordinates", "latitude": coordinates["lat"], "longitude": coordinates["lon"]}
    if location["hours"]:
        fields["openingHoursSpecification"] = [_hours(hours) for hours in location["hours"]]
    return fields


def _hours(hours: dict[str, Any]) -> dict[str, Any]:
    day_names = labels("days")
    return {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": [SCHEMA_DAYS + day_names[day] for day in hours["days"]],
        "opens": f"{hours['opens']}:00",
        # schema.org Time has no 24:00; the last second of the day says "until midnight".
        "closes": "23:59:59" if hours["closes"] == "24:00" else f"{hours['closes']}:00",
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
