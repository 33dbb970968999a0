"""/data/meetings.json: mutual-aid sessions in the Meeting Guide feed format (Code4Recovery spec,
REFERENCE.md §3), so meeting-finder apps can show them.

One entry per day of each hours entry at each location of a listing of type mutual_aid, and of
each online session that has a joining link or dial-in number.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..directory import Directory
from ..listing.hours import DAYS
from ..listing.model import NATIONAL, Location, OpeningHours, Organisation
from .common import ExportContext

MUTUAL_AID = "mutual_aid"
DAY_NUMBERS = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}  # the spec's 0 = Sunday
SLUG_MAX = 64

# Meeting Guide types our data can support. A type code marks the meeting itself (W = a women's
# meeting), but our audiences describe the whole listing, so audience codes are given only when
# every audience the listing names has a code: "women" alone -> W on each session, while
# "adults, women" (general meetings plus a women's circle) gets none rather than a wrong W.
AUDIENCE_TYPES = {"women": "W", "men": "M", "young_people": "Y", "young_adults": "Y", "lgbtq": "LGBTQ"}
ACCESS_TYPES = {"step_free": "X", "accessible_toilet": "XB"}
TEMPORARILY_CLOSED = "TC"


def meeting_types(org: Organisation, location: Location | None) -> list[str]:
    codes = []
    if org.audiences and all(audience in AUDIENCE_TYPES for audience in org.audiences):
        codes += [AUDIENCE_TYPES[audience] for audience in org.audiences]
    if location is not None:
        codes += [ACCESS_TYPES[feature] for feature in location.accessibility if feature in ACCESS_TYPES]
    if org.status == "temporarily_closed":
        codes.append(TEMPORARILY_CLOSED)
    return sorted(set(codes))


def meeting_slug(org: Organisation, place: int | str, hours_number: int, day: str) -> str:
    """Unique (the listing's slug is) and at most 64 characters: a long slug is cut and given a
    short hash of the whole slug, so two long slugs with the same start still differ. `place` is
    the location's number, or "online" for a session with no venue."""
    suffix = f"-{place}-{hours_number}-{day}"
    slug = org.slug + suffix
    if len(slug) <= SLUG_MAX:
        return slug
    digest = hashlib.sha256(org.slug.encode()).hexdigest()[:8]
    return f"{org.slug[: SLUG_MAX - len(suffix) - 9]}-{digest}{suffix}"


def notes(org: Organisation) -> str:
    """The summary; a listing that meets online but gives no joining link says where to ask."""
    joinable = any(h.joinable for h in org.online_hours) or any(h.joinable for loc in org.locations for h in loc.hours)
    if "online" in org.attendance and org.website and not joinable:
        return f"{org.summary} Online sessions too: see {org.website}"
    return org.summary


def end_time(closes: str) -> str:
    return "23:59" if closes == "24:00" else closes  # the feed's times are clock times, 00:00-23:59


def conference(hours: OpeningHours) -> dict[str, Any]:
    """The joining link and dial-in: with either, finders count an online meeting as active."""
    fields: dict[str, Any] = {}
    if hours.join_url:
        fields["conference_url"] = hours.join_url
    if hours.join_phone:
        fields["conference_phone"] = hours.join_phone.tel.removeprefix("tel:").replace("-", "")
    if hours.join_notes:
        fields["conference_url_notes" if hours.join_url else "conference_phone_notes"] = hours.join_notes
    return fields


def session(org: Organisation, hours: OpeningHours, slug: str, day: str, context: ExportContext) -> dict[str, Any]:
    """What every meeting says, wherever it is held."""
    return {
        "name": hours.note or org.name,
        "slug": slug,
        "day": DAY_NUMBERS[day],
        "time": hours.opens,
        "end_time": end_time(hours.closes),
        "timezone": "Europe/London",
        "group": org.name,
        **conference(hours),
        "notes": notes(org),
        "url": context.url(org.url),
        "updated": f"{org.last_verified.isoformat()} 00:00:00",
    }


def meeting(
    org: Organisation, location: Location, numbers: tuple[int, int], hours: OpeningHours, day: str,
    context: ExportContext,
) -> dict[str, Any]:
    """A meeting at a venue. Finders (TSML UI) treat an address with fewer than four comma-separated
    parts as approximate, and an approximate meeting as not in person, so a location given only as
    a town and postcode would vanish from their in-person lists: every location we publish has a
    postcode, street address or map position, so `approximate` says "no" outright."""
    entry = session(org, hours, meeting_slug(org, *numbers, day), day, context)
    entry.update({
        "location": location.name,
        "address": location.address,
        "city": location.town,
        "postal_code": location.postcode,
        "country": "UK",
        "formatted_address": ", ".join(filter(None, (location.address, location.town, location.postcode, "UK"))),
        "approximate": "no",
        "regions": [location.local_authority or location.town],
        "types": meeting_types(org, location),
    })
    if location.has_pin:
        entry["latitude"], entry["longitude"] = location.lat, location.lon
    return entry


def online_meeting(
    org: Organisation, number: int, hours: OpeningHours, day: str, context: ExportContext,
) -> dict[str, Any]:
    """A meeting with no venue. The format needs some address, so it gets the area it belongs to,
    marked approximate (the spec's rule for online meetings): finders show it as online only."""
    area = next((a for a in org.areas_served if a.casefold() != NATIONAL), None)
    entry = session(org, hours, meeting_slug(org, "online", number, day), day, context)
    entry.update({
        "formatted_address": f"{area}, UK" if area else "United Kingdom",
        "approximate": "yes",
        "regions": [area or "Online"],
        "types": meeting_types(org, None),
    })
    return entry


def meeting_guide_feed(directory: Directory, context: ExportContext) -> list[dict[str, Any]]:
    """The feed: a JSON array, sorted by listing slug, location, hours entry and day of week, each
    listing's online sessions after its venues. An online session with neither a joining link nor
    a dial-in number is left out: finders would list it as inactive."""
    feed = []
    for org in sorted(directory.listed, key=lambda org: org.slug):
        if MUTUAL_AID not in org.types:
            continue
        feed += [
            meeting(org, location, (location_number, hours_number), hours, day, context)
            for location_number, location in enumerate(org.locations, start=1)
            for hours_number, hours in enumerate(location.hours, start=1)
            for day in sorted(hours.days, key=DAYS.index)
        ]
        feed += [
            online_meeting(org, number, hours, day, context)
            for number, hours in enumerate(org.online_hours, start=1)
            if hours.joinable
            for day in sorted(hours.days, key=DAYS.index)
        ]
    return feed
