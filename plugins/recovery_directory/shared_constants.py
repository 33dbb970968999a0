"""Constants the build and the browser's scripts share, read from shared_constants.json: the one
place they are written. The build hands them to the scripts in search/index.json (`constants`)
and the search page's settings block, so nothing is copied by hand into JavaScript."""

from __future__ import annotations

import json
from pathlib import Path

SHARED = json.loads((Path(__file__).parent / "shared_constants.json").read_text(encoding="utf-8"))
FLAGS: dict[str, int] = SHARED["flags"]  # bits of a search record's `flags`
COORDINATE_SCALE: int = SHARED["coordinate_scale"]  # search index coordinates are integers of 1/scale degree
UK_CENTRE: tuple[float, float] = tuple(SHARED["uk_centre"])  # the maps' first view, before any pin
UK_ZOOM: int = SHARED["uk_zoom"]
