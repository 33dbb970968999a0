"""What every part of geocoding shares: settings with defaults, the cache's path, UK bounds."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..listing.checks import UK_BOUNDS
from ..settings import DEFAULTS

COMMAND = "recovery-directory geocode"

# UK_BOUNDS (from checks.py, shared with the validator) takes in Northern Ireland, Shetland and
# the Isles of Scilly, and also parts of Ireland and the French coast: the country and postcode
# checks below catch those.
# Crown dependencies: not part of the UK. Their boxes contain no UK land.
NOT_UK = (
    ("the Isle of Man", 54.0, 54.45, -4.9, -4.25),
    ("the Channel Islands", 49.15, 49.75, -2.75, -2.0),
)
NOT_UK_COUNTRIES = {"Channel Islands": "the Channel Islands", "Isle of Man": "the Isle of Man"}


def setting(settings: Mapping[str, Any], name: str) -> Any:
    value = settings.get(name)
    return DEFAULTS[name] if value is None else value


def cache_path(settings: Mapping[str, Any]) -> Path:
    """GEOCODE_CACHE_PATH; a relative one is taken from the project folder (the folder holding the
    content folder, PATH), as settings.project_path() does."""
    path = Path(setting(settings, "GEOCODE_CACHE_PATH"))
    if path.is_absolute():
        return path
    if settings.get("PATH"):
        return Path(settings["PATH"]).parent / path
    return path.absolute()


def uk_point_problem(lat: Any, lon: Any) -> str | None:
    """None if (lat, lon) is a point in the UK, else a sentence saying what is wrong with it."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon)):
        return f"({lat!r}, {lon!r}) is not a pair of numbers"
    where = f"({lat:.5f}, {lon:.5f})"
    for name, south, north, west, east in NOT_UK:
        if south <= lat <= north and west <= lon <= east:
            return f"{where} is in {name}, which is not part of the UK"
    b = UK_BOUNDS
    if b["south"] <= lat <= b["north"] and b["west"] <= lon <= b["east"]:
        return None
    hint = ""
    if b["south"] <= lon <= b["north"] and b["west"] <= lat <= b["east"]:
        hint = "; latitude and longitude look swapped"
    return (
        f"{where} is outside the UK (latitude {b['south']} to {b['north']}, longitude {b['west']} to {b['east']}){hint}"
    )
