"""The shortlist: /my-list/ (kept in the visitor's browser, printed as a referral handout) and
one small organisations/<slug>/handout.json per listing that it fetches for the chosen few, so
no page carries the whole directory for them. listing_pages.py writes each handout.json beside
its listing's page, so an unchanged listing's is not made or written again. Text is ready to show (hours and dates in
words); the browser puts it in with textContent (theme/static/js/shortlist/handout.js).

Closed listings keep a handout file too, so a list shared before a service closed still says
what became of it (with no referral route) instead of failing.
"""

from __future__ import annotations

from typing import Any

from ..exports.json_text import compact
from ..listing.directions import directions_url
from ..listing.model import OpeningHours, Organisation
from ..listing.schema import labels
from ..listing.text import long_date

ORDER = 55
PAGE = "my-list/index.html"
HANDOUT_FILE = "handout.json"
HANDOUT_VERSION = 1


def handout_path(org: Organisation) -> str:
    return f"{org.url}{HANDOUT_FILE}"


def session(hours: OpeningHours, *, online: bool = False) -> dict[str, str]:
    """An opening time or meeting as the handout prints it: with its dial-in number, and for a
    session held only online its join link and meeting details too."""
    found = {"text": hours.text, "note": hours.note}
    if hours.join_phone:
        found["join_phone"] = hours.join_phone.display
    if online and hours.join_url:
        found["join_url"] = hours.join_url
    if online and hours.join_notes:
        found["join_notes"] = hours.join_notes
    return found


def handout_record(org: Organisation, settings: dict[str, Any]) -> dict[str, Any]:
    """Everything the handout prints for `org`. No referral route unless it is taking referrals."""
    referral = None
    if org.takes_referrals:
        referral = {
            "self": org.referral.self_referral,
            "professional": org.referral.professional,
            "how": org.referral.how,
            "url": org.referral.url,
        }
    return {
        "version": HANDOUT_VERSION,
        "slug": org.slug,
        "url": org.url,
        "name": org.name,
        "summary": org.summary,
        "status": org.status,
        "status_label": labels("status").get(org.status, org.status),
        "types": org.type_labels,
        "open_24_7": org.open_24_7,
        "national": org.open_anywhere,
        "areas": [area for area in org.areas_served if area.casefold() != "national"],  # for "Where" with no venue
        "referral": referral,
        "phones": [{"display": p.display, "tel": p.tel, "description": p.description} for p in org.phones],
        "email": org.email,
        "website": org.website,
        "locations": [
            {
                "lines": location.address_lines,
                "hours": [session(h) for h in location.hours],
                "directions": directions_url(location, settings),
            }
            for location in org.locations
        ],
        "online": [session(h, online=True) for h in org.online_hours],
        "last_verified": org.last_verified.isoformat(),
        "last_verified_text": long_date(org.last_verified),
        "stale": org.is_stale,
    }


def handout_json(org: Organisation, settings: dict[str, Any]) -> bytes:
    """The listing's handout.json: a pure function of the listing, the settings and today's date
    (`stale`), so a cache keyed by those may keep it."""
    return compact(handout_record(org, settings)).encode("utf-8")


def write(generator: Any, writer: Any) -> None:
    writer.write_file(
        PAGE, generator.get_template("my-list"), generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"], url="my-list/", handout_file=HANDOUT_FILE,
    )
