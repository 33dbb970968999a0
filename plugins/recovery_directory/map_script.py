"""The directory map's script, made with folium (outputs/maps.py writes it): the self-hosted
folium classes, fixed element ids and the script taken out of folium's page with bs4. Apart from
maps.py so that folium, numpy, branca and bs4 are imported only when a script is made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element
from bs4 import BeautifulSoup
from folium.map import FitBounds
from folium.plugins import FastMarkerCluster
from folium.template import Template

from .directory import Directory
from .exports.jsonld import script_json
from .listing.schema import labels
from .outputs.maps import MAP_ID, PIN_FOCUS_ZOOM, pin_rows
from .shared_constants import UK_CENTRE, UK_ZOOM
from .vendor import vendor_url

# (folium's name for an asset, our vendored package, file): URLs come from vendor.vendor_url.
LEAFLET_JS = [("leaflet", "leaflet", "leaflet.js")]
LEAFLET_CSS = [("leaflet_css", "leaflet", "leaflet.css")]
CLUSTER_JS = [("markerclusterjs", "leaflet.markercluster", "leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", "leaflet.markercluster", "MarkerCluster.css"),
    ("markerclusterdefaultcss", "leaflet.markercluster", "MarkerCluster.Default.css"),
]


def self_hosted(assets: list[tuple[str, str, str]], settings: dict[str, Any]) -> list[tuple[str, str]]:
    """folium's (name, url) pairs for vendored files."""
    return [(name, vendor_url(settings, package, file)) for name, package, file in assets]


class SelfHostedMap(folium.Map):
    """A folium Map that asks only for the self-hosted Leaflet (no jQuery/Bootstrap/Font Awesome)."""

    def __init__(self, settings: dict[str, Any], **kwargs: Any):
        super().__init__(**kwargs)
        # Per instance, not per class: the versioned URLs depend on the build's node_modules.
        self.default_js = self_hosted(LEAFLET_JS, settings)
        self.default_css = self_hosted(LEAFLET_CSS, settings)


class SelfHostedFastMarkerCluster(FastMarkerCluster):
    """FastMarkerCluster with self-hosted markercluster, adding every pin in one `addLayers` call
    (folium's loop adds them one at a time) and reporting when the layer is ready. Measured with
    11,000 pins, adding them once the layer is on the map was 15-30% faster than before it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var callback = {{ this.callback }};
                var data = {{ this.data|tojson }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                cluster.addTo({{ this._parent.get_name() }});  // on the map first: measured faster
                cluster.addLayers(data.map(callback));
                RecoveryMap.ready({{ this._parent.get_name() }}, cluster);
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, settings: dict[str, Any], data: list[list[Any]], callback: str, **kwargs: Any):
        super().__init__(data, **kwargs)
        self.callback = callback  # folium wraps it in `var callback = …;`; the template above doesn't
        self.default_js = self_hosted(CLUSTER_JS, settings)
        self.default_css = self_hosted(CLUSTER_CSS, settings)



def build_map(directory: Directory, settings: dict[str, Any]) -> SelfHostedMap:
    """The folium map of every located, listed organisation."""
    type_codes = list(labels("types"))
    max_zoom = int(settings["MAP_MAX_ZOOM"])
    fmap = SelfHostedMap(settings, location=UK_CENTRE, zoom_start=UK_ZOOM, tiles=None, max_zoom=max_zoom)
    folium.TileLayer(
        tiles=settings["MAP_TILE_URL"],
        attr=settings["MAP_TILE_ATTRIBUTION"],  # site-owner HTML from settings, not contributor text
        max_zoom=max_zoom,
        name="tiles",
        # The site sends Referrer-Policy: no-referrer, but OSM's tile servers refuse requests
        # without a Referer: send the site's origin only, never the page.
        referrer_policy="strict-origin",
    ).add_to(fmap)
    rows = pin_rows(directory, type_codes)
    if rows:
        # The final view is set, without animation, before any pin exists: the clusters are
        # worked out once, and nothing is still moving when the map reports it is ready.
        lats, lons = [row[0] for row in rows], [row[1] for row in rows]
        fit = FitBounds([[min(lats), min(lons)], [max(lats), max(lons)]], max_zoom=PIN_FOCUS_ZOOM, padding=(24, 24))
        fit.options["animate"] = False
        fmap.add_child(fit)
    callback = f"RecoveryMap.pinMaker({script_json(list(labels('types').values()))})"
    SelfHostedFastMarkerCluster(settings, rows, callback=callback, name="listings", control=False).add_to(fmap)
    fix_element_ids(fmap)
    return fmap


def fix_element_ids(fmap: folium.Map) -> None:
    """Replace folium's random ids with fixed ones (map_directory, tile_layer_1, …) so two builds
    of the same content write the same bytes."""
    fmap._id = MAP_ID
    counter = 0

    def walk(element: Element) -> None:
        nonlocal counter
        for child in element._children.values():
            counter += 1
            child._id = str(counter)
            walk(child)

    walk(fmap)


@dataclass(frozen=True)
class RenderedMap:
    script: str  # the map's JavaScript, for a static file
    assets: tuple[str, ...]  # the site-relative scripts and stylesheets folium asked for, in order


class OutsideAsset(RuntimeError):
    pass


def render_map(fmap: folium.Map) -> RenderedMap:
    """folium's page split apart with bs4: its inline script becomes the static file's text; its
    header (CDN links, inline <style>, a viewport meta that fails axe) is dropped once we have
    checked it asks only for self-hosted files."""
    soup = BeautifulSoup(fmap.get_root().render(), "html.parser")
    assets = []
    for tag in soup.find_all(["script", "link"]):
        url = tag.get("src") or tag.get("href")
        if url is None:
            continue
        if not url.startswith("vendor/"):
            raise OutsideAsset(
                f"folium asked for {url}, which is not self-hosted. Give the folium class that adds it "
                "a `default_js`/`default_css` pointing at a copy in vendor/ (vendor.vendor_url)."
            )
        assets.append(url)
    body_scripts = [tag for tag in soup.find_all("script") if not tag.get("src") and tag.find_parent("head") is None]
    lines = "\n".join(tag.get_text() for tag in body_scripts).splitlines()
    script = "\n".join(line.strip() for line in lines if line.strip())
    header = "// Generated by recovery_directory/outputs/maps.py from folium: the map of every located listing.\n"
    return RenderedMap(header + "(function () {\n" + script + "\n})();\n", tuple(assets))


def directory_map_script(directory: Directory, settings: dict[str, Any]) -> RenderedMap:
    return render_map(build_map(directory, settings))
