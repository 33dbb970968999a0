"""Reflow (WCAG 2.2 SC 1.4.10) in Chromium at a 390 px phone width: no page of the site scrolls
sideways, even with a valid listing whose name, town, address, summary and other text are single
words longer than the screen is wide (a real town's name among them). Every page the build writes
is visited, found by walking the output, plus the pages scripts draw for that listing: search by
word and near its postcode, My list from a share link, and the map popups. Wide tables scroll in
their own focusable, named regions; everything else wraps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from conftest import guarded_tab
from recovery_directory.listing.model import area_slug, type_slug
from site_tools import build_site, serve_directory
from temp_project import make_project

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TOWN = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"  # 58 letters, one word, a real town
WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis"  # 45 letters: wider than a phone at the body text size
SLUG = "long-words-recovery-hub"
AREA = "Isle of Anglesey"
POSTCODE = "LL61 5UJ"
TYPES = ["lero", "mutual_aid"]
LISTING = f"""# yaml-language-server: $schema=../../schema/organisation.schema.json
name: {TOWN}Recoveryhub (sample listing)
types: [{", ".join(TYPES)}]
summary: Fictional drop-in at {WORD} Hall, {TOWN}.
description: |
  *Fictional sample listing: every word here is longer than a phone screen is wide.*

  Come to the {WORD}{TOWN} room. Ask for the {TOWN}{WORD} group.
status: active
lived_experience_led: true
website: https://example.org/{TOWN.lower()}/{WORD.lower()}
email: {WORD.lower()}@example.org
phones:
  - number: "0113 496 0999"
    description: {TOWN}reception
audiences: [adults]
substances: [alcohol, drugs]
cost: free
attendance: [in_person, online]
referral:
  self: true
  professional: true
  how: Phone the {WORD}{TOWN} reception or walk in.
areas_served: [{AREA}]
locations:
  - name: {WORD} Hall
    address: 1 Ffordd{TOWN}
    town: {TOWN}
    postcode: {POSTCODE}
    accessibility: [step_free]
    hours:
      - {{days: [mon, wed], opens: "10:00", closes: "16:00", note: {WORD}{TOWN}}}
last_verified: 2026-10-01
review_every_months: 12
"""
# Pages scripts draw with the listing in them (each result or entry carries data-slug).
DRAWN = [f"/search/?q={TOWN}", f"/search/?near={quote_plus(POSTCODE)}", f"/my-list/?list={SLUG}"]
# Pages whose content scripts draw wait for each script's "ready" mark, if the page has that part.
READY = """() => [["#search-page", "searchReady"], ["#my-list", "ready"], [".directory-map", "mapReady"],
    [".listing-map", "mapReady"]].every(([selector, mark]) =>
    [...document.querySelectorAll(selector)].every((element) => mark in element.dataset))
    && [...document.querySelectorAll("#editor-form")].every((form) => !form.hidden)"""
# The page's width, and the deepest elements that reach past the right edge of the screen. Parts
# with `content-visibility: auto` (long lists) are laid out only near the screen: they are drawn
# first, as they would be when scrolled to, so their width counts too.
WIDTH = """() => {
    for (const element of document.querySelectorAll("body *")) {
        if (getComputedStyle(element).contentVisibility === "auto") element.style.contentVisibility = "visible";
    }
    const edge = window.innerWidth;
    const past = [...document.querySelectorAll("body *")].filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.right > edge + 0.5;
    });
    const deepest = past.filter((element) => !past.some((other) => other !== element && element.contains(other)));
    const name = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + [...element.classList].map((c) => "." + c).join("")
        + " (" + Math.round(element.getBoundingClientRect().right) + " px)";
    return {width: document.documentElement.scrollWidth, screen: edge, past: deepest.slice(0, 4).map(name)};
}"""


@pytest.fixture(scope="module")
def long_words_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content plus the long-words listing, built as `make build` does."""
    folder = tmp_path_factory.mktemp("reflow")
    listing = folder / f"{SLUG}.yaml"
    listing.write_text(LISTING, encoding="utf-8")
    project = folder / "project"
    project.mkdir()
    output = folder / "output"
    build_site(output, settings=make_project(project, extra_listings=[listing]))
    return output


