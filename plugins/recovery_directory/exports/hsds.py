"""/data/openreferral.json: the directory as Open Referral UK / HSDS 3.0 objects.

One JSON file with one array per HSDS table (organizations, services, locations, addresses,
service_at_locations, schedules, phones, service_areas, taxonomies, taxonomy_terms, attributes,
organization_identifiers, languages), linked by `*_id` fields as in HSDS's tabular form. The mapping and what
is partial are documented on the Open data page (content/pages/open-data.md).

Every id is a UUID derived with uuid5 from a fixed namespace and the listing's slug (plus the
location / hours position), so ids stay the same from build to build and across sites.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import lru_cache
from typing import Any

from ..directory import Directory
from ..listing.hours import hours_text
from ..listing.model import NATIONAL
from ..listing.schema import labels
from .common import SCHEMA_PATH, ExportContext, uri

# Fixed for ever: changing it would change every published id.
NAMESPACE = uuid.UUID("da4796c3-ba55-44a6-bf73-0d2f6b17dbf7")
HSDS_VERSION = "3.0"
STATUS = {"active": "active", "temporarily_closed": "temporarily closed"}
BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
# Our taxonomies: the listing field whose codes become terms, and the attribute's link_type.
TAXONOMIES = {
    "types": ("Recovery Directory types of support", "service_type"),
    "audiences": ("Recovery Directory audiences", "eligibility"),
}
TABLES = (
    "organizations", "organization_identifiers", "services", "locations", "addresses", "service_at_locations",
    "schedules", "phones", "service_areas", "taxonomies", "taxonomy_terms", "attributes", "languages",
)


def hsds_id(*parts: object) -> str:
    return _uuid5("/".join(map(str, parts)))


_NAMESPACE_SHA1 = hashlib.sha1(NAMESPACE.bytes)  # noqa: S324 - RFC 4122 version 5 ids are SHA-1


@lru_cache(maxsize=4096)  # taxonomy term ids come up once per attribute row
def _uuid5(name: str) -> str:
    """str(uuid.uuid5(NAMESPACE, name)) without a UUID object per row (a third of this export's
    time): the namespace hashed once, then version 5 and the RFC 4122 variant set in the hex
    digits; tests/test_open_data.py checks they agree."""
    sha = _NAMESPACE_SHA1.copy()
    sha.update(name.encode("utf-8"))
    text = sha.hexdigest()
    variant = "89ab"[int(text[16], 16) & 0x3]
    return f"{text[:8]}-{text[8:12]}-5{text[13:16]}-{variant}{text[17:20]}-{text[20:32]}"


def compact(record: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty optional fields: HSDS says nothing rather than an empty email or URL."""
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def clock(value: str) -> str:
    return "23:59" if value == "24:00" else value  # HSDS's sign for "until midnight" (schedules doc)


