"""The search page in Chromium: the sample site built with the real settings (map tiles pointed
at a loopback server), served with the headers those settings give. Every request that would
leave loopback is blocked (conftest's `page`): "near a postcode" uses the site's own files."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup
from conftest import AXE_JS
from fake_services import FakeService, Reply
from recovery_directory.headers import header_rules
from recovery_directory.listing.hours import is_open
from recovery_directory.listing.loader import load_listing
from recovery_directory.listing.schema import labels, search_filters
from recovery_directory.outputs.search import NEAR_DEFAULT, OFFERED_ONLY
from recovery_directory.settings import load_settings
from site_tools import build_site, serve_directory
from temp_project import write_settings
from test_search import built_records

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
CSP_WATCH = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));"""
# An outcode with no file is a 404 from our own server, which Chromium logs for any fetch.
LOOKUP_404 = "Failed to load resource: the server responded with a status of 404 (Not Found)"
LIST_FILTERS = {param: field for param, field, _, _ in search_filters()}  # the schema's x-search marks


@pytest.fixture(scope="module")
def lookup() -> Iterator[FakeService]:
    """Map tiles only: the one outside host the settings name."""
    with FakeService({"GET /tiles/*": Reply(200, TILE_PNG, content_type="image/png")}) as service:
        yield service


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, lookup: FakeService) -> tuple[Path, dict]:
    """The sample content built with the real settings, except the map tiles' URL."""
    return build_with_lookup(tmp_path_factory.mktemp("search-site"), ROOT, lookup.url)


def build_with_lookup(folder: Path, project: Path, service_url: str) -> tuple[Path, dict]:
    """Build `project`'s content/ (placed from its geocoding/cache.json) into folder/output with
    the map tiles at `service_url`; returns the output and its settings."""
    settings_file = write_settings(
        folder,
        {
            "PATH": str(project / "content"),
            "GEOCODE_CACHE_PATH": str(project / "geocoding" / "cache.json"),
            "MAP_TILE_URL": service_url + "/tiles/{z}/{x}/{y}.png",
        },
    )
    output = folder / "output"
    build_site(output, settings=settings_file)
    return output, load_settings(settings_file)


@pytest.fixture(scope="module")
def server(site: tuple[Path, dict]) -> Iterator[str]:
    output, settings = site
    with serve_directory(output, headers=header_rules(settings)) as url:  # the CSP allows the fake tiles
        yield url


@pytest.fixture(scope="module")
def records(site: tuple[Path, dict]) -> list[dict]:
    return built_records(site[0])


# -- helpers -------------------------------------------------------------------------------------
def screenshot_path(name: str, scratch: Path) -> Path:
    """docs/screenshots/NAME with UPDATE_SCREENSHOTS=1 (`make screenshots`), else NAME in the test's
    own `scratch` folder: a test run leaves the committed pictures alone."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        return ROOT / "docs" / "screenshots" / name
    return scratch / name


def axe_violations(page, axe) -> list[dict]:
    """axe's violations, except target size on map pins: a pin can be partly covered by the map's
    own controls or a neighbouring cluster, depending on where it falls, and WCAG 2.5.8's
    "equivalent" exception applies: every pin's listing is also a full-size link in the results."""
    found = []
    for violation in axe(page):
        if violation["id"] == "target-size":
            nodes = [node for node in violation["nodes"] if "leaflet-marker-icon" not in node]
            if not nodes:
                continue
            violation = {**violation, "nodes": nodes}
        found.append(violation)
    return found


def open_search(page, server: str, query: str = "") -> None:
    page.add_init_script(CSP_WATCH)
    page.goto(f"{server}/search/{query}")
    wait_until_fully_ready(page)


def wait_until_fully_ready(page) -> None:
    """Results are usable from data-search-ready; the typo-tolerant text index (built in a
    worker) takes over a moment later."""
    page.wait_for_selector("#search-page[data-search-ready]")
    page.wait_for_selector("#search-page[data-text-index=full]")


def after_render(page, action) -> dict:
    """Do `action` and wait for the results it causes to be drawn."""
    page.evaluate(
        """() => { window.__rendered = new Promise((resolve) => document.getElementById("search-page")
            .addEventListener("search:rendered", (event) => resolve(event.detail), {once: true})); }"""
    )
    action()
    return page.evaluate(
        """() => Promise.race([window.__rendered,
            new Promise((_, reject) => setTimeout(() => reject(new Error("no results were drawn")), 10000))])"""
    )


def shown_slugs(page) -> list[str]:
    return page.locator("#search-list .result").evaluate_all("items => items.map((item) => item.dataset.slug)")


def values(record: dict, field: str) -> list[str]:
    value = record.get(field)
    return value if isinstance(value, list) else [value] if value else []


def matches(record: dict, filters: dict[str, set[str]], flags: set[str]) -> bool:
    lists = all(not wanted or set(values(record, LIST_FILTERS[param])) & wanted for param, wanted in filters.items())
    flag_fields = {"self": "self_referral", "professional": "professional_referral", "open_24_7": "open_24_7"}
    return lists and all(record.get(flag_fields[flag]) for flag in flags)


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 3958.8 * math.asin(math.sqrt(h))


