"""/data/meetings.json: mutual-aid sessions in the Meeting Guide feed format (Code4Recovery spec,
REFERENCE.md §3), so meeting-finder apps can show them.

Mapped from each listing's public record (public.py): one entry per day of each hours entry at
each location of a listing of type mutual_aid.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..directory import Directory
from ..listing.hours import DAYS
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


def meeting_types(record: dict[str, Any], location: dict[str, Any]) -> list[str]:
    codes = []
    audiences = record["audiences"]
    if audiences and all(audience in AUDIENCE_TYPES for audience in audiences):
        codes += [AUDIENCE_TYPES[audience] for audience in audiences]
    codes += [ACCESS_TYPES[feature] for feature in location["accessibility"] if feature in ACCESS_TYPES]
    if record["status"] == "temporarily_closed":
        codes.append(TEMPORARILY_CLOSED)
    return sorted(set(codes))


def meeting_slug(listing_slug: str, location_number: int, hours_number: int, day: str) -> str:
    """Unique (the listing's slug is) and at most 64 characters: a long slug is cut and given a
    short hash of the whole slug, so two long slugs with the same start still differ."""
    suffix = f"-{location_number}-{hours_number}-{day}"
    slug = listing_slug + suffix
    if len(slug) <= SLUG_MAX:
        return slug
    digest = hashlib.sha256(listing_slug.encode()).hexdigest()[:8]
    return f"{listing_slug[: SLUG_MAX - len(suffix) - 9]}-{digest}{suffix}"


def notes(record: dict[str, Any]) -> str:
    """The summary, and where to find online sessions: our listings have no per-meeting joining
    link, so the feed has no conference_url rather than a website posing as one."""
    if "online" in record["attendance"] and record["website"]:
        return f"{record['summary']} Online sessions too: see {record['website']}"
    return record["summary"]


def end_time(closes: str) -> str:
    return "23:59" if closes == "24:00" else closes  # the feed's times are clock times, 00:00-23:59


def meeting(
    record: dict[str, Any], location: dict[str, Any], numbers: tuple[int, int], hours: dict[str, Any], day: str,
    context: ExportContext,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": hours["note"] or record["name"],
        "slug": meeting_slug(record["slug"], *numbers, day),
        "day": DAY_NUMBERS[day],
        "time": hours["opens"],
        "end_time": end_time(hours["closes"]),
        "timezone": "Europe/London",
        "group": record["name"],
        "location": location["name"],
        "address": location["address"],
        "city": location["town"],
        "postal_code": location["postcode"],
        "country": "UK",
        "formatted_address": ", ".join(
            filter(None, (location["address"], location["town"], location["postcode"], "UK"))
        ),
        "regions": [location["local_authority"] or location["town"]],
        "types": meeting_types(record, location),
        "notes": notes(record),
        "url": context.url(record["url"]),
        "updated": f"{record['last_verified']} 00:00:00",
    }
    if location["coordinates"]:
        entry["latitude"], entry["longitude"] = location["coordinates"]["lat"], location["coordinates"]["lon"]
    return entry


def meeting_guide_feed(directory: Directory, context: ExportContext) -> list[dict[str, Any]]:
    """The feed: a JSON array, sorted by listing slug, location, hours entry and day of week."""
    return [
        meeting(record, location, (location_number, hours_number), hours, day, context)
        for record in (directory.record(org) for org in sorted(directory.listed, key=lambda org: org.slug))
        if MUTUAL_AID in record["types"]
        for location_number, location in enumerate(record["locations"], start=1)
        for hours_number, hours in enumerate(location["hours"], start=1)
        for day in sorted(hours["days"], key=DAYS.index)
    ]
