"""The map in real Chromium, served with the production Content-Security-Policy: every located
listing in the cluster layer, popups that lead to listings, no outside requests but tiles, no
console errors or CSP violations, no axe violations, and attack strings shown only as text."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import AXE_JS
from recovery_directory.settings import DEFAULTS
from site_tools import ROOT, build_site, netlify_headers, serve_directory
from temp_project import write_settings
from test_map import expected_map

pytestmark = pytest.mark.browser

TILE_HOST = urlsplit(DEFAULTS["MAP_TILE_URL"]).netloc
# Used only while netlify.toml has no CSP: the policy production must at least be this strict.
FALLBACK_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://" + TILE_HOST + "; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
ATTACK_NAME = '<img src=x onerror="window.pwned=1"> </script><script>window.pwned=2</script> O\'Neil & Co'
ATTACK_TOWN = "</div><script>window.pwned=4</script>"


def production_headers() -> list[tuple[str, dict[str, str]]]:
    rules = netlify_headers()
    if any("Content-Security-Policy" in values for _, values in rules):
        return rules
    return [("/*", {"Content-Security-Policy": FALLBACK_CSP})]


@pytest.fixture(scope="module")
def map_server(sample_site: Path) -> Iterator[str]:
    with serve_directory(sample_site, headers=production_headers()) as url:
        yield url


@pytest.fixture
def map_page(page: object) -> object:
    """`page`, with tile requests answered on the spot by a blank tile (recorded in
    page.tile_requests; nothing leaves the machine and no failed loads clutter the console) and
    CSP violations collected."""
    page.tile_requests = []

    def tile(route: object) -> None:
        page.tile_requests.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    page.route(f"https://{TILE_HOST}/**", tile)
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return page


def open_map(page: object, url: str) -> object:
    response = page.goto(url)
    assert response.status == 200
    page.wait_for_selector("#map_directory[data-map-ready]", timeout=10_000)
    return response


def assert_clean(page: object) -> None:
    assert page.errors == []
    assert page.evaluate("window.__csp") == []
    assert page.outside_requests == []  # everything not loopback; tiles were answered before this
    assert page.tile_requests, "the map should have asked for tiles"
    assert all(urlsplit(url).netloc == TILE_HOST for url in page.tile_requests)


def load_axe(page: object) -> None:
    """conftest's run_axe adds axe with an inline <script>, which the production CSP blocks (as it
    should); evaluating it through DevTools is not subject to the page's CSP."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")


def cluster_count(page: object) -> int:
    return page.evaluate("RecoveryMap.instance.cluster.getLayers().length")