def nearest_miles(record: dict, point: tuple[float, float]) -> float | None:
    located = [(loc["lat"], loc["lon"]) for loc in record["locations"] if loc["lat"] is not None]
    return min((haversine_miles(point, place) for place in located), default=None)


def expected_near_order(
    records: list[dict], point: tuple[float, float], within: float | None = float(NEAR_DEFAULT)
) -> tuple[list[str], list[str]]:
    """Local listings within `within` miles (None: any distance) nearest first, then national ones."""
    # A service with no venue at all (a phone line for one council) shows only near the places it
    # serves (test_search_queries); at any distance, venues without a map position come last.
    local = [r for r in records if not r.get("national") and r["locations"]]
    located = sorted((r for r in local if nearest_miles(r, point) is not None), key=lambda r: nearest_miles(r, point))
    if within is not None:
        located = [r for r in located if nearest_miles(r, point) <= within]
    unlocated = [r["slug"] for r in local if nearest_miles(r, point) is None] if within is None else []
    return [r["slug"] for r in located] + unlocated, [r["slug"] for r in records if r.get("national")]


def spoken_miles(miles: float) -> str:
    """How the page says a distance."""
    if miles < 0.75:
        return "Less than a mile"
    if miles < 1.5:
        return "About a mile"
    return f"About {round(miles)} miles" if miles < 10 else f"{round(miles)} miles"


def wait_for_map_points(page, count: int) -> None:
    # A function, not a string expression: the page's CSP forbids eval.
    page.wait_for_function("(count) => document.getElementById('search-map').dataset.points === count", arg=str(count))


def group_slugs(page) -> list[list[str]]:
    return page.locator("#search-list .result-group").evaluate_all(
        "groups => groups.map((group) => [...group.querySelectorAll('.result')].map((item) => item.dataset.slug))"
    )


# -- tests ---------------------------------------------------------------------------------------
def test_everything_listed_without_a_query_and_nothing_leaves_loopback(page, server, records) -> None:
    open_search(page, server)
    assert shown_slugs(page) == [r["slug"] for r in records]
    assert page.locator("#search-status").inner_text() == f"{len(records)} organisations listed."
    assert page.locator("#search-status").get_attribute("role") == "status"
    # Phone numbers come from the details shards once the list is drawn.
    with_phone = sum(1 for r in records if r["phones"])
    page.wait_for_function(
        "(n) => document.querySelectorAll('.result__contact a[href^=\"tel:\"]').length === n", arg=with_phone
    )
    assert page.errors == []
    assert page.outside_requests == []


def test_text_search_prefix_and_typos(page, server, records) -> None:
    open_search(page, server)
    after_render(page, lambda: page.fill("#search-q", "halifax"))
    expected = {r["slug"] for r in records if "Halifax" in r.get("towns", []) or "halifax" in r["name"].lower()
                or "halifax" in r["summary"].lower()}
    assert expected and set(shown_slugs(page)) == expected
    after_render(page, lambda: page.fill("#search-q", "halifx"))  # one letter missing
    assert set(shown_slugs(page)) == expected
    after_render(page, lambda: page.fill("#search-q", "gambl"))  # a prefix
    gambling = shown_slugs(page)
    assert "bradford-gambling-support-circle" in gambling
    after_render(page, lambda: page.fill("#search-q", "harm reduction"))  # a type label; words combine
    found = shown_slugs(page)
    assert found and all("harm_reduction" in records_by_slug(records)[slug]["types"]
                         or "harm reduction" in records_by_slug(records)[slug]["summary"].lower() for slug in found)
    after_render(page, lambda: page.fill("#search-q", "zzzzqqq"))
    assert shown_slugs(page) == []
    assert "No organisations match" in page.locator("#search-status").inner_text()
    assert page.errors == []


def test_text_search_works_before_the_full_index_is_ready(page, server, records) -> None:
    """Until the worker's index is ready, queries match word starts (no typos); then the page
    redraws the query with the full index."""
    held = []
    page.route("**/text-worker.js", lambda route: held.append(route))  # the worker waits until released
    page.add_init_script(CSP_WATCH)
    page.goto(f"{server}/search/")
    page.wait_for_selector("#search-page[data-search-ready]")
    page.wait_for_function("() => true")  # let the held request reach the route handler
    assert held and page.get_attribute("#search-page", "data-text-index") is None
    expected = {r["slug"] for r in records if "Halifax" in r.get("towns", []) or "halifax" in r["name"].lower()
                or "halifax" in r["summary"].lower()}
    assert after_render(page, lambda: page.fill("#search-q", "halif"))["textIndex"] == "quick"
    assert set(shown_slugs(page)) == expected
    after_render(page, lambda: page.fill("#search-q", "halifx"))  # a typo needs the full index
    assert shown_slugs(page) == []
    assert after_render(page, lambda: held.pop().continue_())["textIndex"] == "full"
    assert set(shown_slugs(page)) == expected
    assert page.errors == [] and page.evaluate("() => window.__csp") == []


