"""The map page (/map/) and the one generated map script it shares with the home page.

folium runs once per build (maps.py), not once per listing: listing pages draw their small map
from data- attributes with the theme's static listing-map.js.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..directory import Directory
from ..maps import SCRIPT_PATH, directory_map_script, pins, pins_by_town, unpinned

ORDER = 60  # after assets (10): the page refers to the vendored Leaflet


def write(generator: Any, writer: Any) -> None:
    directory: Directory = generator.directory
    rendered = directory_map_script(directory, generator.settings)
    script = Path(generator.output_path) / SCRIPT_PATH
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(rendered.script, encoding="utf-8", newline="\n")

    found = pins(directory)
    writer.write_file(
        "map/index.html",
        generator.get_template("map"),
        generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"],
        url="map/",
        towns=pins_by_town(found),
        unpinned=unpinned(directory),
        pin_count=len(found),
        pinned_count=len({pin.organisation.slug for pin in found}),
    )