@pytest.fixture(scope="module")
def site_url(long_words_site: Path) -> Iterator[str]:
    with serve_directory(long_words_site) as url:  # netlify.toml's headers, the CSP included
        yield url


@pytest.fixture
def phone(browser) -> Iterator[object]:
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    try:
        yield guarded_tab(context)
    finally:
        context.close()


def built_pages(output: Path) -> list[str]:
    """Every HTML page in the build, as the address it is served at."""
    pages = []
    for file in sorted(output.rglob("*.html")):
        relative = file.relative_to(output).as_posix()
        if file.name == "index.html":
            pages.append("/" + relative.removesuffix("index.html"))
        else:
            pages.append("/" + relative)
    return pages


def page_file(output: Path, path: str) -> Path:
    return output / path.strip("/") / "index.html" if path.endswith("/") else output / path.lstrip("/")


def visit(tab, url: str) -> dict:
    response = tab.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    tab.wait_for_function(READY, timeout=20_000)
    return tab.evaluate(WIDTH)


def too_wide(tab, site_url: str, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        measured = visit(tab, site_url + path)
        if measured["width"] > measured["screen"]:
            found.append(f"{path}: {measured['width']} px wide on a {measured['screen']} px screen; "
                         f"past the edge: {', '.join(measured['past'])}")
    return found


def test_no_page_scrolls_sideways_on_a_phone(phone, site_url, long_words_site):
    pages = built_pages(long_words_site)
    # The walk finds the long listing's own page and every index that shows it.
    expected = {f"/organisations/{SLUG}/", f"/areas/{area_slug(AREA)}/", "/organisations/", "/search/",
                "/open-data/", "/add-or-update-your-listing/", "/my-list/", "/map/",
                f"/embed/areas/{area_slug(AREA)}/", f"/posters/{area_slug(AREA)}/",
                *(f"/{kind}/{type_slug(code)}/" for code in TYPES for kind in ("types", "embed/types"))}
    assert expected <= set(pages), sorted(expected - set(pages))
    # And the pages scripts draw with it: search by word and near its postcode, My list, the editor.
    drawn = [*DRAWN, f"/editor/?listing={SLUG}"]
    offending = too_wide(phone, site_url, pages + drawn)
    assert not offending, f"{len(offending)} of {len(pages) + len(drawn)} pages scroll sideways:\n" + "\n".join(
        offending)
    for path in DRAWN:  # each really shows the listing
        visit(phone, site_url + path)
        assert phone.locator(f"[data-slug='{SLUG}']").first.is_visible(), path


def test_axe_finds_nothing_on_the_long_listings_pages_on_a_phone(phone, site_url, axe):
    for path in [f"/organisations/{SLUG}/", f"/areas/{area_slug(AREA)}/", *DRAWN]:
        visit(phone, site_url + path)
        assert axe(phone) == [], path


def test_the_listing_editor_fits_a_phone_with_the_long_listing_in_it(phone, site_url):
    visit(phone, f"{site_url}/editor/?listing={SLUG}")
    assert phone.get_by_label("Town or city").first.input_value() == TOWN
    phone.get_by_role("button", name="Check and show the listing").click()
    phone.locator("#editor-result").wait_for(state="visible")
    assert TOWN in phone.locator("#editor-yaml").input_value()
    measured = phone.evaluate(WIDTH)
    assert measured["width"] <= measured["screen"], measured


def open_popup(tab) -> object:
    """The popup of the long listing's pin on the directory map."""
    tab.evaluate(
        """(town) => new Promise((resolve) => {
            const marker = RecoveryMap.instance.cluster.getLayers().find((m) => m.options.title.startsWith(town));
            RecoveryMap.instance.cluster.zoomToShowLayer(marker, () => { marker.openPopup(); resolve(); });
        })""",
        TOWN,
    )
    return tab.locator(".leaflet-popup-content").first


def assert_popup_fits(tab, content) -> None:
    content.wait_for()
    box = content.evaluate("""(content) => {
        const popup = content.closest(".leaflet-popup").getBoundingClientRect();
        return {overflow: content.scrollWidth - content.clientWidth, left: popup.left, right: popup.right,
                screen: window.innerWidth, text: content.innerText};
    }""")
    assert TOWN in box["text"].replace("\n", "")
    assert box["overflow"] <= 0, box  # no word runs out of the popup's box
    assert box["left"] >= 0 and box["right"] <= box["screen"], box


def test_map_popups_wrap_the_long_words(phone, site_url):
    visit(phone, f"{site_url}/map/")
    assert_popup_fits(phone, open_popup(phone))
    visit(phone, f"{site_url}/organisations/{SLUG}/")  # the listing page's own small map
    phone.locator(".listing-map .leaflet-marker-icon").first.click()
    assert_popup_fits(phone, phone.locator(".listing-map .leaflet-popup-content").first)
    assert phone.errors == []


# Each table in the page's main content: does it fit the screen, and if not, the region it scrolls in.
TABLES = """() => [...document.querySelectorAll("main table")].map((table) => {
    const box = table.getBoundingClientRect();
    const region = table.parentElement.closest(".table-scroll");
    const named = region && (region.getAttribute("aria-label") || (region.getAttribute("aria-labelledby") || "")
        .split(" ").map((id) => document.getElementById(id)?.textContent || "").join(" ")).trim();
    return {fits: box.left >= 0 && box.right <= window.innerWidth, region: region && {
        role: region.getAttribute("role"), tabindex: region.getAttribute("tabindex"), name: named,
        scrolls: region.scrollWidth > region.clientWidth,
        inside: region.getBoundingClientRect().left >= 0 && region.getBoundingClientRect().right <= window.innerWidth}};
})"""


def test_wide_tables_scroll_in_their_own_named_focusable_region(phone, site_url, long_words_site, axe):
    pages = {path: page_file(long_words_site, path).read_text("utf-8") for path in built_pages(long_words_site)}
    with_tables = [path for path, html in pages.items() if "<table" in html]
    assert {"/open-data/", "/add-or-update-your-listing/", "/coverage/"} <= set(with_tables)
    for path in with_tables:
        visit(phone, site_url + path)
        for number, table in enumerate(phone.evaluate(TABLES), 1):
            where, region = f"{path} table {number}", table["region"]
            if region is None:
                assert table["fits"], f"{where} is wider than the screen and not in a region that scrolls"
                continue
            assert region["role"] == "region" and region["tabindex"] == "0" and region["name"], (where, region)
            assert region["inside"], f"{where}: its region is wider than the screen"
        regions = phone.locator("main .table-scroll")
        for index in range(regions.count()):  # a region that scrolls scrolls from the keyboard
            region = regions.nth(index)
            if region.evaluate("(region) => region.scrollWidth > region.clientWidth"):
                region.focus()
                phone.keyboard.press("ArrowRight")
                phone.wait_for_function("(region) => region.scrollLeft > 0", arg=region.element_handle())
    # The pages made from Markdown or the schema (page.html, schema-guide.html): axe finds nothing on
    # a phone, and on a desktop their tables fit as they always did, so none scrolls.
    content_pages = [path for path, html in pages.items() if '<article class="prose">' in html]
    assert {"/open-data/", "/add-or-update-your-listing/"} <= set(content_pages)
    for path in content_pages:
        visit(phone, site_url + path)
        assert axe(phone) == [], path
    phone.set_viewport_size(DESKTOP)
    for path in content_pages:
        visit(phone, site_url + path)
        assert phone.locator("main .table-scroll").evaluate_all(
            "(regions) => regions.filter((region) => region.scrollWidth > region.clientWidth).length") == 0, path
    assert phone.errors == []