def test_text_index_built_in_the_page_when_the_worker_fails(page, server, records) -> None:
    failed = []

    def fail(route) -> None:
        failed.append(route.request.url)
        route.fulfill(status=500, body="")

    page.route("**/text-worker.js", fail)
    page.add_init_script(CSP_WATCH)
    page.goto(f"{server}/search/")
    wait_until_fully_ready(page)
    expected = {r["slug"] for r in records if "Halifax" in r.get("towns", []) or "halifax" in r["name"].lower()
                or "halifax" in r["summary"].lower()}
    assert after_render(page, lambda: page.fill("#search-q", "halifx"))["textIndex"] == "full"
    assert set(shown_slugs(page)) == expected
    assert failed and page.errors == []


def records_by_slug(records: list[dict]) -> dict[str, dict]:
    return {r["slug"]: r for r in records}


def test_each_filter_value_and_its_count(page, server, records) -> None:
    open_search(page, server)
    boxes = [(f"{p}={value}", f"f-{p}-{value}") for p, field in LIST_FILTERS.items() for value in labels(field)
             if field not in OFFERED_ONLY or (value not in OFFERED_ONLY[field] and any(
                 value in values(r, field) for r in records))]
    # Languages: a box for each one some listing offers, English left out (every service is in English).
    offered = {value for r in records for value in values(r, "languages")} - OFFERED_ONLY["languages"]
    assert offered and page.locator("[id^=f-language-]").count() == len(offered)
    assert page.locator("#f-language-en").count() == 0
    flags = {"self": "self_referral", "professional": "professional_referral", "open_24_7": "open_24_7"}
    boxes += [(flag, f"f-{flag}") for flag in flags]
    # The first box ticked and unticked as a person would (Playwright's click), to check the event
    # path; every box then inside the page, one round trip for all 70-odd rather than six each.
    after_render(page, page.locator(f"#{boxes[0][1]}").check)
    after_render(page, page.locator(f"#{boxes[0][1]}").uncheck)
    seen = page.evaluate(
        """async (boxes) => {
            const search = document.getElementById("search-page");
            const drawn = () => new Promise((resolve, reject) => {
                search.addEventListener("search:rendered", resolve, {once: true});
                setTimeout(() => reject(new Error("no results were drawn")), 10000);
            });
            const slugs = () => [...document.querySelectorAll("#search-list .result")].map((item) => item.dataset.slug);
            const seen = {};
            for (const [countFor, id] of boxes) {
                const box = document.getElementById(id);
                const count = document.querySelector(`[data-count-for="${countFor}"]`).textContent;
                let rendered = drawn();
                box.click();
                await rendered;
                seen[countFor] = {count, checked: box.checked, slugs: slugs()};
                rendered = drawn();
                box.click();
                await rendered;
            }
            return seen;
        }""",
        boxes,
    )
    assert len(seen) == len(boxes)
    for count_for, _ in boxes:
        if "=" in count_for:
            param, value = count_for.split("=", 1)
            expected = [r["slug"] for r in records if value in values(r, LIST_FILTERS[param])]
        else:
            expected = [r["slug"] for r in records if r.get(flags[count_for])]
            assert expected, count_for
        assert seen[count_for]["checked"], count_for
        assert seen[count_for]["count"] == f"({len(expected)})", count_for
        assert seen[count_for]["slugs"] == expected, count_for
    assert page.errors == []


def test_filters_combine_and_counts_follow(page, server, records) -> None:
    # Within a group: any of; across groups: all of. Counts: results if that value were ticked.
    open_search(page, server, "?type=lero&type=mutual_aid&substance=alcohol&self=1")
    filters = {"type": {"lero", "mutual_aid"}, "substance": {"alcohol"}}
    expected = [r["slug"] for r in records if matches(r, filters, {"self"})]
    assert expected and shown_slugs(page) == expected
    without_types = [r for r in records if matches(r, {**filters, "type": set()}, {"self"})]
    assert page.locator('[data-count-for="type=treatment"]').inner_text() == (
        f"({sum('treatment' in values(r, 'types') for r in without_types)})"
    )
    with_all = [r for r in records if matches(r, filters, {"self"})]
    assert page.locator('[data-count-for="audience=adults"]').inner_text() == (
        f"({sum('adults' in values(r, 'audiences') for r in with_all)})"
    )
    without_self = [r for r in records if matches(r, filters, set())]
    self_count = sum(bool(r.get("self_referral")) for r in without_self)
    assert page.locator('[data-count-for="self"]').inner_text() == f"({self_count})"
    assert page.locator("#f-type-lero").is_checked() and page.locator("#f-self").is_checked()


