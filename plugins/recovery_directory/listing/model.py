"""Typed listing objects, built from a checked listing. Templates, maps, search and exports all
read these, so every output agrees on what a listing says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..clock import today
from .checks import read_phone
from .gb_numbers import gb_forms
from .hours import hours_text
from .schema import labels
from .text import markdown_to_safe_html, slugify

NATIONAL = "national"


@dataclass
class Phone:
    number: str  # as the organisation wrote it
    display: str  # national format, e.g. "0113 496 0123"
    tel: str  # tel: URI in E.164, e.g. "tel:+441134960123"
    description: str = ""


@dataclass
class OpeningHours:
    days: tuple[str, ...]
    opens: str
    closes: str
    note: str = ""
    join_url: str = ""  # a session people can join online: the call's own link
    join_phone: Phone | None = None  # ... or by phone: the dial-in number
    join_notes: str = ""  # meeting ID, passcode

    @property
    def text(self) -> str:
        return hours_text(self.days, self.opens, self.closes)

    @property
    def joinable(self) -> bool:
        return bool(self.join_url or self.join_phone)


@dataclass
class Location:
    town: str
    name: str = ""
    address: str = ""
    postcode: str = ""
    accessibility: tuple[str, ...] = ()
    hours: tuple[OpeningHours, ...] = ()
    lat: float | None = None
    lon: float | None = None
    local_authority: str | None = None
    local_authority_code: str | None = None
    geocoded_by: str | None = None  # "listing" for coordinates written in the listing

    @property
    def has_pin(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def address_lines(self) -> list[str]:
        return [part for part in (self.name, self.address, self.town, self.postcode) if part]

    @property
    def one_line(self) -> str:
        """The address on one line, as a route planner is asked for it (directions.py)."""
        return ", ".join(self.address_lines)


@dataclass
class Referral:
    # None: the listing doesn't say. Pages then say "not stated", never "no": a listing without
    # `referral:` must not tell a GP that a referral is needed.
    self_referral: bool | None = None
    professional: bool | None = None
    how: str = ""
    url: str = ""


@dataclass
class Organisation:
    slug: str
    source_path: str  # repository-relative, e.g. content/organisations/foo.yaml
    name: str
    types: tuple[str, ...]
    summary: str
    last_verified: dt.date
    description: str = ""
    description_html: str = ""
    status: str = "active"
    lived_experience_led: bool | None = None
    memberships: tuple[str, ...] = ()
    website: str = ""
    email: str = ""
    phones: tuple[Phone, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    audiences: tuple[str, ...] = ()
    substances: tuple[str, ...] = ()
    cost: str = ""
    attendance: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    open_24_7: bool = False
    referral: Referral = field(default_factory=Referral)
    areas_served: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()
    review_every_months: int = 12
    maintainers: tuple[str, ...] = ()
    online_hours: tuple[OpeningHours, ...] = ()  # sessions with no venue: online or by phone only
    source: dict[str, Any] | None = None  # where `recovery-directory import` found it

    @property
    def url(self) -> str:
        return f"organisations/{self.slug}/"

    @property
    def is_listed(self) -> bool:
        """Closed listings keep their page, but leave indexes, search, maps and exports."""
        return self.status != "closed"

    @property
    def takes_referrals(self) -> bool:
        """Closed and temporarily closed services show no referral route anywhere."""
        return self.status == "active"

    @property
    def is_national(self) -> bool:
        return any(area.casefold() == NATIONAL for area in self.areas_served)

    @property
    def open_anywhere(self) -> bool:
        """In the "National and online" group: open to anyone in the UK, as `areas_served` says
        national or names no area and no place holds it. Not a Kirklees-only phone line: having
        no venue says how a service is reached, not who it is for."""
        return self.is_national or not (self.areas_served or self.locations)

    @property
    def review_due(self) -> dt.date:
        return add_months(self.last_verified, self.review_every_months)

    @property
    def is_stale(self) -> bool:
        return today() > self.review_due

    @property
    def located(self) -> list[Location]:
        return [location for location in self.locations if location.has_pin]

    @property
    def towns(self) -> list[str]:
        return list(dict.fromkeys(location.town for location in self.locations))

    @property
    def area_names(self) -> list[str]:
        """Areas for the area indexes: those served, plus the local authorities it sits in."""
        names = [area for area in self.areas_served if area.casefold() != NATIONAL]
        names += [loc.local_authority for loc in self.locations if loc.local_authority]
        return list(dict.fromkeys(names))

    @property
    def type_labels(self) -> list[str]:
        return [labels("types")[code] for code in self.types]

    @property
    def edit_path(self) -> str:
        return self.source_path


def add_months(date: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    for day in (date.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def area_slug(name: str) -> str:
    return NATIONAL if name.casefold() == NATIONAL else slugify(name)


def type_slug(code: str) -> str:
    return code.replace("_", "-")


def build_organisation(data: dict[str, Any], slug: str, source_path: str) -> Organisation:
    """An Organisation from a listing that `validate.check_file` has accepted."""
    referral = data.get("referral") or {}
    return Organisation(
        slug=slug,
        source_path=source_path,
        name=data["name"].strip(),
        types=tuple(data["types"]),
        summary=" ".join(data["summary"].split()),
        last_verified=dt.date.fromisoformat(data["last_verified"]),
        description=data.get("description", ""),
        description_html=markdown_to_safe_html(data["description"]) if data.get("description") else "",
        status=data.get("status", "active"),
        lived_experience_led=data.get("lived_experience_led"),
        memberships=tuple(data.get("memberships", ())),
        website=data.get("website", ""),
        email=data.get("email", ""),
        phones=tuple(_phone(phone) for phone in data.get("phones", ())),
        identifiers=tuple((item["scheme"], item["id"]) for item in data.get("identifiers", ())),
        audiences=tuple(data.get("audiences", ())),
        substances=tuple(data.get("substances", ())),
        cost=data.get("cost", ""),
        attendance=tuple(data.get("attendance", ())),
        languages=tuple(data.get("languages", ())),
        open_24_7=bool(data.get("open_24_7", False)),
        referral=Referral(
            self_referral=_stated(referral.get("self")),
            professional=_stated(referral.get("professional")),
            how=referral.get("how", ""),
            url=referral.get("url", ""),
        ),
        # Validation has already written each area as its authority's site name ("Hull" ->
        # "Kingston upon Hull"), so two spellings of one place count once.
        areas_served=tuple(dict.fromkeys(area.strip() for area in data.get("areas_served", ()))),
        locations=tuple(_location(location) for location in data.get("locations", ())),
        review_every_months=data.get("review_every_months", 12),
        maintainers=tuple(data.get("maintainers", ())),
        online_hours=_hours(data.get("online_hours", ())),
        source=data.get("source"),
    )


def _hours(entries: Any) -> tuple[OpeningHours, ...]:
    return tuple(
        OpeningHours(
            tuple(h["days"]), h["opens"], h["closes"], h.get("note", ""),
            join_url=h.get("join_url", ""),
            join_phone=Phone(h["join_phone"], *_phone_forms(h["join_phone"])) if h.get("join_phone") else None,
            join_notes=h.get("join_notes", ""),
        )
        for h in entries
    )


def _stated(value: Any) -> bool | None:
    """A yes/no field as given, or None when the listing leaves it out."""
    return None if value is None else bool(value)


def _phone(phone: dict[str, Any]) -> Phone:
    display, tel = _phone_forms(phone["number"])
    return Phone(phone["number"], display, tel, phone.get("description", ""))


def _phone_forms(number: str) -> tuple[str, str]:
    """(display, tel: URI); read_phone's cache already holds the number checks.py parsed."""
    found = read_phone(number)
    assert found is not None, "validated listings only"
    parsed, full_number = found
    if full_number and parsed.country_code == 44 and not parsed.extension and not parsed.italian_leading_zero:
        forms = gb_forms(str(parsed.national_number))
        if forms is not None:
            return forms
    if full_number:
        import phonenumbers  # imported with checks.read_phone's first number: not by a cached rebuild

        display = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        tel = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.RFC3966)
    else:  # helpline short numbers such as 116 123 are dialled as written
        display = " ".join(number.split())
        tel = "tel:" + "".join(ch for ch in display if ch.isdigit())
    return display, tel


def _location(location: dict[str, Any]) -> Location:
    coordinates = location.get("coordinates")
    return Location(
        town=location["town"].strip(),
        name=location.get("name", "").strip(),
        address=location.get("address", "").strip(),
        postcode=location.get("postcode", ""),
        accessibility=tuple(location.get("accessibility", ())),
        hours=_hours(location.get("hours", ())),
        lat=coordinates["lat"] if coordinates else None,
        lon=coordinates["lon"] if coordinates else None,
        geocoded_by="listing" if coordinates else None,
    )
