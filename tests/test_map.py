"""The map as files: folium output moved into a static script, self-hosted assets only, nothing
lost between listings and the map page, and the same bytes from two builds."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import folium
import pytest
from bs4 import BeautifulSoup
from recovery_directory.directory import Directory
from recovery_directory.exports.jsonld import script_json
from recovery_directory.geocoding import ons_postcodes
from recovery_directory.geocoding.cache import GeocodeCache, location_query
from recovery_directory.geocoding.offline import ONSPostcodes
from recovery_directory.listing.model import Location, Organisation, build_organisation
from recovery_directory.listing.validate import check_file
from recovery_directory.outputs.maps import (
    MAP_ELEMENT_ID,
    SCRIPT_PATH,
    OutsideAsset,
    build_map,
    pins,
    pins_by_town,
    render_map,
)
from recovery_directory.settings import DEFAULTS
from site_tools import ROOT, build_site

MAP_FILES = ("map/index.html", SCRIPT_PATH)
MAP_SETTINGS = {**DEFAULTS, "NODE_MODULES_PATH": str(ROOT / "node_modules")}  # the vendored versions


def expected_map(content: Path, cache_path: Path) -> dict:
    """What the map should show, worked out from the listing files, the offline postcode data and
    the geocode cache without the map code: pins (organisation slug per located location), and
    listed slugs with no pin."""
    cache = GeocodeCache(cache_path)
    offline = ONSPostcodes()
    pins, unpinned, closed = [], [], []
    for path in sorted((content / "organisations").glob("*.yaml")):
        data = check_file(path).data
        if data.get("status") == "closed":
            closed.append(path.stem)
            continue
        placed = [
            loc for loc in data.get("locations", [])
            if "coordinates" in loc or location_query(loc) in cache or offline.geocode(location_query(loc) or "")
        ]
        pins += [path.stem] * len(placed)
        if not placed:
            unpinned.append(path.stem)
    return {"pins": pins, "unpinned": unpinned, "closed": closed}


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def listing_slugs(links: list) -> list[str]:
    return [re.search(r"organisations/([a-z0-9-]+)/$", link["href"]).group(1) for link in links]


def organisation(slug: str, *locations: Location, status: str = "active", types=("lero",)) -> Organisation:
    return Organisation(
        slug=slug, source_path=f"content/organisations/{slug}.yaml", name=slug.replace("-", " ").title(),
        types=tuple(types), summary="A listing.", last_verified=dt.date(2026, 1, 1), status=status,
        locations=locations,
    )


# --- the built sample site ---------------------------------------------------------------------


MAP_SCRIPTS = ["leaflet.js", "leaflet.markercluster.js", "recovery-map.js", "directory-map.js"]


def test_map_scripts_follow_the_map_in_order_and_run_before_the_long_list(sample_site: Path) -> None:
    """Straight after the map's container. On /map/, plain scripts: `defer` or `async` let the
    parser reach the end of the long list first, and the map wait for its layout. On the home page,
    deferred: the rest of that short page should not wait for the map."""
    for page, timing in (("map/index.html", None), ("index.html", "defer")):
        soup = soup_of(sample_site, page)
        container = soup.find(id=MAP_ELEMENT_ID)
        following = container.find_next_siblings(True, limit=len(MAP_SCRIPTS))
        assert [tag.name for tag in following] == ["script"] * len(MAP_SCRIPTS), page
        assert [tag["src"].rsplit("/", 1)[-1] for tag in following] == MAP_SCRIPTS, page
        for tag in following:
            assert not tag.has_attr("async") and not tag.get("type"), (page, tag)
            assert tag.has_attr("defer") is (timing == "defer"), (page, tag)
        assert len(soup.find_all("script", src=lambda src: src and src.endswith("directory-map.js"))) == 1, page


def test_map_page_has_no_inline_script_or_style_and_only_self_hosted_assets(sample_site: Path) -> None:
    soup = soup_of(sample_site, "map/index.html")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") in ("application/json", "application/ld+json"), script
    assert soup.find("style") is None
    assert soup.find(style=True) is None
    assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    urls = [tag.get("src") or tag.get("href") for tag in soup.find_all(["script", "link"])]
    assert not [url for url in urls if url and url.startswith(("http:", "https:", "//"))]
    sources = [tag["src"] for tag in soup.find_all("script", src=True)]
    assert any(src.endswith("/" + SCRIPT_PATH) for src in sources)
    for url in urls:  # every asset the page asks for was built
        if url and not url.startswith("#"):
            assert (sample_site / "map" / url.split("?")[0]).resolve().exists(), url


def test_page_loads_exactly_the_assets_folium_asked_for(sample_site: Path) -> None:
    """The templates list the vendor files by hand; they must match what the folium subclasses
    declare, so a folium change that needs another file is noticed."""
    soup = soup_of(sample_site, "map/index.html")
    urls = [tag.get("src") or tag.get("href") or "" for tag in soup.find_all(["script", "link"])]
    page_assets = {(sample_site / "map" / url).resolve() for url in urls if "/vendor/" in url}
    directory = Directory([organisation("a", Location("Leeds", lat=53.8, lon=-1.55))])
    folium_assets = {(sample_site / asset).resolve() for asset in render_map(build_map(directory, MAP_SETTINGS)).assets}
    assert page_assets == folium_assets


def test_generated_script_is_folium_map_with_fixed_ids_and_no_cdn(sample_site: Path) -> None:
    script = (sample_site / SCRIPT_PATH).read_text(encoding="utf-8")
    assert f'L.map(\n"{MAP_ELEMENT_ID}"' in script
    assert "L.markerClusterGroup" in script and "RecoveryMap.ready(" in script
    assert not re.search(r"_[0-9a-f]{32}\b", script), "folium's random ids leaked into the output"
    assert "<script" not in script.lower() and "$(" not in script and "jquery" not in script.lower()
    assert DEFAULTS["MAP_TILE_URL"] in script
    assert '"maxZoom": 19' in script


def test_map_page_lists_every_located_listing_and_every_listing_without_a_pin(sample_site: Path) -> None:
    expected = expected_map(ROOT / "content", ROOT / "geocoding" / "cache.json")
    soup = soup_of(sample_site, "map/index.html")
    assert soup.find(id=MAP_ELEMENT_ID).has_attr("hidden")  # no JavaScript: the lists are the map
    listed_on_map = set(listing_slugs(soup.select(".map-list a")))
    listed_below = set(listing_slugs(soup.select(".map-unpinned a")))
    assert listed_on_map == set(expected["pins"])
    assert listed_below == set(expected["unpinned"])
    assert not (set(expected["closed"]) & (listed_on_map | listed_below))
    assert expected["unpinned"], "the sample data should include an online-only listing"


@pytest.mark.slow
def test_two_builds_write_identical_map_files(sample_site: Path, tmp_path: Path) -> None:
    build_site(tmp_path / "again")
    for name in MAP_FILES:
        assert (tmp_path / "again" / name).read_bytes() == (sample_site / name).read_bytes(), name


def test_listing_page_carries_its_points_as_data_not_script(sample_site: Path) -> None:
    soup = soup_of(sample_site, "organisations/calder-valley-recovery-cafe/index.html")
    container = soup.select_one(".listing-map")
    assert container is not None and container.has_attr("hidden")
    points = json.loads(container["data-points"])
    place = ons_postcodes.lookup(["HX1 1RE"])["HX1 1RE"]  # its postcode, placed offline
    assert points == [{"lat": place.lat, "lon": place.lon, "label": "Calder Valley Recovery Café, Halifax"}]
    assert container["data-tile-url"] == DEFAULTS["MAP_TILE_URL"]
    assert soup_of(sample_site, "organisations/anywhere-recovery-online/index.html").select(".listing-map") == []


# --- maps.py on its own ------------------------------------------------------------------------


def test_stock_folium_map_is_refused_because_it_loads_from_cdns() -> None:
    with pytest.raises(OutsideAsset, match="not self-hosted"):
        render_map(folium.Map(tiles=None))


def test_closed_and_unlocated_listings_get_no_pin_and_text_is_json_escaped() -> None:
    attack = organisation("attack", Location("</script><b>x</b>", lat=51.5, lon=-0.1), types=("treatment", "lero"))
    attack.name = '<img src=x onerror="alert(1)"> & \'quoted\''
    directory = Directory([
        attack,
        organisation("closed", Location("Leeds", lat=53.8, lon=-1.55), status="closed"),
        organisation("online-only"),
    ])
    script = render_map(build_map(directory, MAP_SETTINGS)).script
    rows = json.loads(re.search(r"var data = (\[.*?\]\]);", script, re.S).group(1))
    assert rows == [[51.5, -0.1, attack.name, "organisations/attack/", "</script><b>x</b>", [9, 0]]]
    data_text = re.search(r"var data = (.*?);\n", script, re.S).group(1)
    assert not set("<>&'") & set(data_text), "text must reach the script only as escaped JSON"


def test_script_json_is_the_same_json_with_nothing_that_could_end_a_script_or_a_string() -> None:
    value = {"name": "</script><!-- & 'quoted' \u2028 \u2029", "types": ["Café"]}
    text = script_json(value)  # used for JSON-LD blocks and the map's type labels
    assert json.loads(text) == value
    assert not set("<>&'\u2028\u2029") & set(text)


def test_accessible_list_groups_pins_by_town_once_per_organisation() -> None:
    two_sites = organisation("two-sites", Location("Leeds", lat=53.8, lon=-1.5), Location("Leeds", lat=53.7, lon=-1.6))
    york = organisation("york", Location("York", lat=53.96, lon=-1.08))
    grouped = pins_by_town(pins(Directory([york, two_sites])))
    assert [(town, [org.slug for org in orgs]) for town, orgs in grouped] == [
        ("Leeds", ["two-sites"]),
        ("York", ["york"]),
    ]


def test_model_builds_from_listing_with_coordinates() -> None:
    """Guards the assumption the map relies on: a listing's own coordinates make a pin."""
    org = build_organisation(
        {"name": "X", "types": ["lero"], "summary": "s", "last_verified": "2026-01-01",
         "locations": [{"town": "Leeds", "coordinates": {"lat": 53.8, "lon": -1.55}}]},
        "x", "content/organisations/x.yaml",
    )
    assert [(loc.lat, loc.lon) for loc in org.located] == [(53.8, -1.55)]


def test_the_script_without_folium_is_folium_s_text() -> None:
    """map_script_text.py writes what folium writes, for pins, none, hostile text and other settings."""
    from recovery_directory.directory import load_directory
    from recovery_directory.map_script import directory_map_script
    from recovery_directory.map_script_text import directory_map_script_text, writes

    samples = load_directory(sorted((ROOT / "content" / "organisations").glob("*.yaml")), ROOT).directory
    attack = organisation("attack", Location("</script><b>x</b>", lat=51.5, lon=-0.1), types=("treatment", "lero"))
    attack.name = '<img src=x onerror="alert(1)"> & \'quoted\''
    hostile = Directory([attack, organisation("whole", Location("Leeds", lat=53, lon=-1))])
    other = {**MAP_SETTINGS, "MAP_MAX_ZOOM": 17, "MAP_TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png?a=1&b='2'",
             "MAP_TILE_ATTRIBUTION": "<b>Tiles</b> & \"friends\" \u2028"}
    assert "fitBounds" in directory_map_script_text(samples, MAP_SETTINGS)
    for directory in (samples, Directory([]), hostile):
        for settings in (MAP_SETTINGS, other):
            assert writes(settings)
            assert directory_map_script_text(directory, settings) == directory_map_script(directory, settings).script