def lookup_file(site: tuple[Path, dict], outcode: str) -> list[dict]:
    """The built /postcodes/<outcode>.json decoded: expectations come from the file the page uses."""
    data = json.loads((site[0] / "postcodes" / f"{outcode}.json").read_text(encoding="utf-8"))
    places, lat, lon = [], 0, 0
    for i in range(len(data["inward"]) // 3):
        if data["dlat"][i] is not None:
            lat, lon = lat + data["dlat"][i], lon + data["dlon"][i]
        district = data["district"][i] if "district" in data else 0
        places.append({"postcode": f"{outcode} {data['inward'][3 * i:3 * i + 3]}",
                       "point": (lat / 10_000, lon / 10_000) if data["dlat"][i] is not None else None,
                       "district": data["districts"][district] if district is not None else None})
    return places


def watch_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_near_a_full_postcode_sorts_by_distance(page, server, records, site) -> None:
    requested = watch_requests(page)
    open_search(page, server)
    after_render(page, lambda: (page.fill("#search-near", "hx1 1re"), page.press("#search-near", "Enter")))
    entry = next(p for p in lookup_file(site, "HX1") if p["postcode"] == "HX1 1RE")
    point = entry["point"]
    local, national = expected_near_order(records, point)
    assert group_slugs(page) == [local, national]
    assert f"{server}/postcodes/HX1.json" in requested  # our own origin, one small file
    assert page.outside_requests == []
    message = page.locator("#search-near-message")
    assert f"Sorted by distance from HX1 1RE ({entry['district']})" in message.inner_text()
    first = records_by_slug(records)[local[0]]
    badges = page.locator(f'.result[data-slug="{local[0]}"] .badges').inner_text()
    assert f"{spoken_miles(nearest_miles(first, point))} away" in badges
    district = entry["district"].lower()
    for slug in local + national:  # "serves your area": the postcode's district among areas served
        serves = district in [a.lower() for a in records_by_slug(records)[slug].get("areas_served", [])]
        assert (page.locator(f'.result[data-slug="{slug}"] .badge--area').count() == 1) == serves, slug
    assert "near=HX1+1RE" in page.url or "near=hx1+1re" in page.url.lower()
    assert page.errors == []


def test_near_a_partial_postcode_uses_the_sector(page, server, records, site) -> None:
    open_search(page, server, "?near=HX1+2")
    sector = [p for p in lookup_file(site, "HX1") if p["postcode"].startswith("HX1 2") and p["point"]]
    point = tuple(sum(p["point"][k] for p in sector) / len(sector) for k in (0, 1))
    local, national = expected_near_order(records, point)
    assert group_slugs(page) == [local, national]
    distances = [nearest_miles(records_by_slug(records)[slug], point) for slug in local]
    located = [d for d in distances if d is not None]
    assert located == sorted(located)
    assert "middle of the HX1 2 postcode sector" in page.locator("#search-near-message").inner_text()
    assert page.locator(".result .badge--area").count() >= 1
    assert page.outside_requests == [] and page.errors == []


def test_postcode_typed_in_the_main_box_searches_near_it(page, server, records, site) -> None:
    open_search(page, server, "?q=LS2")
    assert page.input_value("#search-near") == "LS2" and page.input_value("#search-q") == ""
    centre = json.loads((site[0] / "postcodes" / "LS2.json").read_text(encoding="utf-8"))
    local, _ = expected_near_order(records, (centre["lat"], centre["lon"]))
    assert group_slugs(page)[0] == local
    assert "middle of the LS2 postcode area" in page.locator("#search-near-message").inner_text()


UNKNOWN_PLACES = [
    ("ZZ9 9ZZ", "We couldn't find the postcode ZZ9 9ZZ"),  # the right shape, but no such outcode
    ("HX1 8ZZ", "We couldn't find the postcode HX1 8ZZ"),  # a real outcode, but no such postcode
    ("QQ99", "We couldn't find the postcode area “QQ99”"),  # an outcode that doesn't exist
    ("not a postcode", "“not a postcode” is not a UK postcode"),  # never looked up
]


def test_unknown_postcodes_get_a_clear_message(page, server, records, site) -> None:
    assert "HX1 8ZZ" not in [p["postcode"] for p in lookup_file(site, "HX1")]
    requested = watch_requests(page)
    open_search(page, server)
    region = page.locator("#search-near-message")
    assert region.get_attribute("aria-live") == "polite"
    for typed, message in UNKNOWN_PLACES:
        after_render(page, lambda typed=typed: (page.fill("#search-near", typed), page.press("#search-near", "Enter")))
        assert message in region.inner_text(), typed
        assert page.get_attribute("#search-near", "aria-invalid") == "true"
        assert shown_slugs(page) == [r["slug"] for r in records]  # never a blank page
        assert page.locator("#search-list .result-group").count() == 0
    assert not [url for url in requested if "not" in url]
    after_render(page, lambda: (page.fill("#search-near", "HX1 1RE"), page.press("#search-near", "Enter")))
    assert page.get_attribute("#search-near", "aria-invalid") is None and "Sorted by distance" in region.inner_text()
    assert [error for error in page.errors if error != LOOKUP_404] == []
    assert page.outside_requests == []


def expected_open(records: list[dict], when: dt.datetime) -> list[str]:
    def open_now(record: dict) -> bool:
        if record.get("status") == "temporarily_closed":
            return False
        locations = record.get("locations", [])
        hours = [(h["days"], h["opens"], h["closes"]) for loc in locations for h in loc.get("hours", [])]
        # Sessions held only online or by phone, from the listing's own file.
        listing = load_listing(Path(__file__).parents[1] / "content" / "organisations" / f"{record['slug']}.yaml")
        hours += [(h["days"], h["opens"], h["closes"]) for h in listing.data.get("online_hours", [])]
        return bool(record.get("open_24_7")) or is_open(hours, when)

    return [r["slug"] for r in records if open_now(r)]


INSTANTS = {
    "winter": dt.datetime(2026, 1, 13, 9, 45, tzinfo=dt.UTC),  # Tuesday 09:45 GMT
    "summer": dt.datetime(2026, 7, 14, 9, 45, tzinfo=dt.UTC),  # Tuesday 10:45 BST: same UTC time, an hour later
    "clocks changed": dt.datetime(2026, 3, 30, 8, 30, tzinfo=dt.UTC),  # Monday 09:30 BST, the day after
    "evening": dt.datetime(2026, 1, 13, 19, 0, tzinfo=dt.UTC),  # Tuesday evening meetings
    "online meeting": dt.datetime(2026, 12, 6, 19, 30, tzinfo=dt.UTC),  # Sunday: Halifax's online session
}


def test_open_now_in_uk_time(page, server, records) -> None:
    page.clock.set_fixed_time(INSTANTS["winter"])
    open_search(page, server, "?open_now=1")
    for name, instant in INSTANTS.items():
        page.clock.set_fixed_time(instant)
        after_render(page, page.locator("#f-open_now").uncheck)
        after_render(page, page.locator("#f-open_now").check)
        expected = expected_open(records, instant)
        assert shown_slugs(page) == expected, name
        assert page.locator('[data-count-for="open_now"]').inner_text() == f"({len(expected)})", name
        for slug in expected:
            badge = page.locator(f'.result[data-slug="{slug}"] .badge--open').inner_text()
            assert badge in ("Open now", "Open 24/7")


def test_open_now_stays_true_as_the_minutes_pass(page, server, records) -> None:
    """A café closing at 4pm stayed "Open now" (and under the filter) until the next search."""
    before = dt.datetime(2026, 6, 8, 14, 58, tzinfo=dt.UTC)  # Monday 15:58 BST
    after = before + dt.timedelta(minutes=10)
    page.clock.install(time=before)
    open_search(page, server, "?open_now=1")
    assert shown_slugs(page) == expected_open(records, before)
    assert expected_open(records, after) != expected_open(records, before), "the case the test is for"
    page.clock.run_for(10 * 60 * 1000)
    count = len(expected_open(records, after))
    page.wait_for_function(f"() => document.querySelectorAll('#search-list .result').length === {count}")
    assert shown_slugs(page) == expected_open(records, after)


def test_an_online_session_makes_a_listing_open_now(records) -> None:
    """The "online meeting" instant tests something: a listing open then only online."""
    when = INSTANTS["online meeting"]
    def at_a_place(record: dict) -> bool:
        hours = [(h["days"], h["opens"], h["closes"]) for loc in record["locations"] for h in loc["hours"]]
        return bool(record.get("open_24_7")) or is_open(hours, when)

    assert set(expected_open(records, when)) - {r["slug"] for r in records if at_a_place(r)}


def test_printed_results_show_online_sessions_and_dial_in_numbers(page, server, records) -> None:
    """Every session held online or by phone, and every dial-in number, of each printed listing,
    as its file gives them (a group meeting only online printed no way to join)."""
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    open_search(page, server, "?q=meetings")
    page.click("#search-print")
    page.wait_for_function("() => window.__printed === 1")
    text = page.locator("#print-handout").inner_text()
    checked = 0
    for slug in shown_slugs(page):
        data = load_listing(Path(__file__).parents[1] / "content" / "organisations" / f"{slug}.yaml").data
        sessions = data.get("online_hours", []) + [h for loc in data.get("locations", []) for h in loc.get("hours", [])]
        for hours in sessions:
            for key in ("join_phone", "note"):
                if hours.get(key):
                    assert hours[key] in text, (slug, hours[key])
                    checked += 1
        for hours in data.get("online_hours", []):
            assert hours.get("join_url", "") in text and hours.get("join_notes", "") in text  # the meeting ID
    assert checked, "the case the test is for: a printed listing with a dial-in number"


def test_summer_time_changes_what_is_open(records) -> None:
    # The winter and summer instants differ only in UK summer time; prove they test something.
    winter, summer = expected_open(records, INSTANTS["winter"]), expected_open(records, INSTANTS["summer"])
    assert set(summer) - set(winter)
    assert expected_open(records, INSTANTS["evening"]) != winter


def test_state_survives_reload_and_back(page, server, records) -> None:
    open_search(page, server)
    after_render(page, lambda: page.fill("#search-q", "recovery"))
    after_render(page, page.locator("#f-substance-alcohol").check)
    after_render(page, page.locator("#f-professional").check)
    after_render(page, lambda: (page.fill("#search-near", "HX1 1RE"), page.press("#search-near", "Enter")))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["recovery"], "near": ["HX1 1RE"], "substance": ["alcohol"], "professional": ["1"]}
    before = group_slugs(page)
    assert before

    page.reload()
    wait_until_fully_ready(page)
    assert group_slugs(page) == before
    assert page.input_value("#search-q") == "recovery" and page.input_value("#search-near") == "HX1 1RE"
    assert page.locator("#f-substance-alcohol").is_checked() and page.locator("#f-professional").is_checked()

    after_render(page, page.go_back)  # undo "near"
    assert page.input_value("#search-near") == ""
    assert page.locator("#search-list .result-group").count() == 0
    after_render(page, page.go_back)  # undo "professional"
    assert not page.locator("#f-professional").is_checked() and page.locator("#f-substance-alcohol").is_checked()
    expected = [r["slug"] for r in records if "alcohol" in values(r, "substances")]
    assert set(shown_slugs(page)) <= set(expected)
    assert page.locator("#search-share").get_attribute("href") == page.url
    assert page.errors == []


