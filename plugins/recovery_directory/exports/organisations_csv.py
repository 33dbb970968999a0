"""/data/organisations.csv: one row per location (a listing without one gets one row), in columns
that stay put, mapped from each listing's public record (public.py). The columns and their
meaning are listed in COLUMNS (then any newer field, described by the schema) and on the Open data page."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..directory import Directory
from ..listing.schema import labels, load_schema
from ..public import public_fields
from .common import ExportContext
from .csv_table import csv_bytes, csv_document, csv_header, csv_lines, joined

COLUMNS: dict[str, str] = {
    "slug": "The listing's identifier (its file name); stable while the listing exists.",
    "url": "The listing's page on this site.",
    "name": "The organisation's name.",
    "status": "active or temporarily_closed (closed listings are not published).",
    "types": "Type codes, e.g. lero; mutual_aid.",
    "type_labels": "The same types in words.",
    "summary": "One-sentence summary.",
    "lived_experience_led": "yes, no, or blank when not stated.",
    "memberships": "Membership codes, e.g. clero.",
    "website": "Website address.",
    "email": "Public email address.",
    "phones": "Phone numbers, each with its note in brackets.",
    "identifiers": "Register numbers as SCHEME:ID, e.g. GB-CHC:1234567.",
    "audiences": "Audience codes, e.g. women; young_adults.",
    "substances": "alcohol, drugs, gambling, other.",
    "cost": "free, donation or fee.",
    "attendance": "in_person, online, phone.",
    "open_24_7": "yes if support is available round the clock.",
    "self_referral": "yes if people can refer themselves, no if not; blank if not stated.",
    "professional_referral": "yes if GPs and other professionals can refer, no if not; blank if not stated.",
    "referral_how": "How to refer, in the organisation's words.",
    "referral_url": "Referral form or page.",
    "areas_served": "Local authority areas served, or national.",
    "location_number": "1, 2, … for each of the listing's locations; blank for a listing without one.",
    "location_name": "Name of the building or venue.",
    "address": "Street address.",
    "town": "Town or city.",
    "postcode": "Postcode (normalised, e.g. HX1 1AA).",
    "local_authority": "Local authority the postcode is in (from the ONS Postcode Directory).",
    "local_authority_code": "That local authority's GSS code, e.g. E08000033.",
    "latitude": "Latitude (WGS 84), blank if the location has no map position.",
    "longitude": "Longitude (WGS 84), blank if the location has no map position.",
    "accessibility": "Access feature codes, e.g. step_free; hearing_loop.",
    "hours": (
        "Weekly hours in UK local time: days HH:MM-HH:MM, with any note in brackets, then any joining "
        "link (join: https://…) and dial-in number (dial-in: 0131 496 0123), entries separated by ; "
        "e.g. mon,tue 09:00-17:00; thu 19:00-20:30 (Open meeting) join: https://zoom.us/j/0000000000."
    ),
    "last_verified": "Date someone last confirmed the details (YYYY-MM-DD).",
    "review_due": "Date the details should next be checked (YYYY-MM-DD).",
    "online_hours": "Sessions held only online or by phone, written like hours; the same on each of a listing's rows.",
}


LOCATION_COLUMNS = [
    "location_number", "location_name", "address", "town", "postcode", "local_authority",
    "local_authority_code", "latitude", "longitude", "accessibility", "hours",
]
# Public fields the columns above already carry; any other one gets a column of its own after them.
# `source` (where an import found the listing) is in organisations.json, not here: the CSV is also
# the import template, and a source block copied into one would claim a listing came from elsewhere.
SHOWN = {
    "slug", "url", "phones", "identifiers", "referral", "locations", "description", "review_every_months", "source",
}


def extra_columns() -> dict[str, str]:
    """Public fields added to the schema after COLUMNS was written: one column each, in schema
    order, after the columns above, described by the schema (so the column list stays put)."""
    properties = load_schema()["properties"]
    return {key: properties[key].get("description", "") for key in public_fields() if key not in COLUMNS.keys() | SHOWN}


def columns() -> dict[str, str]:
    return {**COLUMNS, **extra_columns()}


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def cell(value: Any) -> Any:
    if isinstance(value, list):
        return joined(value)
    if isinstance(value, bool):
        return yes_no(value)
    return "" if value is None else value


def hours_cell(hours: list[dict[str, Any]]) -> str:
    """The hours as text a person can read and `importers/csv_template.py` can read back."""
    return joined(hours_entry(h) for h in hours)


def hours_entry(h: dict[str, Any]) -> str:
    text = f"{','.join(h['days'])} {h['opens']}-{h['closes']}" + (f" ({h['note']})" if h["note"] else "")
    if h.get("join_url"):
        text += f" join: {h['join_url']}"
    if h.get("join_phone"):
        text += f" dial-in: {h['join_phone']}"
    return text


def location_cells(number: int | None, location: dict[str, Any] | None) -> dict[str, Any]:
    if location is None:
        return dict.fromkeys(LOCATION_COLUMNS, "")
    coordinates = location["coordinates"] or {"lat": "", "lon": ""}
    return {
        "location_number": number,
        "location_name": location["name"],
        "address": location["address"],
        "town": location["town"],
        "postcode": location["postcode"],
        "local_authority": location["local_authority"] or "",
        "local_authority_code": location["local_authority_code"] or "",
        "latitude": coordinates["lat"],
        "longitude": coordinates["lon"],
        "accessibility": joined(location["accessibility"]),
        "hours": hours_cell(location["hours"]),
    }


def organisation_cells(record: dict[str, Any], context: ExportContext) -> dict[str, Any]:
    type_names = labels("types")
    referral = record["referral"]
    return {
        **{key: cell(value) for key, value in record.items() if key not in SHOWN},
        "slug": record["slug"],
        "url": context.url(record["url"]),
        "type_labels": joined(type_names[code] for code in record["types"]),
        "phones": joined(
            p["number"] + (f" ({p['description']})" if p["description"] else "") for p in record["phones"]
        ),
        "identifiers": joined(f"{item['scheme']}:{item['id']}" for item in record["identifiers"]),
        "self_referral": yes_no(referral["self"]),
        "professional_referral": yes_no(referral["professional"]),
        "referral_how": referral["how"],
        "referral_url": referral["url"],
        "online_hours": hours_cell(record["online_hours"]),
    }


@cache
def column_names() -> tuple[str, ...]:
    return tuple(columns())  # the schema is read once per process, so the columns can't change


def listing_cells(record: dict[str, Any], context: ExportContext) -> list[dict[str, Any]]:
    """One listing's rows, each in column order: a row per location (or one without)."""
    names = column_names()
    shared = organisation_cells(record, context)
    rows = []
    for number, location in list(enumerate(record["locations"], start=1)) or [(None, None)]:
        cells = {**shared, **location_cells(number, location)}
        rows.append({column: cells[column] for column in names})
    return rows


