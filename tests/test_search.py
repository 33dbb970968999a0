"""The search index and the server-rendered search page (no browser needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from recovery_directory.directory import Directory, load_directory
from recovery_directory.exports.search_index import (
    MASKED_FIELDS,
    decode_index,
    encode_details,
    encode_index,
    encode_text,
    read_built_records,
    search_records,
)
from recovery_directory.listing.loader import load_listing
from recovery_directory.listing.schema import labels, search_filters

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = sorted((ROOT / "content" / "organisations").glob("*.yaml"))


@pytest.fixture(scope="module")
def directory() -> Directory:
    loaded = load_directory(LISTINGS, ROOT)
    assert loaded.ok, loaded.problems
    return loaded.directory


def built_records(site: Path) -> list[dict]:
    """The records as the browser gets them (index.json + details/*.json + text/*.json), decoded."""
    return read_built_records(site)


@pytest.fixture(scope="module")
def index(sample_site: Path) -> list[dict]:
    return built_records(sample_site)


@pytest.fixture(scope="module")
def search_page(sample_site: Path) -> BeautifulSoup:
    return BeautifulSoup((sample_site / "search" / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_one_record_per_listed_organisation(directory: Directory) -> None:
    records = search_records(directory)
    assert [record["slug"] for record in records] == [org.slug for org in directory.listed]
    closed = {org.slug for org in directory.organisations if org.status == "closed"}
    assert closed, "the sample data should include a closed listing to prove it is left out"
    assert not closed & {record["slug"] for record in records}


def test_built_index_matches_the_listing_files(index: list[dict], sample_site: Path) -> None:
    statuses = {path.stem: load_listing(path).data.get("status", "active") for path in LISTINGS}
    expected = sorted(slug for slug, status in statuses.items() if status != "closed")
    slugs = [record["slug"] for record in index]
    assert sorted(slugs) == expected
    assert len(slugs) == len(set(slugs))
    assert all((sample_site / "organisations" / slug / "index.html").exists() for slug in slugs)
    assert "temporarily_closed" in {record.get("status") for record in index}


def test_records_carry_what_cards_filters_and_distance_need(directory: Directory, index: list[dict]) -> None:
    record = next(r for r in search_records(directory) if r["slug"] == "calder-valley-recovery-cafe")
    assert record["name"] == "Calder Valley Recovery Café (sample listing)"
    assert record["towns"] == ["Halifax"]
    assert record["types"] == ["lero", "recovery_community_centre"]
    assert record["self_referral"] is True and record["professional_referral"] is True
    assert record["areas_served"] == ["Calderdale"] and record["national"] is False
    assert record["last_verified"] == "2026-10-01"
    assert record["phones"][0]["tel"].startswith("tel:+44")
    location = record["locations"][0]
    assert location["postcode"] == "HX1 1RE"
    built = next(r for r in index if r["slug"] == "calder-valley-recovery-cafe")["locations"][0]
    assert abs(built["lat"] - 53.7236) < 0.01 and abs(built["lon"] + 1.856) < 0.01  # placed from the geocode cache
    assert location["hours"][0] == {
        "days": ["mon", "tue", "wed", "thu", "fri"], "opens": "10:00", "closes": "16:00",
        "text": "Monday to Friday, 10am to 4pm", "note": "", "join_phone": "", "join_url": "", "join_notes": "",
    }
    online = next(r for r in search_records(directory) if r["slug"] == "anywhere-recovery-online")
    assert online["national"] is True and online["locations"] == [] and online["areas_served"] == []


def test_browser_files_hold_every_record_exactly(directory: Directory) -> None:
    cafe = next(org for org in directory.listed if org.slug == "calder-valley-recovery-cafe")
    cafe.locations[0].lat, cafe.locations[0].lon = 53.723612, -1.856034  # as the build places it
    records = search_records(Directory(directory.organisations))  # public records made after placing, as in a build
    vocabularies = {field: list(labels(field)) for _, field, _, _ in search_filters()}
    decoded = decode_index(encode_index(records, vocabularies), encode_details(records), encode_text(records))
    for record in records:  # codes come back in schema order, coordinates to 4 places
        for name in MASKED_FIELDS:
            record[name] = [code for code in vocabularies[name] if code in record[name]]
        for location in record["locations"]:
            for axis in ("lat", "lon"):
                location[axis] = round(location[axis], 4) if location[axis] is not None else None
    assert decoded == records
    assert any(location["lat"] == 53.7236 for record in decoded for location in record["locations"])


def test_index_is_compact(sample_site: Path) -> None:
    index = json.loads((sample_site / "search" / "index.json").read_text(encoding="utf-8"))
    assert index["version"] == 2 and len(index["records"][0]) <= len(index["fields"])
    # Slugs that start the name's own slug travel as a length (the browser rebuilds them).
    assert any(isinstance(row[0], int) for row in index["records"])
    assert not (sample_site / "search" / "details" / f"{len(index['records']) // 100 + 1}.json").exists()


def test_index_totals_count_each_value_of_the_listings(directory: Directory, sample_site: Path) -> None:
    """The page's first counts (nothing narrowed) come from the index's totals: they must be what
    counting the listings' own fields gives."""
    built = json.loads((sample_site / "search" / "index.json").read_text(encoding="utf-8"))
    records = search_records(directory)
    vocabularies = built["vocabularies"]
    def counted(field: str) -> list[int]:
        """How many listings carry each value of `field` (a list, or one value)."""
        def has(record: dict, code: str) -> bool:
            value = record[field]
            return code in value if isinstance(value, list) else value == code

        return [sum(has(record, code) for record in records) for code in vocabularies[field]]

    for field in (*MASKED_FIELDS, "cost"):
        assert built["totals"][field] == counted(field), field
    flags = built["totals"]["flags"]
    for name in ("self_referral", "professional_referral", "open_24_7", "national"):
        assert flags[name] == sum(bool(record[name]) for record in records), name
    assert flags["temporarily_closed"] == sum(record["status"] == "temporarily_closed" for record in records) >= 1
    assert sum(built["totals"]["substances"]) > 0 and flags["self_referral"] > 0  # the sample exercises them


def test_page_without_javascript_links_every_type_and_area(search_page: BeautifulSoup, sample_site: Path) -> None:
    links = {a["href"] for a in search_page.select(".search-browse a")}
    types = {path.parent.name for path in (sample_site / "types").glob("*/index.html")}
    areas = {path.parent.name for path in (sample_site / "areas").glob("*/index.html")}
    assert types == {code.replace("_", "-") for code in labels("types")}
    assert areas and "national" in areas
    assert {f"../types/{slug}/" for slug in types} <= links
    assert {f"../areas/{slug}/" for slug in areas} <= links
    assert "../organisations/" in links


def test_filters_are_real_form_controls(search_page: BeautifulSoup) -> None:
    form = search_page.find("form", id="search-form")
    assert form["method"] == "get" and form["action"].endswith("/search/")  # submits to this page
    assert form.find("input", attrs={"name": "q"}) and form.find("input", attrs={"name": "near"})
    for param, vocabulary in [("type", "types"), ("audience", "audiences"), ("substance", "substances"),
                              ("attendance", "attendance"), ("cost", "cost")]:
        boxes = form.find_all("input", attrs={"type": "checkbox", "name": param})
        assert [box["value"] for box in boxes] == list(labels(vocabulary))
        for box in boxes:  # every box has a label showing the schema's label
            label = form.find("label", attrs={"for": box["id"]})
            assert label.get_text(" ", strip=True).startswith(labels(vocabulary)[box["value"]])
    for flag in ("self", "professional", "open_now", "open_24_7"):
        assert form.find("input", attrs={"type": "checkbox", "name": flag, "value": "1"})
    assert form.find("button", attrs={"type": "submit"})


def test_counts_without_javascript(search_page: BeautifulSoup, index: list[dict]) -> None:
    count = search_page.select_one('[data-count-for="type=lero"]').get_text()
    assert count == f"({sum('lero' in r.get('types', []) for r in index)})"
    count = search_page.select_one('[data-count-for="cost=free"]').get_text()
    assert count == f"({sum(r.get('cost') == 'free' for r in index)})"


def test_no_inline_script_or_style(search_page: BeautifulSoup) -> None:
    for script in search_page.find_all("script"):
        assert script.get("src") or script.get("type") == "application/json"
    assert not search_page.find_all("style")
    assert not search_page.find_all(attrs={"style": True})
    assert not [tag for tag in search_page.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    config = json.loads(search_page.find("script", id="search-config").string)
    assert config["postcodeLookupUrl"] == "postcodes/"  # the site's own files, never a third party
    assert config["tileUrl"].startswith("https://")


def test_the_page_loads_its_modules_as_one_bundle(search_page: BeautifulSoup, sample_site: Path) -> None:
    """One script (outputs/scripts.py bundles js/search/*.js and the shortlist's card button) that
    holds every module the page imports, and the same bytes from the same sources."""
    from recovery_directory.outputs.scripts import build_bundle
    from recovery_directory.vendor import esbuild_path

    scripts = [script["src"] for script in search_page.find_all("script", src=True)]
    assert len(scripts) == 1 and scripts[0].endswith("/js/search-page.js")
    assert not search_page.find_all("link", rel="modulepreload")
    built = (sample_site / "search" / scripts[0]).resolve()
    assert built.is_file()
    source = ROOT / "theme" / "static" / "js"
    bundle = build_bundle(esbuild_path({"PATH": str(ROOT / "content")}), source)
    assert built.read_bytes() == bundle == build_bundle(esbuild_path({"PATH": str(ROOT / "content")}), source)
    text = bundle.decode()
    assert not any(f"from{quote}./" in text or f"from {quote}./" in text for quote in "\"'")  # nothing left to fetch
    for marker in ("search:rendered", "search:card-actions", "shortlist-toggle", "search-text-indexed"):
        assert marker in text, marker  # main.js, results.js, the shortlist's toggle.js, text-search's caller


def test_each_record_serves_the_nations_its_files_say(index: list[dict]) -> None:
    """The built index's nations, against what search_reference works out from each listing's
    areas and its postcodes' councils (ONS data): every nation is covered by the sample."""
    from search_reference import Listings, nations

    listings = Listings(ROOT / "content" / "organisations")
    for record in index:
        assert set(record["nations"]) == nations(listings.data[record["slug"]]), record["slug"]
    served = [set(record["nations"]) for record in index]
    for nation in ("England", "Wales", "Scotland", "Northern Ireland"):
        assert any(found == {nation} for found in served), f"no sample listing serves {nation} alone"
    assert any(len(found) == 4 for found in served), "a national service serves every nation"


def test_a_place_over_the_border_adds_its_nation() -> None:
    """Areas served and places may lie in different nations; a listing with neither is online,
    open to anyone."""
    from recovery_directory.exports.search_index import nations_served

    def record(areas: list[str], codes: list[str | None]) -> dict:
        return {"areas_served": areas, "locations": [{"local_authority_code": code} for code in codes]}

    assert nations_served(record(["Cardiff"], ["E06000023"])) == ["England", "Wales"]  # a venue in Bristol
    assert nations_served(record(["Belfast"], [None])) == ["Northern Ireland"]  # a place not placed
    assert nations_served(record(["national"], [])) == ["England", "Wales", "Scotland", "Northern Ireland"]
    assert nations_served(record([], [])) == ["England", "Wales", "Scotland", "Northern Ireland"]
    assert nations_served(record([], ["S12000049"])) == ["Scotland"]
    assert nations_served(record(["Glasgow City"], [])) == ["Scotland"]  # online-only, for one council


def test_online_sessions_and_dial_in_numbers_reach_the_search_files(index: list[dict]) -> None:
    """"Open now" counts a listing's online sessions, and the printed list shows them with their
    dial-in numbers and links, and a meeting's dial-in number: each as the listing's files say."""
    for record in index:
        data = load_listing(ROOT / "content" / "organisations" / f"{record['slug']}.yaml").data
        sessions = data.get("online_hours", [])
        assert [(h["days"], h["opens"], h["closes"]) for h in record["online_hours"]] == [
            (h["days"], h["opens"], h["closes"]) for h in sessions
        ]
        assert [(h["join_phone"], h["join_url"]) for h in record["online_hours"]] == [
            (h.get("join_phone", ""), h.get("join_url", "")) for h in sessions
        ]
        for built, written in zip(record["locations"], data.get("locations", []), strict=True):
            phones = [h.get("join_phone", "") for h in written.get("hours", [])]
            assert [h["join_phone"] for h in built["hours"]] == phones
    assert any(record["online_hours"] for record in index), "the sample has online sessions"


def test_words_gps_type_for_a_service_reach_listings_that_say_it_another_way(index: list[dict]) -> None:
    """"needle exchange" finds "needle and syringe provision": each listing whose text has a key of
    ALSO_KNOWN_AS (whole word, any case) gets its words in the long text, and no other listing."""
    import re

    from recovery_directory.exports.search_index import ALSO_KNOWN_AS, text_row

    record = {"description": "Sterile SYRINGES and sharps bins.", "referral_how": "", "locations": [],
              "accessibility_names": [], "language_names": []}
    assert text_row(record)[-1] == "needle exchange"
    assert text_row({**record, "description": "Syringed ears: not here."})[-1] == ""
    assert text_row({**record, "description": "", "language_names": ["British Sign Language"]})[-1] == "BSL"
    for built in index:
        said = " ".join([built["description"], built["referral_how"], *built["language_names"],
                         *built["accessibility_names"]])
        keys = [key for key in ALSO_KNOWN_AS if re.search(rf"\b{key}\b", said, re.IGNORECASE)]
        assert bool(text_row({**built, "locations": []})[-1]) == bool(keys), built["slug"]
    assert any("syringe" in record["description"] for record in index), "the sample has the case"
