"""Table-driven: what a GP types into the search box finds exactly the listings whose YAML
fields and text contain it (tests/search_reference.py works that out from the files), in
Chromium, on the sample site and on a synthetic site. A postcode in the box means "near" it:
the listings within the default distance, nearest first, and national services apart."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_services import FakeService, Reply
from recovery_directory.headers import header_rules
from recovery_directory.outputs.search import NEAR_DEFAULT
from search_reference import Listings, words
from site_tools import ROOT, serve_directory
from test_search import built_records
from test_search_browser import (  # noqa: F401 - lookup, server and site are fixtures
    after_render,
    build_with_lookup,
    group_slugs,
    lookup,
    lookup_file,
    server,
    shown_slugs,
    site,
)

from benchmarks.synthetic import generate

pytestmark = pytest.mark.browser

# {town}: the site's commonest town. Single words for substances, audiences and types, two-word
# queries, a town plus a type, meeting names from opening-hours notes, referral text, misspellings,
# nations.
QUERIES = [
    "alcohol", "drugs", "gambling", "cocaine",  # substances (and a word for one)
    "women", "families", "students", "adults",  # audiences
    "housing", "mutual aid", "harm reduction", "coaching",  # types
    "online", "donations",  # attendance, cost
    "family support", "peer mentor",  # two words anywhere in a listing
    "{town}", "{town} alcohol", "{town} cafe", "{town} housing",  # town + substance / type
    "SMART Recovery", "breakfast",  # meeting names in opening-hours notes
    "surname", "probation",  # how to refer
    "alchol", "gamblng", "recovry",  # misspellings
    "gamble", "gamblers",  # other forms of a word
    "alcohol near me", "near me",  # "near me" narrows nothing: the postcode box does that
    "self referral", "self-referral", "GP referral", "{town} self referral",  # how a service takes referrals
    "Wales", "Cymru", "Scotland", "Northern Ireland", "alcohol Scotland", "self referral Wales",  # nations served
    "men", "NA", "AA", "wom", "bsl",  # short words: whole words where some listing has them, else word starts
    "British Sign Language", "hearing loop",  # languages and what places offer, in words
    "needle exchange",  # what GPs call it; the listing says "needle and syringe provision" (ALSO_KNOWN_AS)
]
SYNTHETIC_N = 300


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 3958.8 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, dict]]:
    """A synthetic site (real ONS postcodes, placed offline); "near" uses its own postcode files."""
    root = tmp_path_factory.mktemp("synthetic-search")
    generate(SYNTHETIC_N, root, seed=11)
    with FakeService({"GET /tiles/*": Reply(200, b"", content_type="image/png")}) as tiles:
        output, settings = build_with_lookup(root, root, tiles.url)
        with serve_directory(output, headers=header_rules(settings)) as url:
            yield url, root, {"site": (output, settings)}


def point_of(built: tuple[Path, dict], postcode: str) -> tuple[float, float]:
    """Where the site's own postcode file (the one the page fetches) puts a postcode."""
    outcode = postcode.split()[0]
    return next(p["point"] for p in lookup_file(built, outcode) if p["postcode"] == postcode)


@pytest.fixture(scope="module")
def sample(server: str, site: tuple[Path, dict]) -> tuple[str, Path, dict]:  # noqa: F811
    return server, ROOT, {"postcode": "HX1 1RE", "point": point_of(site, "HX1 1RE")}


def show_every_page(page) -> None:
    """Press "Show more" (results come 25 at a time) until every result is shown, inside the page:
    one round trip for all the pages rather than several per page."""
    page.evaluate(
        """async () => {
            const page = document.getElementById("search-page");
            const more = document.getElementById("search-more");
            for (let pressed = 0; more.checkVisibility(); pressed += 1) {
                if (pressed > 1000) throw new Error("'Show more' never ran out");
                const drawn = new Promise((resolve, reject) => {
                    page.addEventListener("search:rendered", resolve, {once: true});
                    setTimeout(() => reject(new Error("no results were drawn")), 10000);
                });
                more.click();
                await drawn;
            }
        }"""
    )