def taxonomy_tables(context: ExportContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    taxonomies, terms = [], []
    for field, (name, _link_type) in TAXONOMIES.items():
        taxonomy_id = hsds_id("taxonomy", field)
        taxonomies.append(compact({
            "id": taxonomy_id, "name": name,
            "description": f"The `{field}` codes of a Recovery Directory listing; labels from its schema.",
            "uri": context.absolute_url(SCHEMA_PATH), "version": context.header()["schema_version"],
        }))
        for code, label in labels(field).items():
            terms.append({
                "id": hsds_id("taxonomy_term", field, code), "code": code, "term": code, "name": label,
                "description": f"{name}: {label}.", "taxonomy": name, "taxonomy_id": taxonomy_id,
            })
    return taxonomies, terms


def address(location_id: str, location: dict[str, Any]) -> dict[str, Any]:
    return compact({
        "id": hsds_id("address", location_id),
        "location_id": location_id,
        "address_1": location["address"] or location["name"] or location["town"],
        "city": location["town"],
        "state_province": location["local_authority"] or location["town"],
        "postal_code": location["postcode"],
        "country": "GB",
        "address_type": "physical",
    })


@lru_cache(maxsize=4096)  # a directory's opening times repeat (Monday to Friday, 9am to 5pm …)
def _hours_text(days: tuple[str, ...], opens: str, closes: str) -> str:
    return hours_text(days, opens, closes)


def schedule(slug: str, ids: dict[str, str], number: int | str, hours: dict[str, Any]) -> dict[str, Any]:
    text = _hours_text(tuple(hours["days"]), hours["opens"], hours["closes"])
    return compact({
        "id": hsds_id("schedule", slug, ids["location"], number),
        "service_id": ids["service"],
        "location_id": ids["location"],
        "service_at_location_id": ids["service_at_location"],
        "freq": "WEEKLY",
        "byday": ",".join(BYDAY[day] for day in BYDAY if day in hours["days"]),
        "opens_at": hours["opens"],
        "closes_at": clock(hours["closes"]),
        "description": f"{text} (UK time)" + (f": {hours['note']}" if hours["note"] else ""),
        "notes": hours["note"],
        "attending_type": "online or by phone" if ids.get("virtual") else None,
    })


def listing_tables(record: dict[str, Any], context: ExportContext) -> dict[str, list[dict[str, Any]]]:
    """Every HSDS row one listing's public record gives: an organization offering one service, at
    its locations (or one virtual location for an online or phone service without premises)."""
    slug = record["slug"]
    org_id, service_id = hsds_id("organization", slug), hsds_id("service", slug)
    scheme_names = labels("identifier_scheme")
    out: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    out["organizations"].append(compact({
        "id": org_id, "name": record["name"], "description": record["summary"], "email": record["email"],
        "website": uri(record["website"]), "uri": context.absolute_url(record["url"]),
    }))
    out["organization_identifiers"] = [
        {"id": hsds_id("organization_identifier", slug, item["scheme"], item["id"]), "organization_id": org_id,
         "identifier_scheme": item["scheme"], "identifier_type": scheme_names[item["scheme"]],
         "identifier": item["id"]}
        for item in record["identifiers"]
    ]
    audiences = [labels("audiences")[code] for code in record["audiences"]]
    out["services"].append(compact({
        "id": service_id, "organization_id": org_id, "name": record["name"],
        "description": record["description"].strip() or record["summary"], "url": uri(record["website"]),
        "email": record["email"], "status": STATUS[record["status"]],
        "application_process": record["referral"]["how"], "eligibility_description": ", ".join(audiences),
        "assured_date": record["last_verified"],
    }))
    out["phones"] = [
        compact({"id": hsds_id("phone", slug, number), "service_id": service_id, "organization_id": org_id,
                 "number": phone["number"], "description": phone["description"]})
        for number, phone in enumerate(record["phones"], start=1)
    ]
    out["service_areas"] = [
        {"id": hsds_id("service_area", slug, area), "service_id": service_id,
         "name": "United Kingdom" if area.casefold() == NATIONAL else area,
         "service_area": "United Kingdom" if area.casefold() == NATIONAL else area}
        for area in record["areas_served"]
    ]
    out["languages"] = [
        {"id": hsds_id("language", slug, code), "service_id": service_id, "name": labels("languages")[code],
         "code": code}
        for code in record["languages"]
    ]
    for field, (_name, link_type) in TAXONOMIES.items():
        out["attributes"] += [
            {"id": hsds_id("attribute", slug, field, code), "link_id": service_id, "link_type": link_type,
             "link_entity": "service", "taxonomy_term_id": hsds_id("taxonomy_term", field, code)}
            for code in record[field]
        ]
    _locations(record, service_id, out)
    return out


def _locations(record: dict[str, Any], service_id: str, out: dict[str, list[dict[str, Any]]]) -> None:
    slug = record["slug"]
    places: list[tuple[str, dict[str, Any] | None]] = [
        (hsds_id("location", slug, number), location) for number, location in enumerate(record["locations"], start=1)
    ]
    if not places or record["online_hours"]:  # online sessions, or a service without premises
        places.append((hsds_id("location", slug, "virtual"), None))
    for location_id, location in places:
        sal_id = hsds_id("service_at_location", service_id, location_id)
        out["service_at_locations"].append({"id": sal_id, "service_id": service_id, "location_id": location_id})
        if location is None:
            out["locations"].append(compact({
                "id": location_id, "location_type": "virtual", "name": f"{record['name']}: online and by phone",
                "url": uri(record["website"]),
            }))
            ids = {"service": service_id, "location": location_id, "service_at_location": sal_id, "virtual": "yes"}
            out["schedules"] += [
                schedule(slug, ids, f"online-{n}", hours) for n, hours in enumerate(record["online_hours"], start=1)
            ]
            continue
        coordinates = location["coordinates"] or {}
        out["locations"].append(compact({
            "id": location_id, "location_type": "physical", "name": location["name"] or location["town"],
            "latitude": coordinates.get("lat"), "longitude": coordinates.get("lon"),
        }))
        if location["postcode"]:
            out["addresses"].append(address(location_id, location))
        ids = {"service": service_id, "location": location_id, "service_at_location": sal_id}
        out["schedules"] += [schedule(slug, ids, n, hours) for n, hours in enumerate(location["hours"], start=1)]
    if record["open_24_7"] and not record["online_hours"] and not any(
        location and location["hours"] for _, location in places
    ):
        out["schedules"].append({
            "id": hsds_id("schedule", slug, "24-7"), "service_id": service_id, "freq": "WEEKLY",
            "byday": ",".join(BYDAY.values()), "opens_at": "00:00", "closes_at": "23:59",
            "description": "Open 24 hours a day, every day.",
        })


def hsds_header(context: ExportContext) -> dict[str, Any]:
    """Every field of the document before its tables."""
    return {"hsds_version": HSDS_VERSION, "profile": "Open Referral UK (HSDS 3.0 UK profile)", **context.header()}


def hsds_document(directory: Directory, context: ExportContext) -> dict[str, Any]:
    tables: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    tables["taxonomies"], tables["taxonomy_terms"] = taxonomy_tables(context)
    for org in sorted(directory.listed, key=lambda org: org.slug):
        for table, rows in listing_tables(directory.record(org), context).items():
            tables[table] += rows
    return {**hsds_header(context), **tables}
