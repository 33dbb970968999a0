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
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ..clock import today
from ..exports.hsds import BYDAY, STATUS, TAXONOMIES
from ..listing.schema import labels
from . import Parsed, Problem, Record
from .areas import Lookup, knows_nothing, local_authorities, own_coordinates, place_lookup
from .common import (
    BadValue,
    Changed,
    Note,
    clip,
    clock,
    drop_empty,
    email_address,
    fit,
    markdown_from_html,
    phone_and_extension,
    plain,
    postcode,
    text,
    web_address,
    weekly,
)
from .fetch import SourceError, is_url, normal_url, parse_json, read_bytes

KIND = "openreferral"
HELP = "Open Referral UK / HSDS 3 data: our flat JSON tables, or an API's /services (all pages)"

DAYS = {code: day for day, code in BYDAY.items()}
STATUSES = {hsds: ours for ours, hsds in STATUS.items()} | {"inactive": "closed", "defunct": "closed"}
TAXONOMY_FIELDS = {name: field for field, (name, _link) in TAXONOMIES.items()}
NATIONAL_NAMES = {"united kingdom", "uk", "national"}
LISTING_SLUG = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)/?")  # after our own site's /organisations/
MAX_PAGES = 10_000
# Languages by the name their speakers use (HSDS's `name` is free text), and the three-letter
# codes some systems send; our own labels ("Welsh") and BCP 47 codes are read from the schema.
NATIVE_NAMES = {
    "cymraeg": "cy", "cym": "cy", "wel": "cy", "eng": "en", "gàidhlig": "gd", "gaidhlig": "gd", "gla": "gd",
    "gaeilge": "ga", "gle": "ga", "bsl": "bfi", "polski": "pl", "pol": "pl", "ਪੰਜਾਬੀ": "pa", "panjabi": "pa",
    "اردو": "ur", "বাংলা": "bn", "bangla": "bn", "ગુજરાતી": "gu", "العربية": "ar", "română": "ro",
    "lietuvių": "lt", "português": "pt", "soomaali": "so", "中文": "zh", "español": "es", "français": "fr",
    "italiano": "it", "türkçe": "tr", "kurdî": "ku", "فارسی": "fa", "farsi": "fa", "پښتو": "ps", "ትግርኛ": "ti",
    "українська": "uk", "русский": "ru", "български": "bg", "čeština": "cs", "slovenčina": "sk", "தமிழ்": "ta",
}  # fmt: skip


def read(source: str, settings: Mapping[str, Any], default_types: list[str] | None = None) -> Parsed:
    services = fetch_services(source, settings)
    return parse(services, source, default_types or [], place_lookup(settings), str(settings.get("SITEURL") or ""))


def services_url(source: str) -> str:
    """An API's services endpoint: its base address gets /services added (a .json file is read as it is)."""
    parts = urlsplit(source)
    if parts.path.rstrip("/").endswith("/services") or parts.path.endswith(".json"):
        return source
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/services"))


def normal_source(url: str) -> str:
    """The source as listings record it: "…/api", "…/api/" and "…/API/services/" are one source."""
    return normal_url(services_url(normal_url(url)))


def fetch_services(source: str, settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every service, nested: from a file (flat tables, a page or a list) or from an API, following
    its pages until the last. An API's base address gets /services added."""
    if is_url(source):
        source = services_url(source)
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
    site_url: str = "",
) -> Parsed:
    """`site_url`: this site's SITEURL. A service whose organisation's address is one of this site's
    listing pages (our own export read back) keeps that page's name as its file name."""
    parsed = Parsed(source, read=len(services))
    services_of = Counter(_organisation_key(s) for s in services if isinstance(s, dict))
    first_with: dict[str, str] = {}  # record id -> the name of the first service with it
    for number, service in enumerate(services, start=1):
        if not isinstance(service, dict):
            parsed.problems.append(Problem(source, f"service number {number}", "", "is not a JSON object."))
            continue
        record_id = text(service.get("id")) or f"#{number}"
        label = f'service "{plain(service.get("name"))}" (id {record_id})'
        if record_id in first_with:
            # Importing both would make one listing take each in turn, one import after the next.
            parsed.problems.append(
                Problem(
                    source,
                    label,
                    "id",
                    f'is also the id of service "{first_with[record_id]}", earlier in the source, so only that one '
                    "was imported. Each service needs its own id: ask the source to correct it.",
                    record_id,
                )
            )
            continue
        first_with[record_id] = plain(service.get("name"))
        problems: list[Problem] = []
        changes: list[Problem] = []

        def note(error: BadValue, record_id: str = record_id, label: str = label, problems=problems, changes=changes):
            said = Problem(source, label, error.field, error.message, record_id)
            (changes if isinstance(error, Changed) else problems).append(said)

        shared = services_of[_organisation_key(service)] > 1
        try:
            listing = _listing(service, default_types or [], note, lookup, shared)
        except BadValue as error:
            note(error)
            parsed.problems += problems
            continue
        parsed.problems += problems
        parsed.changes += changes
        parsed.records.append(Record(record_id, label, listing, service, _own_slug(service, site_url)))
    return parsed


