"""The shortlist journey in Chromium, at phone (390 px) and desktop (1280 px) widths: add from
search results and a listing page, keep it across a reload, reopen it from its share link in a
fresh browser, print exactly the chosen services (and a QR code of the link), remove and clear;
axe on every state. Also "open now" on listing pages at fixed UK times, against hours.py."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import zxingcpp
from conftest import guarded_tab
from PIL import Image
from pypdf import PdfReader
from recovery_directory.directory import load_directory
from recovery_directory.listing.hours import is_open
from recovery_directory.settings import DEFAULTS
from site_tools import ROOT

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.fixture(scope="module")
def organisations() -> dict:
    listings = sorted((ROOT / "content" / "organisations").glob("*.yaml"))
    return {org.slug: org for org in load_directory(listings, ROOT).directory.organisations}


@contextmanager
def fresh_tab(browser, width: int) -> Iterator[object]:
    """A new browser context (its own empty storage) at `width`, guarded as conftest's `page`."""
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900},
                                  locale="en-GB", timezone_id="Europe/London")
    try:
        yield guarded_tab(context)
    finally:
        context.close()


def assert_clean(tab, axe, state: str) -> None:
    violations = axe(tab)
    assert violations == [], f"{state}: {violations}"
    assert tab.errors == [], f"{state}: {tab.errors}"
    tiles = urlsplit(DEFAULTS["MAP_TILE_URL"]).netloc  # the only outside host a page may use
    assert [url for url in tab.outside_requests if urlsplit(url).netloc != tiles] == [], state


def open_my_list(tab, url: str) -> None:
    tab.goto(url)
    tab.wait_for_selector("#my-list[data-ready]")


def listed_slugs(tab) -> list[str]:
    return tab.locator("#handout-list > li").evaluate_all("items => items.map((item) => item.dataset.slug)")


def announced(tab) -> str:
    tab.wait_for_function("() => document.getElementById('shortlist-announcer').textContent !== ''")
    return tab.locator("#shortlist-announcer").inner_text()


def shown_label(button) -> str:
    """The button's visible words (its end, naming the service, is for screen readers only)."""
    return button.evaluate("b => b.firstChild.textContent")


def choose(organisations: dict) -> tuple[list[str], str]:
    """Two services to add from search results (one with a place and hours, one national or
    online) and one to add from its own page (temporarily closed: it must show no referral route)."""
    listed = [org for org in organisations.values() if org.is_listed and org.status == "active"]
    local = next(org for org in listed if org.phones and any(loc.hours for loc in org.locations))
    # a service with no venue: a local phone line if the samples have one (its "Where" names its
    # areas), else a national one
    venueless = [org for org in listed if not org.locations and org.slug != local.slug]
    national = next((org for org in venueless if not org.open_anywhere), venueless[0])
    closed = next(org for org in organisations.values() if org.status == "temporarily_closed")
    return [local.slug, national.slug], closed.slug


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_shortlist_journey(browser, sample_server, organisations, axe, width) -> None:
    from_search, from_listing = choose(organisations)
    chosen = [*from_search, from_listing]
    with fresh_tab(browser, width) as tab:
        tab.goto(f"{sample_server}/search/")
        tab.wait_for_selector("#search-page[data-search-ready]")
        for count, slug in enumerate(from_search, start=1):
            button = tab.locator(f'.result[data-slug="{slug}"] .shortlist-toggle')
            assert shown_label(button) == "Add to my list"
            assert organisations[slug].name in button.evaluate("b => b.textContent"), "its accessible name names it"
            button.focus()
            tab.keyboard.press("Enter")  # keyboard, as a keyboard user would
            assert shown_label(button) == "Remove from my list"
            message = announced(tab)
            assert organisations[slug].name in message and f"{count} service" in message
        assert tab.locator("[data-shortlist-count]").inner_text() == "My list (2)"
        assert_clean(tab, axe, "search results with two services added")

        tab.goto(f"{sample_server}/organisations/{from_listing}/")
        add = tab.locator("#shortlist-add .shortlist-toggle")
        add.click()
        assert shown_label(add) == "Remove from my list"
        assert "3 services" in announced(tab)
        assert tab.locator("#shortlist-add [data-shortlist-count]").inner_text() == "My list (3)"
        assert_clean(tab, axe, "listing page, added")

        open_my_list(tab, f"{sample_server}/my-list/")
        assert listed_slugs(tab) == chosen
        names = tab.locator(".handout__name").all_inner_texts()
        assert names == [organisations[slug].name for slug in chosen]
        assert_clean(tab, axe, "my list with three services")

        tab.reload()
        tab.wait_for_selector("#my-list[data-ready]")
        assert listed_slugs(tab) == chosen, "the list survives a reload"
        share = tab.input_value("#my-list-link")
        assert share == f"{sample_server}/my-list/?list={','.join(chosen)}"

        # The QR code on the handout scans to the share link.
        qr = tab.locator("#handout-qr-code svg")
        picture = Image.open(io.BytesIO(qr.screenshot()))
        assert [result.text for result in zxingcpp.read_barcodes(picture)] == [share]

        assert_print_view_is_exactly(tab, chosen, organisations)

        # Remove the middle one with the keyboard: focus moves on to the next service's name.
        middle = chosen[1]
        tab.locator(f'#handout-list > li[data-slug="{middle}"] .handout__remove').focus()
        tab.keyboard.press("Enter")
        tab.wait_for_function("(s) => !document.querySelector(`#handout-list > li[data-slug='${s}']`)", arg=middle)
        assert "Removed" in announced(tab)
        focused = tab.evaluate("() => document.activeElement.textContent")
        assert focused == organisations[chosen[2]].name
        tab.reload()
        tab.wait_for_selector("#my-list[data-ready]")
        assert listed_slugs(tab) == [chosen[0], chosen[2]]

        # A fresh browser (no storage at all) opens the share link and gets exactly the same list.
        with fresh_tab(browser, width) as other:
            open_my_list(other, share)
            assert listed_slugs(other) == chosen
            assert other.url == f"{sample_server}/my-list/", "adopted as this browser's own list"
            other.reload()
            other.wait_for_selector("#my-list[data-ready]")
            assert listed_slugs(other) == chosen
            assert_clean(other, axe, "shared list opened in a fresh browser")

        tab.click("#my-list-clear")
        tab.wait_for_function("() => document.getElementById('handout').hidden")
        assert "Your list is empty" in tab.locator("#my-list-status").inner_text()
        tab.reload()
        tab.wait_for_selector("#my-list[data-ready]")
        assert listed_slugs(tab) == [] and tab.locator("#handout").is_hidden()
        assert tab.locator("#my-list-tools").is_hidden(), "no dead buttons for an empty list"
        assert_clean(tab, axe, "empty list")


