"""Open Referral UK / HSDS 3.0 (REFERENCE.md §4): the flat tables we publish (/data/openreferral.json,
one array per table linked by *_id) or an HSDA API's nested services (`/services`, page by page).

Each service becomes one listing: its organisation's name, description and register numbers, its
phones, service areas, languages, and its locations with their weekly schedules. A virtual location's
schedules become `online_hours`. Terms from our own taxonomies (types, audiences) are read back;
other taxonomies have no fixed meaning here, so listings without our type codes take --types.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ..clock import today
from ..exports.hsds import BYDAY, STATUS, TAXONOMIES
from ..listing.schema import labels
from . import Parsed, Problem, Record
from .areas import Lookup, knows_nothing, local_authorities, own_coordinates, place_lookup
from .common import (
    BadValue,
    clip,
    clock,
    closing,
    drop_empty,
    markdown_from_html,
    postcode,
    sorted_days,
    text,
    uk_phone,
)
from .fetch import SourceError, is_url, parse_json, read_bytes

KIND = "openreferral"
HELP = "Open Referral UK / HSDS 3 data: our flat JSON tables, or an API's /services (all pages)"

DAYS = {code: day for day, code in BYDAY.items()}
STATUSES = {hsds: ours for ours, hsds in STATUS.items()} | {"inactive": "closed", "defunct": "closed"}
TAXONOMY_FIELDS = {name: field for field, (name, _link) in TAXONOMIES.items()}
NATIONAL_NAMES = {"united kingdom", "uk", "national"}
LISTING_URL = re.compile(r"/organisations/([a-z0-9]+(?:-[a-z0-9]+)*)/?$")
MAX_PAGES = 10_000


def read(source: str, settings: Mapping[str, Any], default_types: list[str] | None = None) -> Parsed:
    services = fetch_services(source, settings)
    return parse(services, source, default_types or [], place_lookup(settings))


def fetch_services(source: str, settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every service, nested: from a file (flat tables, a page or a list) or from an API, following
    its pages until the last. An API's base address gets /services added."""
    if is_url(source):
        parts = urlsplit(source)
        if not parts.path.rstrip("/").endswith("/services") and not parts.path.endswith(".json"):
            source = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/services"))
    document = parse_json(read_bytes(source, settings), source)
    if isinstance(document, dict) and "contents" in document:
        services = list(document["contents"]) if isinstance(document["contents"], list) else []
        page, pages = int(document.get("page_number") or 1), int(document.get("total_pages") or 1)
        while not document.get("last_page", page >= pages) and page < min(pages, MAX_PAGES) and is_url(source):
            page += 1
            document = parse_json(read_bytes(with_page(source, page), settings), with_page(source, page))
            if not isinstance(document, dict) or not isinstance(document.get("contents"), list):
                raise SourceError(f"{with_page(source, page)}: is not a page of services (no contents list).")
            services += document["contents"]
        return [_full(service, source, settings) for service in services]
    if isinstance(document, dict) and isinstance(document.get("services"), list):
        return nest(document)
    if isinstance(document, list):
        return document
    raise SourceError(f"{source}: is neither Open Referral tables (a services list) nor a page of services.")


def _full(service: Any, source: str, settings: Mapping[str, Any]) -> Any:
    """An API may list services in brief (HSDA's service list leaves out nested objects); ask
    /services/{id} for each one that comes without its locations."""
    brief = isinstance(service, dict) and "service_at_locations" not in service and service.get("id")
    if not brief or not is_url(source):
        return service
    parts = urlsplit(source)
    url = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{quote(str(service['id']), safe='')}", query=""))
    full = parse_json(read_bytes(url, settings), url)
    return full if isinstance(full, dict) else service


def with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"] + [("page", str(page))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def nest(tables: dict[str, Any]) -> list[dict[str, Any]]:
    """The flat tables (linked by *_id) as the API's nested services."""

    def by_id(name: str) -> dict[str, dict[str, Any]]:
        return {text(row.get("id")): row for row in _dicts(tables.get(name))}

    def by(name: str, key: str) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in _dicts(tables.get(name)):
            grouped[text(row.get(key))].append(row)
        return grouped

    organisations, terms = by_id("organizations"), by_id("taxonomy_terms")
    identifiers, addresses = by("organization_identifiers", "organization_id"), by("addresses", "location_id")
    locations = {key: {**row, "addresses": addresses.get(key, [])} for key, row in by_id("locations").items()}
    schedules_at, schedules_of = by("schedules", "service_at_location_id"), by("schedules", "service_id")
    phones, areas = by("phones", "service_id"), by("service_areas", "service_id")
    languages = by("languages", "service_id")
    attributes, places = by("attributes", "link_id"), by("service_at_locations", "service_id")
    nested = []
    for service in _dicts(tables.get("services")):
        key = text(service.get("id"))
        organisation = organisations.get(text(service.get("organization_id")), {})
        nested.append(
            {
                **service,
                "organization": {
                    **organisation,
                    "organization_identifiers": identifiers.get(text(organisation.get("id")), []),
                },
                "phones": phones.get(key, []),
                "service_areas": areas.get(key, []),
                "languages": languages.get(key, []),
                "attributes": [
                    {**a, "taxonomy_term": terms.get(text(a.get("taxonomy_term_id")), {})}
                    for a in attributes.get(key, [])
                ],
                "schedules": [s for s in schedules_of.get(key, []) if not s.get("service_at_location_id")],
                "service_at_locations": [
                    {
                        **place,
                        "location": locations.get(text(place.get("location_id")), {}),
                        "schedules": schedules_at.get(text(place.get("id")), []),
                    }
                    for place in places.get(key, [])
                ],
            }
        )
    return nested


