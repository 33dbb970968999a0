"""The map page (/map/) and the directory map it shares with the home page, built once per build
with folium and made safe for a strict CSP. Listing pages draw their small map from data- attributes
with the theme's static listing-map.js.

folium 0.20 loads ~10 assets from 4 CDNs, writes inline <script> and <style>, and never escapes
text (DESIGN.md, "Known traps"). So:

- the subclasses in map_script.py point `default_js`/`default_css` at the self-hosted copies in
  /vendor/<package>-<version>/ (vendor.py) and ship nothing else: no jQuery, Bootstrap
  or Font Awesome;
- beautifulsoup4 takes the map's script out of folium's page into a static .js file; the page's
  container, styles and script tags are the theme's own (templates/map.html, css/map.css);
- contributor text reaches folium only as JSON data (escaped by its `tojson`), and the browser
  puts it into popups with `textContent` (theme/static/js/map/recovery-map.js), never as HTML;
- element ids are fixed, so two builds of the same content write the same bytes.

`FastMarkerCluster` draws the pins in the browser from one array: measured at 5,000 pins it was
5x smaller and 100x faster than a `MarkerCluster` of folium `Marker`s with popups.

The script is kept in the build cache (output_parts.kept_value) under its pins, settings and
library versions, so a rebuild whose pins did not move does not make it again; and a build makes
it with map_script_text.py, the same text as folium's without importing folium (tests/test_map.py
compares the two).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..directory import Directory
from ..listing.model import Location, Organisation
from ..listing.schema import labels
from ..output_parts import KeptPages, kept_value, library_version
from ..vendor import vendor_folders

MAP_ID = "directory"  # folium names the map's element and JS variable map_<id>
MAP_ELEMENT_ID = f"map_{MAP_ID}"
SCRIPT_PATH = "map/directory-map.js"  # the generated script, site-relative
PAGE_PATH = "map/index.html"
SHOWN = ("url", "name", "type_labels", "locations")  # what map.html reads of a listing (locations: any or none)
PIN_FOCUS_ZOOM = 13  # the closest the first view zooms in when there are only a few pins
# folium (with numpy, branca and bs4: ~0.5 s to import) lives in map_script.py and is imported only
# when the script is made, not on a rebuild whose pins did not change. Its names stay reachable here.
FOLIUM_NAMES = frozenset({
    "SelfHostedMap", "SelfHostedFastMarkerCluster", "build_map", "fix_element_ids", "RenderedMap",
    "OutsideAsset", "render_map", "directory_map_script", "self_hosted",
})


def __getattr__(name: str) -> Any:
    if name in FOLIUM_NAMES:
        from .. import map_script

        return getattr(map_script, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Pin:
    organisation: Organisation
    location: Location


def pin_row(record: dict[str, Any], location: dict[str, Any], type_codes: list[str]) -> list[Any]:
    """One row of the cluster's data, from the listing's public record: [lat, lon, name, url,
    town, [type indexes]]. Plain JSON values; the browser puts the text into popups as text."""
    return [
        round(location["coordinates"]["lat"], 5),
        round(location["coordinates"]["lon"], 5),
        record["name"],
        record["url"],
        location["town"],
        [type_codes.index(code) for code in record["types"]],
    ]


def pin_rows(directory: Directory, type_codes: list[str]) -> list[list[Any]]:
    """A row per located location of every listed organisation, in directory order (as `pins`)."""
    return [
        pin_row(record, location, type_codes)
        for record in map(directory.record, directory.listed)
        for location in record["locations"]
        if location["coordinates"]
    ]


def pins(directory: Directory) -> list[Pin]:
    """A pin per located location of every listed organisation, in directory order."""
    return [Pin(org, location) for org in directory.listed for location in org.located]


def unpinned(directory: Directory) -> list[Organisation]:
    """Listed organisations with no pin: online or phone only, or not yet geocoded."""
    return [org for org in directory.listed if not org.located]


def pins_by_town(found: Iterable[Pin]) -> list[tuple[str, list[Organisation]]]:
    """(town, organisations) A–Z: the map's accessible list. An organisation appears once per
    town it has a pin in."""
    towns: dict[str, dict[str, Organisation]] = {}
    for pin in found:
        towns.setdefault(pin.location.town, {})[pin.organisation.slug] = pin.organisation
    return [(town, list(towns[town].values())) for town in sorted(towns, key=str.casefold)]


ORDER = 60  # after assets (10): the page refers to the vendored Leaflet


def write(generator: Any, writer: Any) -> None:
    directory: Directory = generator.directory
    settings = generator.settings
    # The script is made from the pins' rows, the settings and the vendored versions alone (plus
    # the code and date, in the build's fingerprint): kept, it is not made again while they hold.
    rows = pin_rows(directory, list(labels("types")))
    libraries = [library_version(name) for name in ("folium", "branca", "beautifulsoup4")]
    inputs = json.dumps([rows, vendor_folders(settings), libraries], sort_keys=True).encode()

    def make() -> str:  # plain text kept: unpickling a RenderedMap would import folium
        from ..map_script_text import directory_map_script_text, writes

        if writes(settings):  # folium's text without importing folium (map_script_text.py)
            return directory_map_script_text(directory, settings)
        from ..map_script import directory_map_script

        return directory_map_script(directory, settings).script

    text = kept_value(generator, "map-script", inputs, make)
    script = Path(generator.output_path) / SCRIPT_PATH
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(text, encoding="utf-8", newline="\n")

    found = pins(directory)
    values = {
        "towns": pins_by_town(found),
        "unpinned": unpinned(directory),
        "pin_count": len(found),
        "pinned_count": len({pin.organisation.slug for pin in found}),
    }
    kept = KeptPages(generator, "map-page")  # the page again only when what it shows changed
    if not kept.skip(PAGE_PATH, shown(values)):
        writer.write_file(
            PAGE_PATH, generator.get_template("map"), generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"], url="map/", **values,
        )
        kept.written(PAGE_PATH)
    kept.save()


def shown(values: dict[str, Any]) -> list[Any]:
    """What the map page shows of its values: each listing as the fields its template reads
    (SHOWN; tests/test_map_page_kept.py holds the template to them), so an edit to anything
    else (a summary, hours) keeps the page."""
    def listing(org: Organisation) -> list[Any]:
        return [getattr(org, name) if name != "locations" else bool(org.locations) for name in SHOWN]

    towns = [[town, [listing(org) for org in organisations]] for town, organisations in values["towns"]]
    return [towns, [listing(org) for org in values["unpinned"]], values["pin_count"], values["pinned_count"]]