def assert_print_view_is_exactly(tab, chosen: list[str], organisations: dict) -> None:
    """Printed (print media, A4 PDF): the chosen services and nothing else from the directory,
    each with what a referrer needs; no buttons or navigation."""
    tab.emulate_media(media="print")
    try:
        visible = tab.locator("#handout-list > li:visible").evaluate_all("items => items.map((i) => i.dataset.slug)")
        assert visible == chosen
        for hidden in ("#my-list-tools", ".site-nav", ".handout__remove", "#my-list-status"):
            assert all(not node.is_visible() for node in tab.locator(hidden).all()), hidden
        assert tab.locator(".handout__crisis").is_visible() and tab.locator("#handout-qr").is_visible()
        pdf = PdfReader(io.BytesIO(tab.pdf(format="A4", print_background=True)))
        width_mm = float(pdf.pages[0].mediabox.width) / 72 * 25.4
        assert round(width_mm) == 210, "A4"
        # NFKC: the PDF's text has ligatures ("ﬀ" in "Taff") where the names have two letters.
        text = unicodedata.normalize("NFKC", " ".join(" ".join(page.extract_text() for page in pdf.pages).split()))
    finally:
        tab.emulate_media(media="screen")
    for slug, org in organisations.items():
        wrong = "missing from" if slug in chosen else "printed on"
        assert (org.name in text) == (slug in chosen), f"{slug} {wrong} the handout"
    for slug in chosen:
        org = organisations[slug]
        entry = " ".join(tab.locator(f'#handout-list > li[data-slug="{slug}"]').inner_text().split())
        assert f"{org.last_verified.day} {org.last_verified:%B %Y}" in entry
        for phone in org.phones:
            assert phone.display in entry
        for location in org.locations:
            assert location.one_line in entry
            for hours in location.hours:
                assert hours.text in entry
                assert not hours.join_phone or hours.join_phone.display in entry  # a meeting's dial-in
        if not org.locations:  # a phone line for one council is not "National"
            areas = [area for area in org.areas_served if area.casefold() != "national"]
            local = f"By phone or online, for people in {areas[0]}" if areas else ""
            where = "National, online or by phone" if org.open_anywhere else local
            assert where in entry, entry
        for hours in org.online_hours:  # sessions held only online or by phone, with how to join
            assert hours.text in entry and (not hours.join_phone or hours.join_phone.display in entry)
            assert not hours.join_url or hours.join_url in entry
        if org.status == "active":
            assert "How to refer" in entry and (not org.referral.how or org.referral.how in entry)
        else:
            assert "How to refer" not in entry and "not taking referrals" in entry.lower()
    for number in ("999", "NHS 111", "116 123"):
        assert number in text