def test_map_shows_exactly_the_filtered_results(page, server, records) -> None:
    open_search(page, server, "?type=lero")
    lero = [r for r in records if "lero" in values(r, "types")]
    located = [r for r in lero if any(loc["lat"] is not None for loc in r["locations"])]
    points = sum(1 for r in located for loc in r["locations"] if loc["lat"] is not None)
    wait_for_map_points(page, points)
    shown = page.evaluate("() => document.getElementById('search-map').shownSlugs")
    assert sorted(shown) == sorted(r["slug"] for r in located)
    after_render(page, page.locator("#f-type-lero").uncheck)
    everything = sum(1 for r in records for loc in r["locations"] if loc["lat"] is not None)
    wait_for_map_points(page, everything)
    assert page.locator("#search-map .leaflet-marker-icon").count() >= 1
    # The directory map's keys and names (map/recovery-map.js) are loaded here too.
    for cluster in page.locator("#search-map .marker-cluster").all():
        assert cluster.get_attribute("aria-label").endswith(" places here: press Enter to zoom in")
    assert page.evaluate("() => typeof window.RecoveryMap.keyboard") == "function"
    assert page.outside_requests == []
    assert page.errors == []


def test_print_view_is_a_referral_handout(page, server, records) -> None:
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    page.clock.set_fixed_time(dt.datetime(2026, 7, 14, 23, 30, tzinfo=dt.UTC))  # 15 July in the UK
    open_search(page, server, "?near=HX1+1RE&type=lero")
    page.click("#search-print")  # fetches the details it needs, then prints
    page.wait_for_function("() => window.__printed === 1")
    page.emulate_media(media="print")
    handout = page.locator("#print-handout")
    assert handout.is_visible()
    assert not page.locator("#search-form").is_visible() and not page.locator(".site-header").is_visible()
    text = handout.inner_text()
    assert "Printed on 15 July 2026" in text
    assert all(number in text for number in ("999", "NHS 111", "116 123"))
    shown = shown_slugs(page)
    assert shown and text.count("How to refer") == len(shown)
    for slug in shown:
        record = records_by_slug(records)[slug]
        assert record["name"] in text
        assert record["referral_how"] in text
        assert record["website"] in text
        assert record["email"] in text  # a group with no phone may have only its email
        for phone in record.get("phones", []):
            assert phone["display"] in text
        for location in record.get("locations", []):
            assert location["postcode"] in text and location["town"] in text
            for hours in location.get("hours", []):
                assert hours["text"] in text
    assert "Within 10 miles of HX1 1RE, nearest first" in text and "Lived experience recovery organisation" in text
    # The sheet keeps the screen's groups ("Within 10 miles of HX1 1RE", national …), numbered
    # on across them, each entry under its own group.
    titles = [title.inner_text() for title in page.locator("#search-list .result-group > h3").all()]
    assert [h.inner_text() for h in handout.locator(".handout-group").all()] == titles and titles
    screen = [[card.get_attribute("data-slug") for card in group.locator(".result").all()]
              for group in page.locator("#search-list .result-group").all()]
    sheet = [[entry.locator("h4").inner_text() for entry in group.locator(".handout-entry").all()]
             for group in handout.locator("ol.handout-list").all()]
    by_slug = records_by_slug(records)
    assert [[name.split(" (")[0] for name in group] for group in sheet] == [
        [by_slug[slug]["name"].split(" (")[0] for slug in group] for group in screen
    ]
    starts = [group.get_attribute("start") for group in handout.locator("ol.handout-list").all()]
    assert starts == [str(1 + sum(map(len, screen[:i]))) for i in range(len(screen))]
    page.emulate_media(media="screen")
    assert any(records_by_slug(records)[slug]["email"] for slug in shown), "the case the email check is for"
    assert not handout.is_visible()


