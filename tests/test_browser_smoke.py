"""The sample site opens in real Chromium."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_opens_in_chromium(page, sample_server):
    response = page.goto(sample_server + "/")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.errors == []