def test_map_page_shows_every_located_listing_under_production_csp(map_page, map_server) -> None:
    response = open_map(map_page, map_server + "/map/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    expected = expected_map(ROOT / "content", ROOT / "geocoding" / "cache.json")
    assert cluster_count(map_page) == len(expected["pins"])
    # Pins on screen are drawn by class, one type style each, not by inline style attributes.
    assert map_page.locator(".leaflet-marker-icon.rd-pin, .marker-cluster").count() > 0
    assert map_page.evaluate("typeof window.jQuery") == "undefined"
    assert_clean(map_page)


def test_clicking_a_pin_then_its_popup_link_opens_that_listing(map_page, map_server) -> None:
    open_map(map_page, map_server + "/map/")
    name = map_page.evaluate(
        """() => new Promise(resolve => {
            const marker = RecoveryMap.instance.cluster.getLayers()
                .find(m => m.options.title.startsWith("Calder Valley Recovery Café"));
            RecoveryMap.instance.cluster.zoomToShowLayer(marker, () => {
                marker.getElement().setAttribute("data-test-pin", "");
                resolve(marker.options.title);
            });
        })"""
    )
    map_page.locator("[data-test-pin]").click()
    popup_link = map_page.locator(".leaflet-popup .map-popup a")
    popup_link.wait_for()
    popup = map_page.locator(".leaflet-popup .map-popup").inner_text()
    assert "Lived experience recovery organisation, Recovery community centre or café" in popup
    assert "Halifax" in popup and name.startswith(popup_link.inner_text())
    popup_link.click()
    map_page.wait_for_url("**/organisations/calder-valley-recovery-cafe/")
    assert map_page.locator("h1").inner_text() == "Calder Valley Recovery Café (sample listing)"
    assert map_page.errors == []


def wait_until(page: object, condition: str, timeout: float = 10.0) -> None:
    """Poll `condition` through DevTools: wait_for_function evaluates its text as a script, which
    the production CSP (no 'unsafe-eval') refuses."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        page.wait_for_timeout(50)


def test_the_map_works_from_the_keyboard(map_page, map_server) -> None:
    """Clusters say what they are; Enter on one focuses a pin it held; Enter on a pin moves focus
    into its popup; Escape closes the popup and gives focus back to the pin (WCAG 2.1.1, 2.4.3,
    2.4.11: the popup once kept focus on the pin and covered the next pins tabbed to)."""
    open_map(map_page, map_server + "/map/")
    clusters = map_page.locator(".marker-cluster")
    assert clusters.count() > 0, "the sample map opens with some pins clustered"
    label = clusters.first.get_attribute("aria-label")
    count = clusters.first.inner_text().strip()
    assert label == f"{count} places here: press Enter to zoom in"
    clusters.first.focus()
    map_page.keyboard.press("Enter")
    wait_until(map_page, "document.activeElement.classList.contains('leaflet-marker-icon')"
               " && document.activeElement.closest('#map_directory') !== null")
    pin = map_page.locator(".leaflet-marker-icon.rd-pin").first
    pin.focus()
    title = pin.get_attribute("title")
    map_page.keyboard.press("Enter")
    wait_until(map_page, "document.activeElement.closest('.leaflet-popup') !== null")
    assert map_page.evaluate("document.activeElement.textContent") == title.rsplit(", ", 1)[0]
    map_page.keyboard.press("Escape")
    wait_until(map_page, "document.querySelector('.leaflet-popup') === null")
    assert map_page.evaluate("document.activeElement.getAttribute('title')") == title
    assert map_page.errors == []


def test_map_page_has_no_axe_violations(map_page, map_server, axe) -> None:
    open_map(map_page, map_server + "/map/")
    load_axe(map_page)
    assert axe(map_page) == []


def test_home_page_map_uses_the_same_script(map_page, map_server, axe) -> None:
    open_map(map_page, map_server + "/")
    expected = expected_map(ROOT / "content", ROOT / "geocoding" / "cache.json")
    assert cluster_count(map_page) == len(expected["pins"])
    load_axe(map_page)
    assert axe(map_page, ".home-map") == []
    assert_clean(map_page)


def test_listing_page_draws_its_small_map(map_page, map_server, axe) -> None:
    map_page.goto(map_server + "/organisations/calder-valley-recovery-cafe/")
    map_page.wait_for_selector(".listing-map[data-map-ready]", timeout=10_000)
    assert map_page.locator(".listing-map .leaflet-marker-icon.rd-pin").count() == 1
    load_axe(map_page)
    assert axe(map_page, ".listing-map") == []
    assert_clean(map_page)


# --- attack strings ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def attack_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose one located listing has HTML and script in every text field the map shows."""
    root = tmp_path_factory.mktemp("map-attack")
    listings = root / "content" / "organisations"
    listings.mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "pages", root / "content" / "pages")
    (listings / "attack.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: {json.dumps(ATTACK_NAME)}
            types: [mutual_aid]
            summary: A listing whose text tries to inject HTML.
            areas_served: [Leeds]
            locations:
              - name: "<iframe src=javascript:alert(3)>"
                town: {json.dumps(ATTACK_TOWN)}
                coordinates: {{lat: 53.8, lon: -1.55}}
            last_verified: 2026-10-01
            """
        ),
        encoding="utf-8",
    )
    settings = write_settings(root, {"GEOCODE_CACHE_PATH": str(root / "cache.json")})
    output = root / "output"
    build_site(output, settings=settings)
    return output


def test_attack_strings_reach_popups_only_as_text(map_page, attack_site: Path) -> None:
    with serve_directory(attack_site, headers=production_headers()) as url:
        open_map(map_page, url + "/map/")
        assert cluster_count(map_page) == 1
        map_page.evaluate(
            """() => new Promise(resolve => {
                const marker = RecoveryMap.instance.cluster.getLayers()[0];
                RecoveryMap.instance.cluster.zoomToShowLayer(marker, () => { marker.openPopup(); resolve(); });
            })"""
        )
        popup = map_page.locator(".leaflet-popup .map-popup")
        popup.wait_for()
        assert popup.locator("a").inner_text() == ATTACK_NAME
        assert ATTACK_TOWN in popup.inner_text()
        assert popup.locator("img, script, iframe, div div").count() == 0
        assert map_page.locator(".map-list a").inner_text() == ATTACK_NAME  # the accessible list too
        assert map_page.evaluate("window.pwned") is None
        assert map_page.evaluate("window.__csp") == []

        map_page.goto(url + "/organisations/attack/")
        map_page.wait_for_selector(".listing-map[data-map-ready]", timeout=10_000)
        map_page.locator(".listing-map .leaflet-marker-icon").click()
        label = map_page.locator(".listing-map .leaflet-popup .map-popup__name")
        assert label.inner_text() == f"<iframe src=javascript:alert(3)>, {ATTACK_TOWN}"
        assert map_page.locator(".listing-map iframe, .listing-map script").count() == 0
        assert map_page.evaluate("window.pwned") is None
        assert map_page.errors == []