def test_use_my_location(page, server, records) -> None:
    page.context.grant_permissions(["geolocation"], origin=server)
    page.context.set_geolocation({"latitude": 53.7236, "longitude": -1.856})
    open_search(page, server)
    after_render(page, lambda: page.click("#search-locate"))
    assert page.input_value("#search-near") == "53.72,-1.86"
    local, national = expected_near_order(records, (53.72, -1.86))
    assert group_slugs(page) == [local, national]
    message = page.locator("#search-near-message").inner_text()
    assert "your location" in message
    # A location has no council here: say that a postcode also finds the area's phone lines.
    assert "Type your postcode instead to also see services for your council area" in message


def test_keyboard_only(page, server, records) -> None:
    open_search(page, server)
    page.focus("#search-q")
    page.keyboard.type("cafe")
    page.keyboard.press("Tab")  # the hint is text, so the next stop is the postcode box
    assert page.evaluate("document.activeElement.id") == "search-near"
    page.focus("#f-type-lero")
    after_render(page, lambda: page.keyboard.press("Space"))
    assert page.locator("#f-type-lero").is_checked()
    assert re.search(r"type=lero", page.url)
    expected = [r["slug"] for r in records if "lero" in values(r, "types")]
    assert set(shown_slugs(page)) <= set(expected)