def listing_csv(record: dict[str, Any], context: ExportContext) -> str:
    """One listing's rows as CSV text: its part of the file, a pure function of its public record."""
    return csv_lines([list(row.values()) for row in listing_cells(record, context)])


def csv_rows(directory: Directory, context: ExportContext) -> list[dict[str, Any]]:
    """Rows in column order, listings by slug, then locations in the order the listing gives."""
    listed = sorted(directory.listed, key=lambda org: org.slug)
    return [row for org in listed for row in listing_cells(directory.record(org), context)]


def organisations_csv(directory: Directory, context: ExportContext) -> bytes:
    listed = sorted(directory.listed, key=lambda org: org.slug)
    return csv_document(csv_header(column_names()), *(listing_csv(directory.record(org), context) for org in listed))


# The CSV template (/data/import-template.csv): the same columns, with example rows a commissioner
# replaces. `recovery-directory import csv` reads it; the build works out the columns it ignores.
TEMPLATE_IGNORED = ("url", "type_labels", "local_authority", "local_authority_code", "latitude", "longitude")
TEMPLATE_ROWS = [
    {
        "slug": "example-recovery-cafe", "name": "Example Recovery Café (sample: replace this row)",
        "status": "active", "types": "recovery_community_centre; lero",
        "summary": "Peer-led café and drop-in for anyone in or seeking recovery.", "lived_experience_led": "yes",
        "website": "https://example.org/cafe", "email": "hello@example.org",
        "phones": "0113 496 0123 (Mon-Fri 9am-5pm)", "identifiers": "GB-CHC:1234567", "audiences": "adults",
        "substances": "alcohol; drugs", "cost": "free", "attendance": "in_person; online", "open_24_7": "no",
        "self_referral": "yes", "professional_referral": "yes",
        "referral_how": "Phone or walk in. GPs can email referrals@example.org.", "areas_served": "Leeds",
        "location_number": 1, "location_name": "The Café", "address": "1 Example Parade", "town": "Leeds",
        "postcode": "LS1 4DY", "accessibility": "step_free; accessible_toilet",
        "hours": "mon,tue,wed,thu,fri 09:00-17:00; tue 18:30-20:00 (SMART Recovery meeting)",
        "last_verified": "2026-10-01", "review_due": "2027-10-01",
        "online_hours": "sun 19:00-20:00 (Online meeting) join: https://example.org/cafe/join",
    },
    {
        "slug": "example-recovery-cafe", "name": "Example Recovery Café (sample: replace this row)",
        "types": "recovery_community_centre; lero",
        "summary": "Peer-led café and drop-in for anyone in or seeking recovery.", "last_verified": "2026-10-01",
        "location_number": 2, "location_name": "Second site (a second row adds a location)",
        "address": "2 Example Street", "town": "Leeds", "postcode": "LS1 1UR", "hours": "sat 10:00-13:00",
    },
]


def template_csv() -> bytes:
    return csv_bytes(list(columns()), TEMPLATE_ROWS)
