"""The map page is written again only when what `maps.shown` describes changed, so its template
may read of a listing only the fields in maps.SHOWN."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader
from recovery_directory.directory import load_directory
from recovery_directory.listing.schema import labels
from recovery_directory.outputs import maps
from site_tools import ROOT


class Shown:
    """A listing that gives only the fields maps.SHOWN names."""

    def __init__(self, org) -> None:  # noqa: ANN001
        self._org = org

    def __getattr__(self, name: str):  # noqa: ANN204
        if name not in maps.SHOWN:
            raise AssertionError(f"the map page reads a listing's {name!r}: add it to maps.SHOWN")
        return getattr(self._org, name)


def test_the_map_page_reads_only_the_fields_it_is_described_by():
    listings = sorted((ROOT / "content" / "organisations").glob("*.yaml"))
    directory = load_directory(listings, ROOT).directory
    for number, org in enumerate(directory.listed):  # some placed, some not
        for location in org.locations:
            if number % 2:
                location.lat, location.lon = 53.7, -1.8
    found = maps.pins(directory)
    towns = [(town, [Shown(org) for org in orgs]) for town, orgs in maps.pins_by_town(found)]
    unpinned = [Shown(org) for org in maps.unpinned(directory)]
    assert towns and unpinned

    env = Environment(loader=FileSystemLoader(ROOT / "theme" / "templates"), trim_blocks=True, lstrip_blocks=True,
                      autoescape=True)
    env.globals["labels"] = labels
    env.globals["vendor_url"] = lambda package, file: f"vendor/{package}/{file}"  # no listing field in it
    template = env.get_template("map.html")
    values = {"towns": towns, "unpinned": unpinned, "pin_count": len(found), "pinned_count": 1, "SITEURL": "",
              "THEME_STATIC_DIR": "theme"}
    parts = env.get_template("partials/map_parts.html").make_module(values)  # imported by map.html's frame
    macros = {name: getattr(parts, name) for name in ("map_container", "map_scripts", "map_legend")}
    html = "".join(template.blocks["content"](template.new_context({**values, **macros})))
    assert towns[0][0] in html and "Listings not on the map" in html
    assert maps.shown({**values, "towns": maps.pins_by_town(found), "unpinned": maps.unpinned(directory)})