def test_axe_with_results_shown(page, server, axe) -> None:
    open_search(page, server, "?near=HX1+1RE&substance=alcohol")
    page.wait_for_function("() => document.getElementById('search-map').dataset.points !== undefined")
    assert page.locator("#search-list .result").count() > 0
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")  # not a <script> tag: the CSP blocks inline scripts
    assert axe_violations(page, axe) == []
    assert page.evaluate("() => window.__csp") == []
    assert page.errors == []


def test_works_without_javascript(browser, server, axe) -> None:
    """Without JavaScript the page says so plainly, offers the browse routes, and shows no
    control that can't act (no search box, filters or buttons)."""
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{server}/search/?q=cafe&type=lero")
        message = tab.locator(".search-nojs")
        assert message.is_visible() and "Search needs JavaScript" in message.inner_text()
        for selector in ("#search-form", "#search-results", "#search-print", ".search-skip"):
            assert not tab.locator(selector).is_visible(), selector
        assert tab.locator("main button:visible, main input:visible, main select:visible").count() == 0
        assert tab.locator("header form:visible").count() == 0
        assert tab.locator("main a[href$='organisations/']:visible").count() >= 1
        tab.click(".search-browse a[href$='types/lero/']")
        assert tab.url.endswith("/types/lero/")
        assert tab.locator("main a[href*='organisations/']").count() > 0
        tab.goto(f"{server}/")  # the home page's box too: a plain message and the browse links
        assert tab.locator("#home-search").is_hidden()
        assert "Search needs JavaScript" in tab.locator("main .search-nojs").inner_text()
        assert tab.locator("main button:visible").count() == 0
    finally:
        context.close()


def without_scripts(html: str) -> str:
    """A page as a browser without JavaScript renders it: <noscript> content in, scripts out."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        script.decompose()
    for noscript in soup.find_all("noscript"):
        noscript.unwrap()
    return str(soup)


def test_axe_without_javascript(page, server, axe) -> None:
    """axe needs a script to run, so the no-JavaScript rendering is served to a normal page."""
    html = urlopen(f"{server}/search/").read().decode("utf-8")  # noqa: S310 - loopback
    page.route(f"{server}/search/", lambda route: route.fulfill(status=200, content_type="text/html",
                                                                 body=without_scripts(html)))
    page.goto(f"{server}/search/")
    assert page.locator(".search-nojs").is_visible() and not page.locator("#search-form").is_visible()
    assert axe_violations(page, axe) == []


# -- near means near, phones, keyboards, no JavaScript --------------------------------------------
@pytest.fixture(scope="module")
def hx1_1re(site: tuple[Path, dict]) -> tuple[float, float]:
    """HX1 1RE where the site's own postcode file (the one the page fetches) puts it."""
    return next(p["point"] for p in lookup_file(site, "HX1") if p["postcode"] == "HX1 1RE")


def test_near_stays_near_and_steps_further_on_request(page, server, records, hx1_1re) -> None:
    open_search(page, server, "?near=HX1+1RE")
    by_slug = records_by_slug(records)
    local, national = expected_near_order(records, hx1_1re)
    assert group_slugs(page) == [local, national]
    assert page.input_value("#search-within") == NEAR_DEFAULT
    everything, _ = expected_near_order(records, hx1_1re, None)
    further = len(everything) - len(local)
    status = page.locator("#search-status").inner_text()
    assert status.startswith(f"{len(local)} organisations within {NEAR_DEFAULT} miles of HX1 1RE")
    assert f"and {len(national)} national, online or phone services" in status
    assert f"{further} more are further away" in status
    # "Show more distant services": the next distance that adds something, never a dead button.
    for within in ("25", "50", "any"):
        reach = None if within == "any" else float(within)
        step, _ = expected_near_order(records, hx1_1re, reach)
        if len(step) > len(local):
            break
    button = page.locator("#search-further")
    added = len(step) - len(local)
    more = "1 more service" if added == 1 else f"{added} more services"
    wanted = f"Show {more} further away" if within == "any" else f"Show {more} up to {within} miles away"
    assert button.inner_text() == wanted
    after_render(page, button.click)
    assert group_slugs(page)[0] == step
    assert page.input_value("#search-within") == within and f"within={within}" in page.url
    assert page.evaluate("() => document.activeElement.id") == "search-status"
    after_render(page, lambda: page.select_option("#search-within", "any"))
    assert group_slugs(page)[0] == everything
    assert not page.locator("#search-further").is_visible()  # nothing further: no button
    assert page.locator("#search-status").inner_text().startswith(f"{len(everything)} organisations at any distance")
    # Distances as people say them.
    for slug in everything:
        miles = nearest_miles(by_slug[slug], hx1_1re)
        if miles is not None:
            badge = page.locator(f'.result[data-slug="{slug}"] .badge--distance').inner_text()
            assert badge.startswith(f"{spoken_miles(miles)} away"), (slug, badge)
    after_render(page, lambda: page.select_option("#search-within", "5"))
    assert "within=5" in page.url
    assert group_slugs(page)[0] == expected_near_order(records, hx1_1re, 5.0)[0]
    assert page.errors == []


