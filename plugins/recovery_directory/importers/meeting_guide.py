"""Meeting Guide feeds (Code4Recovery's format, REFERENCE.md §3): the JSON array of meetings that
meeting finders (TSML UI, the Meeting Guide app, BMLT) publish.

The meetings of one group (or of one place, when they name no group) become one listing of type
mutual_aid. Each meeting is one weekly session: at its venue (a location's hours) when it has a
specific address, or in `online_hours` when it meets only online or by phone (approximate or no
address). Its `conference_url` / `conference_phone` become the session's joining link and dial-in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ..clock import today
from . import Parsed, Problem, Record
from .areas import Lookup, areas_for, knows_nothing, own_coordinates, place_lookup
from .common import (
    BadValue,
    Note,
    clip,
    clock,
    drop_empty,
    fit,
    merge_hours,
    plain,
    postcode,
    split_address,
    text,
    uk_phone,
    weekly,
)
from .fetch import SourceError, read_json

KIND = "meeting-guide"
HELP = "a Meeting Guide feed (JSON array of meetings), as a file or web address"

DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # the spec's 0 = Sunday
AUDIENCES = {"W": "women", "M": "men", "Y": "young_people", "LGBTQ": "lgbtq"}
ACCESS = {"X": "step_free", "XB": "accessible_toilet"}
TEMPORARILY_CLOSED = "TC"
UK_TIME = "Europe/London"
# exports/meeting_guide.py notes(): a listing that meets online without a public link
OUR_ONLINE_NOTE = re.compile(r"(.+) Online sessions too: see (https?://\S+)")


def read(source: str, settings: Mapping[str, Any], default_types: list[str] | None = None) -> Parsed:
    """`default_types` is not needed: every meeting is mutual aid."""
    feed = read_json(source, settings)
    if not isinstance(feed, list):
        raise SourceError(
            f"{source}: a Meeting Guide feed is a JSON array of meetings; this is a {type(feed).__name__}."
        )
    return parse(feed, source, place_lookup(settings))


def parse(feed: list[Any], source: str, lookup: Lookup = knows_nothing) -> Parsed:
    parsed = Parsed(source, read=len(feed))
    groups: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for number, raw in enumerate(feed, start=1):
        label = _label(raw, number)
        changes: list[Problem] = []
        try:
            meeting = _meeting(raw, lookup, _reporter(changes, source, label))
        except BadValue as error:
            parsed.problems.append(Problem(source, label, error.field, error.message))
            continue
        parsed.changes += changes
        groups[meeting["group_key"]].append((raw, meeting))
    for key in sorted(groups):
        members = groups[key]
        label = f'group "{members[0][1]["group"]}"' if key.startswith("group:") else f'meetings at "{key[9:]}"'
        listing = _listing(members, lookup, _reporter(parsed.changes, source, label, key))
        parsed.records.append(Record(key, label, listing, [raw for raw, _ in members]))
    return parsed


def _reporter(changes: list[Problem], source: str, label: str, record_id: str = "") -> Note:
    """How a meeting or group tells `changes` what had to change to fit (common.Changed)."""
    return lambda error: changes.append(Problem(source, label, error.field, error.message, record_id))


def _label(raw: Any, number: int) -> str:
    slug = text(raw.get("slug")) if isinstance(raw, dict) else ""
    return f'meeting "{slug}" (number {number} in the feed)' if slug else f"meeting number {number} in the feed"


def _meeting(raw: Any, lookup: Lookup, note: Note) -> dict[str, Any]:
    """One meeting checked and reduced to what a listing can hold; BadValue names what's wrong,
    `note` hears what had to change to fit."""
    if not isinstance(raw, dict):
        raise BadValue("", "is not a meeting (each item of the feed must be a JSON object).")
    name = plain(raw.get("name"))
    if not name:
        raise BadValue("name", "is missing; every meeting needs a name.")
    days = raw.get("day")
    days = [_day_number(day) for day in (days if isinstance(days, list) else [days])]
    if raw.get("day") is None or not raw.get("time"):
        raise BadValue(
            "day" if raw.get("day") is None else "time",
            "is missing: meetings by appointment have no weekly time, so they can't be listed.",
        )
    if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days):
        raise BadValue("day", f"{raw.get('day')!r} is not a day: use 0 (Sunday) to 6 (Saturday).")
    zone = text(raw.get("timezone"))
    if zone and zone != UK_TIME:
        raise BadValue("timezone", f'is "{zone}"; this directory lists UK times ({UK_TIME}) only.')
    opens = clock(raw["time"], "time")
    closes = clock(raw["end_time"], "end_time") if raw.get("end_time") else _plus_hour(opens)
    types = {text(t) for t in raw.get("types") or [] if isinstance(t, str | int)}
    join = _join(raw, note)
    place = _place(raw, lookup, note)
    if not place and not join:
        raise BadValue(
            "formatted_address",
            "there is no address and no conference_url or conference_phone, so nobody could find this meeting.",
        )
    group = plain(raw.get("group"))
    group_key = text(raw.get("group")).casefold()  # as the source writes it: the listing's record id
    place_key = ", ".join(
        filter(
            None,
            (
                text(raw.get("location")),
                text(raw.get("formatted_address"))
                or ", ".join(value for value in (place or {}).values() if isinstance(value, str)),
            ),
        )
    )
    return {
        "group": group,
        "group_key": f"group:{group_key}" if group else f"location:{place_key or name}",
        "place": place,
        "sessions": len(set(days)),
        # a meeting that runs past midnight is two entries (common.weekly): to midnight, and after
        "hours": [
            drop_empty({**entry, "note": about, **join})
            for about in [fit(name, 120, "name", note)]
            for entry in weekly([DAYS[d] for d in days], opens, closes, "end_time", note)
        ],
        "types": types,
        "notes": text(raw.get("notes")),
        "group_notes": " ".join(str(raw.get("group_notes") or "").split()),
        "location_notes": _location_notes(raw),
        "updated": _date(raw.get("updated")),
        "url": text(raw.get("url")),
        "name": name,
    }


def _location_notes(raw: dict[str, Any]) -> str:
    """Notes about the venue, named after it ("Example Hall: ring the bell")."""
    notes = text(raw.get("location_notes"))
    venue = clip(text(raw.get("location")), 120)
    return f"{venue}: {notes}" if notes and venue else notes


def _day_number(value: Any) -> Any:
    """Some feeds write the day as text ("2"); TSML UI reads those too."""
    return int(value) if isinstance(value, str) and value.strip().isdigit() else value


def _plus_hour(opens: str) -> str:
    hour, minute = map(int, opens.split(":"))
    return "24:00" if hour == 23 else f"{hour + 1:02d}:{minute:02d}"


def _join(raw: dict[str, Any], note: Note) -> dict[str, str]:
    join: dict[str, str] = {}
    url = text(raw.get("conference_url"))
    if url:
        if not url.startswith(("https://", "http://")) or " " in url:
            raise BadValue("conference_url", f'"{url}" is not a web address starting with https://.')
        join["join_url"] = url
    if raw.get("conference_phone"):
        # one-tap dial strings ("+441134960123,,123#") keep only the number; the rest is in the notes
        number = text(raw["conference_phone"]).split(",")[0].split(";")[0]
        join["join_phone"] = uk_phone(number, "conference_phone")
    notes = "; ".join(filter(None, (text(raw.get("conference_url_notes")), text(raw.get("conference_phone_notes")))))
    if notes and join:
        join["join_notes"] = fit(notes, 200, "conference_url_notes", note)
    return join


def _place(raw: dict[str, Any], lookup: Lookup, note: Note) -> dict[str, Any] | None:
    """The venue, or None for a meeting held only online (approximate or no address)."""
    if text(raw.get("approximate")).lower() == "yes":
        return None
    found = split_address(text(raw.get("formatted_address"))) if raw.get("formatted_address") else {}
    for ours, theirs in (("address", "address"), ("town", "city")):
        if text(raw.get(theirs)):
            found[ours] = text(raw[theirs])
    if raw.get("postal_code"):
        found["postcode"] = postcode(raw["postal_code"], "postal_code")
    if not found.get("town"):
        return None
    if not (found.get("postcode") or found.get("address")):
        return None  # a town alone is approximate: the spec's online meetings give just that
    place = {"name": fit(plain(raw.get("location")), 120, "location", note), **found}
    place["coordinates"] = own_coordinates(place.get("postcode"), raw.get("latitude"), raw.get("longitude"), lookup)
    return drop_empty(place)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text(value)[:10])
    except ValueError:
        return None


def _listing(members: list[tuple[dict[str, Any], dict[str, Any]]], lookup: Lookup, note: Note) -> dict[str, Any]:
    meetings = [meeting for _, meeting in members]
    first = meetings[0]
    venues: dict[tuple, dict[str, Any]] = {}
    venue_types: dict[tuple, list[set[str]]] = defaultdict(list)
    online: list[dict[str, Any]] = []
    for meeting in meetings:
        if meeting["place"] is None:
            online += meeting["hours"]
            continue
        key = tuple(sorted((k, str(v)) for k, v in meeting["place"].items()))
        venues.setdefault(key, {**meeting["place"], "hours": []})["hours"] += meeting["hours"]
        venue_types[key].append(meeting["types"])
    locations = []
    for key, venue in venues.items():
        shared = set.intersection(*venue_types[key])
        venue["accessibility"] = [ACCESS[code] for code in ACCESS if code in shared]
        venue["hours"] = merge_hours(venue["hours"])
        locations.append(drop_empty(venue))
    all_types = set.intersection(*(m["types"] for m in meetings))
    towns = list(dict.fromkeys(location["town"] for location in locations))
    joins = [*online, *(h for loc in locations for h in loc["hours"])]
    attendance = (
        (["in_person"] if locations else [])
        + (["online"] if any("join_url" in h for h in joins) else [])
        + (["phone"] if any("join_phone" in h for h in joins) else [])
    )
    name = first["group"] or first["place"] and first["place"].get("name") or first["name"]
    notes = {m["notes"] for m in meetings}
    shared_notes = next(iter(notes)) if len(notes) == 1 else ""
    website = ""
    if found := OUR_ONLINE_NOTE.fullmatch(shared_notes):  # our own feed's way of saying "online too"
        shared_notes, website = found[1], found[2]
        attendance += [] if "online" in attendance else ["online"]
    summary = shared_notes if 10 <= len(shared_notes) <= 160 else ""  # the group's own words, when it fits
    # no `updated`: no date here (sync dates a new listing today, and keeps an existing one's date)
    updated = [m["updated"] for m in meetings if m["updated"] and m["updated"] <= today()]
    urls = {m["url"] for m in meetings}
    listing = {
        "name": fit(name, 120, "group", note) if len(name) >= 2 else f"{name} group",
        "types": ["mutual_aid"],
        "summary": summary or _summary(sum(m["sessions"] for m in meetings), towns, bool(online)),
        "description": fit(_description(meetings, summary), 5000, "notes", note),
        "status": "temporarily_closed" if TEMPORARILY_CLOSED in all_types else None,
        "website": website
        or (urls.pop() if len(urls) == 1 and next(iter(urls)).startswith(("https://", "http://")) else None),
        "audiences": [AUDIENCES[code] for code in AUDIENCES if code in all_types],
        "attendance": attendance or None,
        "areas_served": areas_for(locations, not locations, lookup),
        "locations": locations,
        "online_hours": merge_hours(online),
        "last_verified": max(updated).isoformat() if updated else None,
    }
    return drop_empty(listing)


def _summary(count: int, towns: list[str], online: bool) -> str:
    where = " and ".join(filter(None, (f"in {', '.join(towns)}" if towns else "", "online" if online else "")))
    return clip(f"Mutual aid group: {count} meeting{'s' if count != 1 else ''} a week {where}.", 160)


def _description(meetings: list[dict[str, Any]], summary: str) -> str:
    """The group's notes, then each meeting's own notes (plain text, so Markdown is escaped)."""
    parts = [_plain(notes) for notes in dict.fromkeys(m["group_notes"] for m in meetings if m["group_notes"])]
    parts += [_plain(notes) for notes in dict.fromkeys(m["location_notes"] for m in meetings if m["location_notes"])]
    per_meeting = [(m["name"], m["notes"]) for m in meetings if m["notes"] and m["notes"] != summary]
    if per_meeting:
        parts.append(
            "About each meeting:\n\n"
            + "\n".join(f"- {_plain(name)}: {_plain(notes)}" for name, notes in dict.fromkeys(per_meeting))
        )
    return "\n\n".join(parts)


def _plain(value: str) -> str:
    """Source text is plain: escape what Markdown would read as formatting or HTML."""
    return "".join("\\" + ch if ch in "\\`*_{}[]<>#|!" else ch for ch in value)
