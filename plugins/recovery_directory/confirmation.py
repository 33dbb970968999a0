"""Links to "Confirm <listing> is up to date", GitHub's issue form filled in for one listing.

Listing pages and the weekly stale-listings issue link here; `recovery-directory confirm` (the
confirm-listing workflow) reads the issue that comes back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

CONFIRM_TEMPLATE = "confirm-listing.yml"  # .github/ISSUE_TEMPLATE/; its `listing` field holds the slug
LISTING_HEADING = "Listing"  # that field's label: GitHub writes it as a heading above the answer


def confirm_url(settings: dict[str, Any], slug: str, name: str) -> str:
    """GitHub's new-issue page with the "still accurate" form filled in for this listing."""
    query = urlencode({"template": CONFIRM_TEMPLATE, "title": f"Confirm {name} is up to date", "listing": slug})
    return f"{settings['REPOSITORY_URL'].rstrip('/')}/issues/new?{query}"