def parse(
    services: list[Any],
    source: str,
    default_types: list[str] | None = None,
    lookup: Lookup = knows_nothing,
) -> Parsed:
    parsed = Parsed(source, read=len(services))
    for number, service in enumerate(services, start=1):
        if not isinstance(service, dict):
            parsed.problems.append(Problem(source, f"service number {number}", "", "is not a JSON object."))
            continue
        record_id = text(service.get("id")) or f"#{number}"
        label = f'service "{text(service.get("name"))}" (id {record_id})'
        problems: list[Problem] = []

        def note(error: BadValue, record_id: str = record_id, label: str = label, problems: list = problems) -> None:
            problems.append(Problem(source, label, error.field, error.message, record_id))

        try:
            listing = _listing(service, default_types or [], note, lookup)
        except BadValue as error:
            note(error)
            parsed.problems += problems
            continue
        parsed.problems += problems
        organisation = _dict(service.get("organization"))
        found = LISTING_URL.search(text(organisation.get("uri")))
        parsed.records.append(Record(record_id, label, listing, service, found[1] if found else ""))
    return parsed


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    """A list of objects from the source, leaving out anything that isn't one."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _listing(service: dict[str, Any], default_types: list[str], note: Any, lookup: Lookup) -> dict[str, Any]:
    organisation = _dict(service.get("organization"))
    name = text(service.get("name")) or text(organisation.get("name"))
    if len(name) < 2:
        raise BadValue("name", "is missing; the service was not imported.")
    status = text(service.get("status")).lower()
    if status and status not in STATUSES and status != "active":
        raise BadValue("status", f'"{status}" is not an HSDS status (active, inactive, defunct, temporarily closed).')
    codes = _codes(_dicts(service.get("attributes")))
    types = codes.get("types") or default_types
    if not types:
        raise BadValue(
            "attributes",
            "names none of our types of support; import again with --types, e.g. "
            "--types treatment, to give every such service a type.",
        )
    summary, description = _summary(name, organisation, service)
    listing: dict[str, Any] = {
        "name": clip(name, 120),
        "types": types,
        "summary": summary,
        "description": description,
        "status": STATUSES.get(status),
        "website": text(service.get("url")) or text(organisation.get("website")),
        "email": text(service.get("email")) or text(organisation.get("email")),
        "phones": _phones(service, note),
        "identifiers": _identifiers(organisation),
        "audiences": codes.get("audiences"),
        "languages": _languages(service),
        "referral": drop_empty({"how": clip(text(service.get("application_process")), 600)}),
        "areas_served": local_authorities(
            _areas(service),
            lambda name: note(
                BadValue("service_areas", f'"{name}" is not a UK local authority, so it was left out of areas_served.')
            ),
        ),
        "last_verified": _verified(service),
    }
    locations, online, around_the_clock = _places(service, note, lookup)
    listing.update({"locations": locations, "online_hours": online, "open_24_7": around_the_clock or None})
    return drop_empty(listing)


def _summary(name: str, organisation: dict[str, Any], service: dict[str, Any]) -> tuple[str, str]:
    short = text(organisation.get("description"))
    long = markdown_from_html(str(service.get("description") or "").strip())
    if not 10 <= len(short) <= 160:
        first = re.split(r"(?<=[.!?])\s", text(long), maxsplit=1)[0] if long else short
        short = clip(first, 160) if len(first) >= 10 else f"{name}: a service listed in Open Referral data."[:160]
    return short, ("" if text(long) == short else long[:5000])


def _codes(attributes: list[Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for attribute in attributes:
        term = _dict(attribute.get("taxonomy_term"))
        field = TAXONOMY_FIELDS.get(text(term.get("taxonomy")))
        code = text(term.get("code"))
        if field and code in labels(field) and code not in found[field]:
            found[field].append(code)
    return dict(found)


def _phones(service: dict[str, Any], note: Any) -> list[dict[str, str]]:
    phones = []
    for phone in _dicts(service.get("phones")):
        try:
            number = uk_phone(phone.get("number"), "phones.number")
        except BadValue as error:
            note(error)
            continue
        phones.append(drop_empty({"number": number, "description": clip(text(phone.get("description")), 120)}))
    return phones


def _identifiers(organisation: dict[str, Any]) -> list[dict[str, str]]:
    schemes = labels("identifier_scheme")
    return [
        {"scheme": text(item.get("identifier_scheme")), "id": text(item.get("identifier"))}
        for item in _dicts(organisation.get("organization_identifiers"))
        if text(item.get("identifier_scheme")) in schemes and text(item.get("identifier"))
    ]


def _languages(service: dict[str, Any]) -> list[str]:
    """HSDS languages by code (BCP 47, as we publish them), else by name (e.g. "Welsh"); others left out."""
    known = labels("languages")
    by_name = {label.casefold(): code for code, label in known.items()}
    codes = []
    for language in _dicts(service.get("languages")):
        code = text(language.get("code"))
        code = code if code in known else by_name.get(text(language.get("name")).casefold())
        if code and code not in codes:
            codes.append(code)
    return codes


def _areas(service: dict[str, Any]) -> list[str]:
    names = [text(area.get("name")) or text(area.get("service_area")) for area in _dicts(service.get("service_areas"))]
    return list(dict.fromkeys("national" if name.casefold() in NATIONAL_NAMES else name for name in names if name))


def _verified(service: dict[str, Any]) -> str:
    try:
        date = dt.date.fromisoformat(text(service.get("assured_date"))[:10])
    except ValueError:
        return today().isoformat()
    return min(date, today()).isoformat()


def _places(
    service: dict[str, Any],
    note: Any,
    lookup: Lookup,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    locations, online = [], []
    for place in _dicts(service.get("service_at_locations")):
        location = _dict(place.get("location"))
        hours = _hours([*_dicts(place.get("schedules")), *_dicts(location.get("schedules"))], note)
        if text(location.get("location_type")) == "virtual":
            online += hours
        elif found := _location(location, note, lookup):
            found["hours"] = hours
            locations.append(drop_empty(found))
    service_wide = _hours(_dicts(service.get("schedules")), note)
    around_the_clock = any(
        len(h["days"]) == 7 and h["opens"] == "00:00" and h["closes"] == "24:00" for h in service_wide
    )
    return locations, online, around_the_clock


def _location(location: dict[str, Any], note: Any, lookup: Lookup) -> dict[str, Any] | None:
    name = text(location.get("name"))
    addresses = _dicts(location.get("addresses"))
    address = next((a for a in addresses if text(a.get("address_type")) != "postal"), None)
    address = address or next(iter(addresses), None) or {}
    town = text(address.get("city")) or name
    found: dict[str, Any] = {"name": name if name != town else "", "town": town}
    street = text(address.get("address_1"))
    if street and street not in (name, town):
        found["address"] = street
    if address.get("postal_code"):
        try:
            found["postcode"] = postcode(address["postal_code"], "addresses.postal_code")
        except BadValue as error:
            note(error)
    found["coordinates"] = own_coordinates(
        found.get("postcode"), location.get("latitude"), location.get("longitude"), lookup
    )
    if not town or not (found.get("postcode") or found.get("address") or found.get("coordinates")):
        note(
            BadValue(
                "locations",
                f'location "{name or text(location.get("id")) or "(no name)"}" has no town or address, '
                "so it was left out.",
            )
        )
        return None
    return found


def _hours(schedules: list[Any], note: Any) -> list[dict[str, Any]]:
    hours = []
    for schedule in schedules:
        try:
            if text(schedule.get("freq")).upper() not in ("", "WEEKLY") or schedule.get("interval") not in (
                None,
                1,
                "1",
            ):
                raise BadValue("schedules.freq", "only weekly schedules can be listed; this one was left out.")
            days = [
                DAYS.get(code.strip().upper()[-2:]) for code in text(schedule.get("byday")).split(",") if code.strip()
            ]
            if not days or None in days:
                raise BadValue("schedules.byday", f'"{text(schedule.get("byday"))}" is not a list of days like MO,WE.')
            opens = clock(_local(schedule.get("opens_at")), "schedules.opens_at")
            closes = clock(_local(schedule.get("closes_at")), "schedules.closes_at")
        except BadValue as error:
            note(error)
            continue
        hours.append(
            drop_empty(
                {
                    "days": sorted_days(days),
                    "opens": opens,
                    "closes": closing(opens, closes),
                    "note": clip(text(schedule.get("notes")), 120),
                }
            )
        )
    return hours


def _local(value: Any) -> str:
    """HSDS times may carry Z or an offset; UK services' schedules are UK time either way."""
    return re.sub(r"(Z|[+-]\d\d:?\d\d)$", "", text(value))