def phone_page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda msg: msg.type == "error" and tab.errors.append(msg.text))
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.fulfill(status=200, content_type="image/png", body=TILE_PNG))
    return context, tab


def test_phone_results_first_and_few_tabs(browser, server, records, axe, hx1_1re, tmp_path) -> None:
    context, page = phone_page(browser)
    try:
        open_search(page, server)
        assert not page.locator("#search-filter-panel").is_visible()  # filters behind one button
        toggle = page.locator("#search-filters-toggle")
        assert toggle.is_visible() and toggle.inner_text() == "Filters"
        assert toggle.get_attribute("aria-expanded") == "false"
        after_render(page, lambda: (page.fill("#search-q", "HX1 1RE"), page.click("#search-form button[type=submit]")))
        page.wait_for_function("() => document.activeElement.id === 'search-status'")
        box = page.locator("#search-status").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box  # the summary is on the first screen
        assert page.input_value("#search-near") == "HX1 1RE"
        local, _ = expected_near_order(records, hx1_1re)
        assert group_slugs(page)[0] == local
        page.screenshot(path=str(screenshot_path("search-near-postcode-390.png", tmp_path)), full_page=False)
        # From the search button to the first result: at most 5 Tab presses.
        page.focus("#search-form button[type=submit]")
        first = page.locator("#search-list .result__title a").first
        tabs = 0
        while not first.evaluate("(link) => link === document.activeElement") and tabs < 20:
            page.keyboard.press("Tab")
            tabs += 1
        assert tabs <= 5, tabs
        # The filters open from the button, which counts the ones ticked.
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#search-filter-panel").is_visible()
        after_render(page, page.locator("#f-substance-alcohol").check)
        assert toggle.inner_text() == "Filters (1 on)"
        assert axe_violations(page, axe) == []
        assert page.errors == []
    finally:
        context.close()


def test_home_page_search_lands_on_the_results_summary(page, server, records) -> None:
    page.goto(f"{server}/")
    page.fill("#home-search", "Halifax HX1 1RE")
    page.press("#home-search", "Enter")
    wait_until_fully_ready(page)
    page.wait_for_function("() => document.activeElement.id === 'search-status'")
    assert page.input_value("#search-q") == "Halifax" and page.input_value("#search-near") == "HX1 1RE"
    assert page.locator("#search-list .result-group").count() >= 1
    assert "Halifax" in page.locator("#search-status").inner_text()


def test_skip_link_to_results(page, server) -> None:
    open_search(page, server)
    page.keyboard.press("Tab")  # the site's "Skip to main content"
    page.keyboard.press("Tab")
    link = page.locator(".search-skip")
    assert link.evaluate("(a) => a === document.activeElement") and link.is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#search-results")


def test_no_results_hides_what_cannot_act(page, server, axe) -> None:
    open_search(page, server)
    after_render(page, lambda: page.fill("#search-q", "zzzzqqq"))
    assert shown_slugs(page) == []
    for selector in ("#search-tools", "#search-print", "#search-share", "#search-more", "#search-further"):
        assert not page.locator(selector).is_visible(), selector
    page.wait_for_function("() => document.getElementById('search-map').hidden")
    assert axe_violations(page, axe) == []


def test_desktop_screenshot_near_a_postcode(page, server, tmp_path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_search(page, server, "?near=HX1+1RE")
    page.wait_for_function("() => document.getElementById('search-map').dataset.points !== undefined")
    page.wait_for_timeout(500)  # the map's frame settles
    page.screenshot(path=str(screenshot_path("search-near-postcode-1280.png", tmp_path)), full_page=False)


def test_a_postcode_typed_with_the_words_replaces_the_one_in_the_postcode_box(page, server) -> None:
    """A GP moving on to the next patient types "alcohol LS2 7UE" over a search near HX1: the
    summary offered "Press Enter to search near LS2 7UE", and Enter kept HX1."""
    open_search(page, server, "?near=HX1")
    page.fill("#search-q", "alcohol LS2 7UE")
    assert "Press Enter to search near LS2 7UE" in page.locator("#search-status").inner_text()
    after_render(page, lambda: page.press("#search-q", "Enter"))
    page.wait_for_function("() => new URL(location.href).searchParams.get('near') === 'LS2 7UE'")
    assert page.input_value("#search-near") == "LS2 7UE" and page.input_value("#search-q") == "alcohol"
    page.wait_for_function("() => document.getElementById('search-status').textContent.includes('of LS2 7UE')")