def run_table(page, url: str, listings: Listings, records: list[dict]) -> int:
    """Type each query; the results must be exactly the listings the files say. Returns how many
    queries found something (so the table can't pass by finding nothing)."""
    page.goto(f"{url}/search/")
    page.wait_for_selector("#search-page[data-text-index=full]")
    town = listings.commonest_town()
    found = 0
    for template in QUERIES:
        query = template.format(town=town)
        after_render(page, lambda query=query: page.fill("#search-q", query))
        expected = listings.matching(query)
        show_every_page(page)
        shown = shown_slugs(page)
        assert len(shown) == len(set(shown))
        assert set(shown) == expected, (query, sorted(set(shown) ^ expected))
        status = page.locator("#search-status").inner_text()
        count = len(expected)
        assert status.startswith("No organisations" if not count else f"{count} organisation"), (query, status)
        found += bool(expected)
    assert page.errors == []
    return found


def run_postcode(page, url: str, listings: Listings, records: list[dict], postcode: str,
                 point: tuple[float, float]) -> None:
    """"<town> <postcode>" in the box: the town's words, near the postcode, within the default
    distance, nearest first; national and online services in their own group."""
    town = listings.commonest_town()
    page.goto(f"{url}/search/")
    page.wait_for_selector("#search-page[data-text-index=full]")
    after_render(page, lambda: (page.fill("#search-q", f"{town} {postcode}"), page.press("#search-q", "Enter")))
    page.wait_for_function("() => document.querySelector('#search-list .result-group')")
    assert page.input_value("#search-near") == postcode and page.input_value("#search-q") == town
    by_slug = {record["slug"]: record for record in records}
    matching = listings.matching(town)

    def miles(slug: str) -> float | None:
        places = [(loc["lat"], loc["lon"]) for loc in by_slug[slug]["locations"] if loc["lat"] is not None]
        return min((haversine_miles(point, place) for place in places), default=None)

    assert page.evaluate("() => document.activeElement.id") == "search-status"  # focus lands on the summary
    check_near_groups(page, listings, matching, miles, postcode)


def check_near_groups(page, listings: Listings, matching: set[str], miles, postcode: str) -> list[str]:
    """The groups near a postcode, worked out from the files: within the default distance nearest
    first; then further away but serving the postcode's council, nearest first; then national."""
    limit = float(NEAR_DEFAULT)
    matching = sorted(matching)  # ties (one postcode) stay in the index's A-Z order, as on the page
    local = sorted((slug for slug in matching if not listings.national(slug) and miles(slug) is not None
                    and miles(slug) <= limit), key=miles)
    # A local service with no venue (a phone line for one council) shows only where it serves,
    # in a group of its own before the services further away.
    venueless = {slug for slug in matching if not listings.national(slug) and not listings.data[slug].get("locations")}
    for_area = [slug for slug in matching if slug in venueless and listings.serves(slug, postcode)]
    serving = sorted((slug for slug in matching if not listings.national(slug) and slug not in local
                      and slug not in venueless and listings.serves(slug, postcode)),
                     key=lambda slug: (miles(slug) is None, miles(slug) or 0))
    national = {slug for slug in matching if listings.national(slug)}
    status = page.locator("#search-status").inner_text()  # before "show more" changes it
    show_every_page(page)
    groups = group_slugs(page)
    ordered = [group for group in (local, for_area, serving) if group]
    assert groups[: len(ordered)] == ordered, status
    assert len(groups) == len(ordered) + bool(national) and set(sum(groups[len(ordered):], [])) == national
    further = sum(1 for slug in matching if not listings.national(slug) and slug not in local + serving
                  and slug not in venueless)
    assert status.startswith(f"{len(local)} organisation" if local else "No organisations"), status
    assert f"within {NEAR_DEFAULT} miles of {postcode}" in status
    assert (f"{len(for_area)} by phone or online for people in" in status) == bool(for_area), status
    assert (f"{len(serving)} further away open to people in" in status) == bool(serving), status
    assert (f"{further} more" in status) == bool(further), status
    return serving + for_area


