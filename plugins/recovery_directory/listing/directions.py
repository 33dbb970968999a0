"""Directions to a location: an ordinary link to a map provider's route planner.

Only a link: nothing of the provider's is embedded or loaded by our pages, so a visitor's
browser contacts it only if they follow the link. The URL patterns are settings
(DIRECTIONS_URL with {lat}/{lon}, DIRECTIONS_ADDRESS_URL with {address}).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .model import Location


def directions_url(location: Location, settings: dict[str, Any]) -> str:
    """The route planner's address for `location`: to its pin, or else to its written address."""
    if location.has_pin:
        return settings["DIRECTIONS_URL"].format(lat=f"{location.lat:.5f}", lon=f"{location.lon:.5f}")
    if location.postcode:
        return settings["DIRECTIONS_ADDRESS_URL"].format(address=quote(location.one_line, safe=""))
    return ""
