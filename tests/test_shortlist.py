"""The built files behind the shortlist and the referrer's view of listing and area pages, checked
against the listings themselves (YAML through our loader), not against hand-picked values."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from recovery_directory.directory import load_directory
from recovery_directory.settings import DEFAULTS
from site_tools import ROOT

LISTINGS = ROOT / "content" / "organisations"


@pytest.fixture(scope="module")
def organisations():
    return {org.slug: org for org in load_directory(sorted(LISTINGS.glob("*.yaml")), ROOT).directory.organisations}


@pytest.fixture(scope="module")
def exported(sample_site: Path) -> dict:
    """Coordinates as the build placed them (the open-data export)."""
    document = json.loads((sample_site / "data" / "organisations.json").read_text(encoding="utf-8"))
    return {org["slug"]: org for org in document["organisations"]}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_every_listing_has_a_handout_file_saying_what_the_listing_says(sample_site, organisations):
    for slug, org in organisations.items():
        record = json.loads((sample_site / "organisations" / slug / "handout.json").read_text(encoding="utf-8"))
        assert record["slug"] == slug and record["name"] == org.name and record["status"] == org.status
        assert [phone["display"] for phone in record["phones"]] == [phone.display for phone in org.phones]
        assert record["last_verified"] == org.last_verified.isoformat()
        assert record["last_verified_text"] == f"{org.last_verified.day} {org.last_verified:%B %Y}"
        assert [loc["lines"] for loc in record["locations"]] == [loc.address_lines for loc in org.locations]
        hours = [[h["text"] for h in loc["hours"]] for loc in record["locations"]]
        assert hours == [[h.text for h in loc.hours] for loc in org.locations]
        dial_in = [[h.get("join_phone") for h in loc["hours"]] for loc in record["locations"]]
        assert dial_in == [[h.join_phone.display if h.join_phone else None for h in loc.hours] for loc in org.locations]
        online = [(h["text"], h.get("join_phone"), h.get("join_url")) for h in record["online"]]
        assert online == [(h.text, h.join_phone.display if h.join_phone else None, h.join_url or None)
                          for h in org.online_hours], slug
        if org.status == "active":
            assert record["referral"] == {"self": org.referral.self_referral, "professional": org.referral.professional,
                                          "how": org.referral.how, "url": org.referral.url}, slug
        else:  # closed and temporarily closed services give no referral route
            assert record["referral"] is None, slug
    assert {"closed", "temporarily_closed"} <= {org.status for org in organisations.values()}, "sample covers both"
    assert any(org.online_hours for org in organisations.values()), "sample has online sessions"


def test_listing_pages_put_last_verified_and_open_state_near_the_top(sample_site, organisations):
    for slug, org in organisations.items():
        page = soup(sample_site / "organisations" / slug / "index.html")
        header = page.select_one(".listing__header")
        assert f"Last verified {org.last_verified.day} {org.last_verified:%B %Y}" in text_of(header), slug
        has_hours = any(loc.hours for loc in org.locations) or bool(org.online_hours)
        slot = header.select_one("#open-state")
        if org.status == "active" and org.open_24_7:
            assert "Open 24 hours a day, every day" in text_of(header)
        elif org.status == "active" and has_hours:
            assert slot is not None and slot.has_attr("hidden"), f"{slug}: filled in by script, hidden without it"
            data = json.loads(page.select_one("script#opening-hours").string)
            expected = [{"place": loc.name or loc.town, "hours": [[list(h.days), h.opens, h.closes] for h in loc.hours]}
                        for loc in org.locations if loc.hours]
            if org.online_hours:  # sessions held only online or by phone: one more "place"
                sessions = [[list(h.days), h.opens, h.closes] for h in org.online_hours]
                expected.append({"place": "online or by phone", "where": "online or by phone", "hours": sessions})
            assert data == expected, slug
        else:
            assert slot is None, slug
        # Without JavaScript every opening time is still on the page, in words.
        body = text_of(page.select_one("main"))
        for loc in org.locations:
            for hours in loc.hours:
                assert hours.text in body, (slug, hours.text)
        add = header.select_one("#shortlist-add")
        assert (add is not None) == (org.status != "closed"), slug
        if add is not None:
            assert add.has_attr("hidden") and add["data-slug"] == slug and add["data-name"] == org.name


def test_directions_are_plain_links_to_each_located_place(sample_site, organisations, exported):
    pattern = DEFAULTS["DIRECTIONS_URL"]
    for slug, org in organisations.items():
        page = soup(sample_site / "organisations" / slug / "index.html")
        links = page.select(".location .directions a")
        if org.status == "closed":
            assert links == [], slug
            continue
        places = exported[slug]["locations"]
        expected = [pattern.format(lat=f"{p['coordinates']['lat']:.5f}", lon=f"{p['coordinates']['lon']:.5f}")
                    for p in places if p.get("coordinates")]
        assert [a["href"] for a in links] == expected, slug
        for link in links:
            assert link["href"].startswith("https://www.openstreetmap.org/directions?")
            assert set(link["rel"]) == {"noopener", "noreferrer"}
    # No map provider's script or frame anywhere on listing pages: links only.
    for path in (sample_site / "organisations").glob("*/index.html"):
        page = soup(path)
        assert not [s for s in page.select("script[src]") if "openstreetmap" in s["src"]]
        assert not page.select("iframe")


def test_closed_services_show_no_referral_route(sample_site, organisations):
    for slug, org in organisations.items():
        page = soup(sample_site / "organisations" / slug / "index.html")
        for banner in page.select(".banner"):  # our own words about the closure
            banner.decompose()
        main = text_of(page.select_one("main"))
        route = ("Self-referral", "Professional referral", "Yes, people can refer themselves")
        if org.status == "active":
            assert page.select_one("#refer") and "Self-referral" in main, slug
            continue
        assert not any(phrase in main for phrase in route), slug
        refer = page.select_one("#refer")
        if org.status == "temporarily_closed":
            section = text_of(refer.parent)
            assert "Not taking referrals while temporarily closed" in section
            assert not org.referral.how or org.referral.how not in section
        else:
            assert refer is None, slug


def test_area_pages_give_each_service_phone_and_referral_route(sample_site, organisations):
    checked = 0
    for path in (sample_site / "areas").glob("*/index.html"):
        for card in soup(path).select(".card"):
            slug = unquote(card.select_one(".card__title a")["href"]).rstrip("/").rsplit("/", 1)[-1]
            org = organisations[slug]
            refer = card.select_one(".card__refer")
            assert refer is not None, (path, slug)
            assert [a["href"] for a in refer.select("a[href^='tel:']")] == [phone.tel for phone in org.phones]
            words = text_of(refer)
            if org.status == "active":
                assert ("people can refer themselves" in words.lower()) == org.referral.self_referral, slug
                assert ("professionals can refer" in words.lower()) == org.referral.professional, slug
                if org.referral.how:
                    assert org.referral.how in words
            else:
                assert "not taking referrals" in words and (not org.referral.how or org.referral.how not in words)
            checked += 1
    assert checked >= len([org for org in organisations.values() if org.is_listed])


def test_my_list_page_is_linked_from_every_page_and_explains_itself_without_javascript(sample_site):
    page = soup(sample_site / "my-list" / "index.html")
    assert page.select_one("#my-list-needs-js") is not None
    assert not page.select_one("#my-list-needs-js").has_attr("hidden"), "shown until the script hides it"
    for hidden in ("#my-list-tools", "#handout", "#my-list-shared"):
        assert page.select_one(hidden).has_attr("hidden"), f"{hidden}: no dead buttons without JavaScript"
    assert "116 123" in text_of(page.select_one(".handout__crisis"))
    qr_url = page.select_one("#my-list")["data-qr-url"]
    assert (sample_site / "my-list" / qr_url).resolve().is_file(), "the QR library is self-hosted"
    for path in (sample_site / "index.html", sample_site / "search" / "index.html"):
        assert [a for a in soup(path).select(".site-nav a") if a.get_text(strip=True) == "My list"]


def test_privacy_page_says_the_list_stays_in_the_browser(sample_site):
    words = text_of(soup(sample_site / "privacy" / "index.html").select_one("main")).lower()
    assert "my list" in words and "in your browser" in words and "cookie" in words
