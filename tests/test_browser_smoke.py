"""The sample site's main pages open in real Chromium with no console errors and no request
to any outside host except map tiles."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/organisations/", "/types/", "/areas/", "/map/", "/search/", "/coverage/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_opens_cleanly(page, sample_server, path):
    response = page.goto(sample_server + path)
    page.wait_for_load_state("networkidle")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.errors == []
    assert all(url.startswith("https://tile.openstreetmap.org/") for url in page.outside_requests)