def _organisation_key(service: dict[str, Any]) -> str:
    organisation = _dict(service.get("organization"))
    return text(organisation.get("id")) or plain(organisation.get("name")) or f"service {id(service)}"


def _own_slug(service: dict[str, Any], site_url: str) -> str:
    """The file name this site gave the listing, when the organisation's address is one of this
    site's listing pages. Any other site's /organisations/<name> names an organisation (a council
    with many services), not this service's listing."""
    page = text(_dict(service.get("organization")).get("uri"))
    prefix = site_url.rstrip("/") + "/organisations/"
    found = LISTING_SLUG.fullmatch(page[len(prefix) :]) if site_url and page.startswith(prefix) else None
    return found[1] if found else ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    """A list of objects from the source, leaving out anything that isn't one."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _listing(
    service: dict[str, Any], default_types: list[str], note: Note, lookup: Lookup, shared: bool = False
) -> dict[str, Any]:
    """`shared`: the service's organisation runs other services in the source too."""
    organisation = _dict(service.get("organization"))
    name = plain(service.get("name")) or plain(organisation.get("name"))
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
    summary, description = _summary(name, organisation, service, shared, note)
    listing: dict[str, Any] = {
        "name": fit(name, 120, "name", note),
        "types": types,
        "summary": summary,
        "description": description,
        "status": STATUSES.get(status),
        "website": _field(lambda: web_address(service.get("url"), "url", note), note)
        or _field(lambda: web_address(organisation.get("website"), "organization.website", note), note),
        "email": _field(lambda: email_address(service.get("email"), "email"), note)
        or _field(lambda: email_address(organisation.get("email"), "organization.email"), note),
        "phones": _phones(service, note),
        "identifiers": _identifiers(organisation),
        "audiences": codes.get("audiences"),
        "languages": _languages(service, note),
        "referral": drop_empty(
            {"how": fit(plain(service.get("application_process")), 600, "application_process", note)}
        ),
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


def _field(read_value: Callable[[], str], note: Note) -> str:
    """A checked contact field, or "" when the source's value can't be used: said, and left out,
    so one bad address doesn't cost the service its listing."""
    try:
        return read_value()
    except BadValue as error:
        note(error)
        return ""


def _summary(
    name: str, organisation: dict[str, Any], service: dict[str, Any], shared: bool, note: Note
) -> tuple[str, str]:
    """(summary, description). The organisation's description is the summary only when the
    organisation runs just this service (as our own export writes it): a council's description
    says nothing about each of its services. Otherwise the first sentence of the service's own
    description, which is kept whole."""
    own = "" if shared else plain(organisation.get("description"))
    long = markdown_from_html(str(service.get("description") or "").strip())
    short = own if 10 <= len(own) <= 160 else ""
    if not short:
        first = re.split(r"(?<=[.!?])\s", plain(service.get("description")), maxsplit=1)[0]
        short = clip(first, 160) if len(first) >= 10 else f"{name}: a service listed in Open Referral data."[:160]
    return short, ("" if text(long) == short else fit(long, 5000, "description", note))


def _codes(attributes: list[Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for attribute in attributes:
        term = _dict(attribute.get("taxonomy_term"))
        field = TAXONOMY_FIELDS.get(text(term.get("taxonomy")))
        code = text(term.get("code"))
        if field and code in labels(field) and code not in found[field]:
            found[field].append(code)
    return dict(found)


def _phones(service: dict[str, Any], note: Note) -> list[dict[str, str]]:
    phones = []
    for phone in _dicts(service.get("phones")):
        try:
            number, extension = phone_and_extension(phone.get("number"), "phones.number")
        except BadValue as error:
            note(error)
            continue
        if text(phone.get("extension")):  # HSDS's own field for it
            extension = f"ext {text(phone['extension'])}"
        about = ", ".join(filter(None, (extension, plain(phone.get("description")))))
        phones.append(drop_empty({"number": number, "description": fit(about, 120, "phones.description", note)}))
    return phones


def _identifiers(organisation: dict[str, Any]) -> list[dict[str, str]]:
    schemes = labels("identifier_scheme")
    return [
        {"scheme": text(item.get("identifier_scheme")), "id": text(item.get("identifier"))}
        for item in _dicts(organisation.get("organization_identifiers"))
        if text(item.get("identifier_scheme")) in schemes and text(item.get("identifier"))
    ]


def _languages(service: dict[str, Any], note: Note) -> list[str]:
    """HSDS languages by code (BCP 47, as we publish them; "cy-GB" is cy), else by name, in English
    ("Welsh") or the language's own ("Cymraeg"). One this directory doesn't list is said, and left out."""
    known = labels("languages")
    by_name = {label.casefold(): code for code, label in known.items()} | NATIVE_NAMES
    codes = []
    for language in _dicts(service.get("languages")):
        given, name = text(language.get("code")), text(language.get("name"))
        tries = (given, given.split("-")[0].lower(), by_name.get(given.casefold()), by_name.get(name.casefold()))
        code = next((found for found in tries if found in known), None)
        if code is None:
            note(
                BadValue(
                    "languages",
                    f'"{name or given}" is not one of the languages this directory lists, so it was left out. If it '
                    "is one of them under another name, add its code to the listing (e.g. cy for Welsh).",
                )
            )
        elif code not in codes:
            codes.append(code)
    return codes


def _areas(service: dict[str, Any]) -> list[str]:
    names = [text(area.get("name")) or text(area.get("service_area")) for area in _dicts(service.get("service_areas"))]
    return list(dict.fromkeys("national" if name.casefold() in NATIONAL_NAMES else name for name in names if name))


def _verified(service: dict[str, Any]) -> str:
    """When the source last checked the service; "" when it doesn't say (sync then dates a new
    listing today and keeps an existing listing's date: a re-import is not a check)."""
    try:
        date = dt.date.fromisoformat(text(service.get("assured_date"))[:10])
    except ValueError:
        return ""
    return min(date, today()).isoformat()


def _places(
    service: dict[str, Any],
    note: Note,
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


def _location(location: dict[str, Any], note: Note, lookup: Lookup) -> dict[str, Any] | None:
    name = plain(location.get("name"))
    addresses = _dicts(location.get("addresses"))
    address = next((a for a in addresses if text(a.get("address_type")) != "postal"), None)
    address = address or next(iter(addresses), None) or {}
    town = plain(address.get("city")) or name
    found: dict[str, Any] = {
        "name": fit(name, 120, "locations.name", note) if name != town else "",
        "town": fit(town, 80, "addresses.city", note),
    }
    street = plain(address.get("address_1"))
    if street and street not in (name, town):
        found["address"] = fit(street, 200, "addresses.address_1", note)
    bad_postcode = ""
    if address.get("postal_code"):
        try:
            found["postcode"] = postcode(address["postal_code"], "addresses.postal_code")
        except BadValue as error:
            note(error)
            bad_postcode = text(address["postal_code"])
    found["coordinates"] = own_coordinates(
        found.get("postcode"), location.get("latitude"), location.get("longitude"), lookup
    )
    if not town or not (found.get("postcode") or found.get("address") or found.get("coordinates")):
        where = f'location "{name or text(location.get("id")) or "(no name)"}"'
        why = (
            f'has only the postcode "{bad_postcode}" (not a UK postcode) to say where in {town} it is'
            if town and bad_postcode
            else "has no town or address"
        )
        note(BadValue("locations", f"{where} {why}, so it was left out."))
        return None
    return found


def _hours(schedules: list[Any], note: Note) -> list[dict[str, Any]]:
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
        about = fit(plain(schedule.get("notes")), 120, "schedules.notes", note)
        hours += [drop_empty({**entry, "note": about}) for entry in weekly(days, opens, closes, "schedules", note)]
    return hours


def _local(value: Any) -> str:
    """HSDS times may carry Z or an offset; UK services' schedules are UK time either way."""
    return re.sub(r"(Z|[+-]\d\d:?\d\d)$", "", text(value))
