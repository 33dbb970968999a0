"""/data/organisations.json: every published listing with all its public fields, plus its slug,
page URL, coordinates and local authority per location."""

from __future__ import annotations

from typing import Any

from ..directory import Directory
from ..listing.model import Organisation
from .common import ExportContext, hours_records, location_record

# Not exported: `maintainers` (GitHub usernames for reviewing changes, not about the service) and
# "stale" (it depends on the day of the build; `review_due` gives the same answer reproducibly).


def organisation_record(org: Organisation, context: ExportContext) -> dict[str, Any]:
    return {
        "slug": org.slug,
        "url": context.url(org.url),
        "name": org.name,
        "types": list(org.types),
        "summary": org.summary,
        "description": org.description,
        "status": org.status,
        "lived_experience_led": org.lived_experience_led,
        "memberships": list(org.memberships),
        "website": org.website,
        "email": org.email,
        "phones": [
            {"number": phone.display, "tel": phone.tel, "description": phone.description} for phone in org.phones
        ],
        "identifiers": [{"scheme": scheme, "id": value} for scheme, value in org.identifiers],
        "audiences": list(org.audiences),
        "substances": list(org.substances),
        "cost": org.cost,
        "attendance": list(org.attendance),
        "open_24_7": org.open_24_7,
        "referral": {
            "self": org.referral.self_referral,
            "professional": org.referral.professional,
            "how": org.referral.how,
            "url": org.referral.url,
        },
        "areas_served": list(org.areas_served),
        "locations": [location_record(location) for location in org.locations],
        "online_hours": hours_records(org.online_hours),
        "source": source_record(org),
        "last_verified": org.last_verified.isoformat(),
        "review_every_months": org.review_every_months,
        "review_due": org.review_due.isoformat(),
    }


def source_record(org: Organisation) -> dict[str, Any] | None:
    """Where an imported listing came from; a file's path on the importer's computer is left out."""
    if not org.source:
        return None
    record = {key: org.source[key] for key in ("kind", "id", "imported") if key in org.source}
    if str(org.source.get("url", "")).startswith(("https://", "http://")):
        record["url"] = org.source["url"]
    return record


def organisations_document(directory: Directory, context: ExportContext) -> dict[str, Any]:
    """The whole file: provenance first, then the listings sorted by slug (a stable order)."""
    listed = sorted(directory.listed, key=lambda org: org.slug)
    return {
        **context.header(),
        "count": len(listed),
        "organisations": [organisation_record(org, context) for org in listed],
    }
