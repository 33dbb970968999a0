"""The sample site in real Chromium: axe finds nothing, pages work without JavaScript, and a
keyboard user gets from the skip link to a listing's phone number."""

from __future__ import annotations

import pytest
from conftest import AXE_JS

pytestmark = pytest.mark.browser

LISTING = "/organisations/calder-valley-recovery-cafe/"
PAGES = {
    "home": "/",
    "listing": LISTING,
    "type index": "/types/lero/",
    "area index": "/areas/calderdale/",
    "content page": "/for-professionals/",
    "schema guide": "/add-or-update-your-listing/",
    "listing editor": "/editor/",
    "404": "/no-such-page/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_no_violations(page, sample_server, axe, path):
    response = page.goto(sample_server + path)
    assert response.status == (404 if path == "/no-such-page/" else 200)
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # evaluate, not a <script> tag: the CSP blocks inline scripts
    assert axe(page) == []
    # The test blocks map tiles (the only outside host a page may use) and this 404 page's own
    # status is logged as a failed load; anything else in the console is a real error.
    assert [error for error in page.errors if not error.startswith("Failed to load resource")] == []
    assert {url.split("/")[2] for url in page.outside_requests} <= {"tile.openstreetmap.org"}


@pytest.fixture(scope="module")
def no_js(browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
    )
    yield context.new_page()
    context.close()


def test_pages_work_without_javascript(no_js, sample_server):
    for path in PAGES.values():
        no_js.goto(sample_server + path)
        assert no_js.locator("h1").is_visible(), path
        assert no_js.locator("main a").count() > 0, path
        assert no_js.locator("a[href='tel:116123']").is_visible(), path
    no_js.goto(sample_server + LISTING)
    phone = no_js.locator("main a[href^='tel:']").first
    assert phone.is_visible() and phone.inner_text() == "0808 157 0101"
    no_js.goto(sample_server + "/")
    no_js.locator(".type-grid a").first.click()
    assert no_js.url.endswith("/types/lero/")
    no_js.locator(".card__title a").first.click()
    assert "/organisations/" in no_js.url and no_js.locator("h2#contact").is_visible()


def test_keyboard_reaches_the_phone_number_from_the_skip_link(page, sample_server):
    page.goto(sample_server + LISTING)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.locator(".skip-link").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "tel:+44-808-157-0101":
            break
    else:
        pytest.fail("Tab never reached the listing's phone number")
    focused_background = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert focused_background == "rgb(255, 221, 0)"  # the visible focus style


def test_print_stylesheet_hides_navigation(page, sample_server):
    page.goto(sample_server + LISTING)
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert page.locator("main h1").is_visible() and page.locator("main a[href^='tel:']").first.is_visible()
