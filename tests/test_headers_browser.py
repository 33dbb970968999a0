"""The built sample site, served with netlify.toml's exact headers, breaks none of them in Chromium:
no Content-Security-Policy violation and no console error on each kind of page."""

from __future__ import annotations

import base64

import pytest
from recovery_directory.headers import source_for_url
from recovery_directory.settings import load_settings
from site_tools import netlify_headers

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/organisations/calder-valley-recovery-cafe/",
    "/map/",
    "/search/?q=recovery",
]

# Collects every violation the page reports, from before its first script runs.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
});
"""

# A 1x1 transparent PNG standing in for map tiles, so no request leaves loopback.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture(scope="module")
def tile_pattern(root) -> str:
    """A Playwright URL pattern for the map tile host in the live site's settings."""
    source = source_for_url(load_settings(root / "publishconf.py")["MAP_TILE_URL"], "MAP_TILE_URL")
    return source.replace("://*.", "://**.") + "/**"


@pytest.mark.parametrize("path", PAGES)
def test_page_keeps_to_the_security_headers(page, sample_server, tile_pattern, path):
    csp = dict(netlify_headers()[0][1])["Content-Security-Policy"]
    console_csp = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and console_csp.append(msg.text))
    page.context.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.route(tile_pattern, lambda route: route.fulfill(status=200, content_type="image/png", body=TILE_PNG))

    response = page.goto(sample_server + path)
    assert response.status == 200, f"{path} answered {response.status}: is that page built yet?"
    assert response.headers.get("content-security-policy") == csp, "the server must send netlify.toml's CSP"
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)  # violation events are queued; let them arrive

    violations = page.evaluate("() => window.__cspViolations")
    assert violations == [], f"{path}: Content-Security-Policy violations: {violations}"
    assert console_csp == [], f"{path}: {console_csp}"
    assert page.errors == [], f"{path}: console errors: {page.errors}"
    assert page.outside_requests == [], f"{path} contacted hosts other than the tile server"


def test_a_violation_would_be_caught(page, sample_server):
    """The listener works: an inline script, forbidden by the CSP, is reported and not run."""
    page.context.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.goto(sample_server + "/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.__ran === true") is False
    assert any("script-src" in v for v in page.evaluate("() => window.__cspViolations"))
    page.errors.clear()  # the refusal is logged as a console error, as it should be


@pytest.mark.parametrize("path", ["/map/", "/organisations/calder-valley-recovery-cafe/"])
def test_map_tiles_are_requested_with_only_the_sites_origin_as_referrer(page, sample_server, tile_pattern, path):
    """Referrer-Policy no-referrer keeps which listing someone views private, but OpenStreetMap's
    tile policy requires a Referer and serves error tiles without one. The tile layer must set
    Leaflet's `referrerPolicy` option (e.g. "strict-origin") so tiles send the origin, nothing more."""
    referrers = []

    def tile(route):
        referrers.append(route.request.headers.get("referer"))
        route.fulfill(status=200, content_type="image/png", body=TILE_PNG)

    page.route(tile_pattern, tile)
    page.goto(sample_server + path)
    page.wait_for_load_state("networkidle")
    assert referrers, f"the map on {path} requested no tiles"
    assert set(referrers) == {sample_server + "/"}, f"tile requests sent Referer {set(referrers)}"
