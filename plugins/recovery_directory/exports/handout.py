"""What the shortlist ("My list") and the listing page's "open now" read in the browser.

`handout_record` is one listing's entry on the printed referral handout, written to
organisations/<slug>/handout.json (outputs/shortlist.py): the My list page fetches only the
few listings a visitor chose, so no page carries the whole directory for them. Text is
ready to show (hours in words, dates in words); the browser puts it in with textContent.
"""

from __future__ import annotations

from typing import Any

from ..listing.directions import directions_url
from ..listing.model import Organisation
from ..listing.schema import labels
from ..listing.text import long_date

HANDOUT_FILE = "handout.json"
HANDOUT_VERSION = 1


def handout_path(org: Organisation) -> str:
    return f"{org.url}{HANDOUT_FILE}"


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
        "national": org.is_national or not org.locations,
        "referral": referral,
        "phones": [{"display": p.display, "tel": p.tel, "description": p.description} for p in org.phones],
        "email": org.email,
        "website": org.website,
        "locations": [
            {
                "lines": location.address_lines,
                "hours": [{"text": h.text, "note": h.note} for h in location.hours],
                "directions": directions_url(location, settings),
            }
            for location in org.locations
        ],
        "last_verified": org.last_verified.isoformat(),
        "last_verified_text": long_date(org.last_verified),
        "stale": org.is_stale,
    }