def test_a_shared_link_does_not_overwrite_a_different_list_until_asked(browser, sample_server, organisations, axe):
    listed = [slug for slug, org in organisations.items() if org.is_listed]
    mine, theirs = listed[:1], listed[1:3]
    with fresh_tab(browser, 1280) as tab:
        open_my_list(tab, f"{sample_server}/my-list/?list={','.join(mine)}")
        assert listed_slugs(tab) == mine
        open_my_list(tab, f"{sample_server}/my-list/?list={','.join(theirs)}")
        assert listed_slugs(tab) == theirs and tab.locator("#my-list-shared").is_visible()
        assert tab.locator(".handout__remove").count() == 0
        assert_clean(tab, axe, "someone else's list beside my own")
        tab.goto(f"{sample_server}/my-list/")
        tab.wait_for_selector("#my-list[data-ready]")
        assert listed_slugs(tab) == mine, "my own list is untouched"
        open_my_list(tab, f"{sample_server}/my-list/?list={','.join(theirs)}")
        tab.click("#my-list-keep")
        tab.wait_for_function("() => document.getElementById('my-list-shared').hidden")
        tab.reload()
        tab.wait_for_selector("#my-list[data-ready]")
        assert listed_slugs(tab) == theirs


def test_a_listing_gone_from_the_directory_still_shows_and_can_be_removed(browser, sample_server, organisations):
    real = next(slug for slug, org in organisations.items() if org.is_listed)
    with fresh_tab(browser, 390) as tab:
        open_my_list(tab, f"{sample_server}/my-list/?list={real},no-such-service")
        assert listed_slugs(tab) == [real, "no-such-service"]
        gone = tab.locator('#handout-list > li[data-slug="no-such-service"]')
        assert "no longer in the directory" in gone.inner_text()
        gone.locator(".handout__remove").click()
        tab.wait_for_function("() => document.querySelectorAll('#handout-list > li').length === 1")
        tab.errors = [e for e in tab.errors if "404" not in e]  # the missing file, asked for on purpose
        assert tab.errors == []


UK = dt.UTC
MOMENTS = [dt.datetime(2026, 12, 1, 19, 0, tzinfo=UK), dt.datetime(2026, 7, 4, 11, 30, tzinfo=UK),
           dt.datetime(2026, 12, 6, 9, 15, tzinfo=UK),  # Tue 7pm GMT, Sat 12:30 BST, Sun 9:15 GMT
           dt.datetime(2026, 12, 6, 19, 30, tzinfo=UK)]  # Sun 7:30pm GMT: an online meeting only


@pytest.mark.parametrize("when", MOMENTS, ids=[m.isoformat() for m in MOMENTS])
def test_open_now_on_listing_pages_agrees_with_the_hours(browser, sample_server, organisations, axe, when):
    with fresh_tab(browser, 390) as tab:
        tab.clock.set_fixed_time(when)
        checked = 0
        for slug, org in organisations.items():
            hours = [(h.days, h.opens, h.closes) for loc in org.locations for h in loc.hours]
            hours += [(h.days, h.opens, h.closes) for h in org.online_hours]  # sessions held online count
            if org.status != "active" or org.open_24_7 or not hours:
                continue
            tab.goto(f"{sample_server}/organisations/{slug}/")
            state = tab.locator("#open-state")
            state.wait_for(state="visible")
            text = state.inner_text()
            assert text.startswith("Open now" if is_open(hours, when) else "Closed now. Opens"), (slug, text)
            assert text.endswith("(UK time)")
            checked += 1
        assert checked >= 5, "the sample has listings with opening hours"
        assert_clean(tab, axe, "listing page with open state")


def test_a_long_list_still_scans_and_prints_every_service(browser, sample_server, organisations):
    """Every service in the sample on one list: the QR code is denser, drawn bigger, and scans."""
    everything = [slug for slug, org in organisations.items() if org.is_listed]
    with fresh_tab(browser, 1280) as tab:
        share = f"{sample_server}/my-list/?list={','.join(everything)}"
        open_my_list(tab, share)
        assert listed_slugs(tab) == everything
        qr = tab.locator("#handout-qr-code svg")
        assert "qr-code--large" in qr.get_attribute("class")
        assert [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))] == [share]
        assert_print_view_is_exactly(tab, everything, organisations)
        assert tab.errors == []


def test_with_storage_blocked_the_list_lasts_the_page_and_says_so(browser, sample_server, organisations):
    slug = next(slug for slug, org in organisations.items() if org.status == "active")
    with fresh_tab(browser, 390) as tab:
        # As in browsers whose privacy settings refuse site data: any use of localStorage throws.
        tab.add_init_script("""Object.defineProperty(window, "localStorage", {
            get() { throw new DOMException("The operation is insecure.", "SecurityError"); } });""")
        tab.goto(f"{sample_server}/organisations/{slug}/")
        tab.locator("#shortlist-add .shortlist-toggle").click()
        assert "lasts only while this page is open" in announced(tab)
        assert shown_label(tab.locator("#shortlist-add .shortlist-toggle")) == "Remove from my list"
        open_my_list(tab, f"{sample_server}/my-list/?list={slug}")
        assert listed_slugs(tab) == [slug]
        assert "lasts only while the page is open" in tab.locator("#my-list-status").inner_text()
        assert tab.errors == []
