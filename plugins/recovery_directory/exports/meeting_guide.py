"""/data/meetings.json: mutual-aid sessions in the Meeting Guide feed format (Code4Recovery spec,
REFERENCE.md §3), so meeting-finder apps can show them.

Mapped from each listing's public record (public.py): one entry per day of each hours entry at
each location of a listing of type mutual_aid, and of each online session that has a joining link
or dial-in number.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..directory import Directory
from ..listing.hours import DAYS
from ..listing.model import NATIONAL
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


def meeting_types(record: dict[str, Any], location: dict[str, Any] | None) -> list[str]:
    codes = []
    audiences = record["audiences"]
    if audiences and all(audience in AUDIENCE_TYPES for audience in audiences):
        codes += [AUDIENCE_TYPES[audience] for audience in audiences]
    if location is not None:
        codes += [ACCESS_TYPES[feature] for feature in location["accessibility"] if feature in ACCESS_TYPES]
    if record["status"] == "temporarily_closed":
        codes.append(TEMPORARILY_CLOSED)
    return sorted(set(codes))


def meeting_slug(listing_slug: str, place: int | str, hours_number: int, day: str) -> str:
    """Unique (the listing's slug is) and at most 64 characters: a long slug is cut and given a
    short hash of the whole slug, so two long slugs with the same start still differ. `place` is
    the location's number, or "online" for a session with no venue."""
    suffix = f"-{place}-{hours_number}-{day}"
    slug = listing_slug + suffix
    if len(slug) <= SLUG_MAX:
        return slug
    digest = hashlib.sha256(listing_slug.encode()).hexdigest()[:8]
    return f"{listing_slug[: SLUG_MAX - len(suffix) - 9]}-{digest}{suffix}"


def joinable(hours: dict[str, Any]) -> bool:
    return bool(hours.get("join_url") or hours.get("join_phone"))


def notes(record: dict[str, Any]) -> str:
    """The summary; a listing that meets online but gives no joining link says where to ask."""
    sessions = [*record["online_hours"], *(h for location in record["locations"] for h in location["hours"])]
    if "online" in record["attendance"] and record["website"] and not any(joinable(h) for h in sessions):
        return f"{record['summary']} Online sessions too: see {record['website']}"
    return record["summary"]


def end_time(closes: str) -> str:
    return "23:59" if closes == "24:00" else closes  # the feed's times are clock times, 00:00-23:59


def conference(hours: dict[str, Any]) -> dict[str, Any]:
    """The joining link and dial-in: with either, finders count an online meeting as active."""
    fields: dict[str, Any] = {}
    if hours.get("join_url"):
        fields["conference_url"] = hours["join_url"]
    if hours.get("join_phone"):
        fields["conference_phone"] = hours["join_tel"].removeprefix("tel:").replace("-", "")
    if hours.get("join_notes"):
        fields["conference_url_notes" if hours.get("join_url") else "conference_phone_notes"] = hours["join_notes"]
    return fields


def session(
    record: dict[str, Any], hours: dict[str, Any], slug: str, day: str, context: ExportContext,
) -> dict[str, Any]:
    """What every meeting says, wherever it is held."""
    return {
        "name": hours["note"] or record["name"],
        "slug": slug,
        "day": DAY_NUMBERS[day],
        "time": hours["opens"],
        "end_time": end_time(hours["closes"]),
        "timezone": "Europe/London",
        "group": record["name"],
        **conference(hours),
        "notes": notes(record),
        "url": context.url(record["url"]),
        "updated": f"{record['last_verified']} 00:00:00",
    }


def meeting(
    record: dict[str, Any], location: dict[str, Any], numbers: tuple[int, int], hours: dict[str, Any], day: str,
    context: ExportContext,
) -> dict[str, Any]:
    """A meeting at a venue. Finders (TSML UI) treat an address with fewer than four comma-separated
    parts as approximate, and an approximate meeting as not in person, so a location given only as
    a town and postcode would vanish from their in-person lists: every location we publish has a
    postcode, street address or map position, so `approximate` says "no" outright."""
    entry = session(record, hours, meeting_slug(record["slug"], *numbers, day), day, context)
    entry.update({
        "location": location["name"],
        "address": location["address"],
        "city": location["town"],
        "postal_code": location["postcode"],
        "country": "UK",
        "formatted_address": ", ".join(
            filter(None, (location["address"], location["town"], location["postcode"], "UK"))
        ),
        "approximate": "no",
        "regions": [location["local_authority"] or location["town"]],
        "types": meeting_types(record, location),
    })
    if location["coordinates"]:
        entry["latitude"], entry["longitude"] = location["coordinates"]["lat"], location["coordinates"]["lon"]
    return entry


def online_meeting(
    record: dict[str, Any], number: int, hours: dict[str, Any], day: str, context: ExportContext,
) -> dict[str, Any]:
    """A meeting with no venue. The format needs some address, so it gets the area it belongs to,
    marked approximate (the spec's rule for online meetings): finders show it as online only."""
    area = next((a for a in record["areas_served"] if a.casefold() != NATIONAL), None)
    entry = session(record, hours, meeting_slug(record["slug"], "online", number, day), day, context)
    entry.update({
        "formatted_address": f"{area}, UK" if area else "United Kingdom",
        "approximate": "yes",
        "regions": [area or "Online"],
        "types": meeting_types(record, None),
    })
    return entry


def listing_meetings(record: dict[str, Any], context: ExportContext) -> list[dict[str, Any]]:
    """One listing's entries in the feed: none unless it is mutual aid; its venues' sessions by
    location, hours entry and day of week, then its online sessions. An online session with
    neither a joining link nor a dial-in number is left out: finders would list it as inactive."""
    if MUTUAL_AID not in record["types"]:
        return []
    return [
        *(
            meeting(record, location, (location_number, hours_number), hours, day, context)
            for location_number, location in enumerate(record["locations"], start=1)
            for hours_number, hours in enumerate(location["hours"], start=1)
            for day in sorted(hours["days"], key=DAYS.index)
        ),
        *(
            online_meeting(record, number, hours, day, context)
            for number, hours in enumerate(record["online_hours"], start=1)
            if joinable(hours)
            for day in sorted(hours["days"], key=DAYS.index)
        ),
    ]


def meeting_guide_feed(directory: Directory, context: ExportContext) -> list[dict[str, Any]]:
    """The feed: a JSON array of every listing's meetings (`listing_meetings`), by listing slug."""
    listed = sorted(directory.listed, key=lambda org: org.slug)
    return [item for org in listed for item in listing_meetings(directory.record(org), context)]