def test_every_query_on_the_sample_site(page, sample) -> None:
    url, root, place = sample
    listings = Listings(root / "content" / "organisations")
    found = run_table(page, url, listings, [])
    assert found >= 20


def test_postcode_in_the_box_on_the_sample_site(page, sample, site) -> None:  # noqa: F811
    url, root, place = sample
    run_postcode(page, url, Listings(root / "content" / "organisations"), built_records(site[0]),
                 place["postcode"], place["point"])


def test_every_query_on_a_synthetic_site(page, synthetic) -> None:
    url, root, _ = synthetic
    found = run_table(page, url, Listings(root / "content" / "organisations"), [])
    assert found >= 15


def test_postcode_in_the_box_on_a_synthetic_site(page, synthetic) -> None:
    url, root, place = synthetic
    listings = Listings(root / "content" / "organisations")
    town = listings.commonest_town()
    # A postcode in the commonest town, so the "near" group has something in it.
    postcode = next(loc["postcode"] for data in listings.data.values() for loc in data.get("locations", [])
                    if loc.get("postcode") and loc["town"] == town)
    run_postcode(page, url, listings, built_records(root / "output"), postcode, point_of(place["site"], postcode))


@pytest.mark.parametrize("postcode", ["WF17 5AA", "HD9 1AA", "BD1 1HY"])
def test_services_open_to_the_postcodes_council_are_shown_however_far(page, sample, site, postcode) -> None:  # noqa: F811
    """A service's premises may be 15 miles from a patient in its own council area (Batley,
    Holmfirth and Kirklees' recovery housing): it is shown, in a group of its own, not behind
    "show more"."""
    url, root, _ = sample
    listings = Listings(root / "content" / "organisations")
    by_slug = {record["slug"]: record for record in built_records(site[0])}
    point = point_of(site, postcode)

    def miles(slug: str) -> float | None:
        places = [(loc["lat"], loc["lon"]) for loc in by_slug[slug]["locations"] if loc["lat"] is not None]
        return min((haversine_miles(point, place) for place in places), default=None)

    page.goto(f"{url}/search/?near={postcode.replace(' ', '+')}")
    page.wait_for_function("() => document.querySelector('#search-list .result-group')")
    serving = check_near_groups(page, listings, set(listings.data), miles, postcode)
    if postcode == "WF17 5AA":  # Batley: Kirklees' recovery housing is ~15 miles away
        assert serving, "the case the test is for"
        assert "kirklees-family-recovery-line" in serving  # a phone line for Kirklees, no venue


def test_name_matches_rank_first(page, sample) -> None:
    url, root, _ = sample
    listings = Listings(root / "content" / "organisations")
    page.goto(f"{url}/search/")
    page.wait_for_selector("#search-page[data-text-index=full]")
    after_render(page, lambda: page.fill("#search-q", "cafe"))
    in_name = {slug for slug, data in listings.data.items() if "cafe" in words(data["name"])}
    shown = shown_slugs(page)
    assert in_name and len(shown) > len(in_name)
    assert set(shown[: len(in_name)]) == in_name


def test_a_short_postcode_first_or_last_means_near_it(page, sample) -> None:
    """"LS1 gambling" is "gambling" near LS1, as "gambling LS1" is (it found one listing, by the
    text of its postcode)."""
    url, _, _ = sample
    seen = []
    for query in ("gambling LS1", "LS1 gambling"):
        page.goto(f"{url}/search/")
        page.wait_for_selector("#search-page[data-text-index=full]")
        after_render(page, lambda query=query: (page.fill("#search-q", query), page.press("#search-q", "Enter")))
        page.wait_for_function("() => document.querySelector('#search-list .result-group')")
        assert page.input_value("#search-near") == "LS1" and page.input_value("#search-q") == "gambling"
        show_every_page(page)
        seen.append(group_slugs(page))
    assert seen[0] == seen[1] and len(seen[0][0]) > 1
