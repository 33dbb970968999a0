"""XSS (issue #10): a listing carrying attack strings in every text and URL field the schema
accepts (tests/attack/xss-attack-listing.yaml) is built with the sample listings. No payload may
run in any page that shows it, in Chromium; no payload may become markup in any built file; the
exported data carries the text exactly; and script URLs never get past the validator.

Every payload calls window.__xss(n) or alert(n) if it runs. The pages are served WITHOUT the
Content-Security-Policy, so these tests check the escaping itself, not the CSP behind it.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from recovery_directory.listing.validate import check_file
from site_tools import build_site, serve_directory
from temp_project import make_project

from benchmarks.invariants import search_records

ROOT = Path(__file__).resolve().parents[1]
ATTACK = ROOT / "tests" / "attack" / "xss-attack-listing.yaml"
SLUG = ATTACK.stem
WORD = "Quokka"  # in the name, summary, description and an area: what the tests search for
MARKER = "__xss"

# Elements no page of ours uses, that payloads try to create. (Our templates use <noscript> to
# say search needs JavaScript: one is a problem only if it carries a payload.)
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "details", "math", "base", "style"}
# Attributes that run or load something, beyond on* handlers.
FORBIDDEN_ATTRIBUTES = {"srcdoc", "xlink:href", "formaction", "style"}
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}

RECORDER = """
window.__xssHits = [];
window.__xss = function (n) { window.__xssHits.push(String(n)); console.log("XSS-EXECUTED " + n); };
"""


def attack() -> dict[str, Any]:
    data = yaml.safe_load(ATTACK.read_text(encoding="utf-8"))
    return {**data, "last_verified": str(data["last_verified"])}  # written back as text, as listings keep it


def shown_texts() -> dict[str, str]:
    """Field path → the text a page must show exactly as written (plain-text fields only: the
    description is Markdown, and its HTML is removed by design; areas_served can only name real
    local authorities, so a page never shows a contributor's own text for an area)."""
    data = attack()
    location = data["locations"][0]
    return {
        "name": data["name"],
        "summary": data["summary"],
        "referral.how": " ".join(data["referral"]["how"].split()),
        "phones[0].description": data["phones"][0]["description"],
        "locations[0].name": location["name"],
        "locations[0].address": location["address"],
        "locations[0].town": location["town"],
        "locations[0].hours[0].note": location["hours"][0]["note"],
    }


@pytest.fixture(scope="module")
def attack_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xss")
    settings = make_project(folder, extra_listings=[ATTACK])
    output = folder / "output"
    build_site(output, settings=settings)
    return output


@pytest.fixture(scope="module")
def attack_server(attack_site: Path) -> Iterator[str]:
    with serve_directory(attack_site, headers=[]) as url:  # no CSP: test the escaping alone
        yield url


# -- static checks: nothing becomes markup ------------------------------------------------------
def markup_problems(html: str) -> list[str]:
    """Every way an attack string could have become markup in this HTML."""
    problems = []
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        if element.name in FORBIDDEN_TAGS:
            problems.append(f"<{element.name}> element")
        if element.name == "img" and element.get("src") == "x":
            problems.append("<img src=x> from a payload")
        if element.name in ("svg", "noscript") and (MARKER in str(element) or "alert(" in str(element)):
            problems.append(f"<{element.name}> carrying a payload")
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else value
            if name.startswith("on") or name in FORBIDDEN_ATTRIBUTES:
                problems.append(f"<{element.name} {name}={text[:60]!r}>")
            if name in ("href", "src", "action") and not url_is_safe(text):
                problems.append(f"<{element.name} {name}={text[:60]!r}>: not a web, mail or phone link")
        if element.name == "script" and MARKER in element.get_text():
            problems.extend(data_script_problems(element))
    return problems


def url_is_safe(url: str) -> bool:
    """Relative URLs and http(s)/mailto/tel ones. Browsers ignore tabs and newlines in a scheme
    and its leading spaces, so those are removed before looking at it."""
    cleaned = "".join(ch for ch in url if ch not in "\t\n\r").strip().lower()
    scheme, colon, _ = cleaned.partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # no scheme: relative
    return cleaned.startswith(SAFE_SCHEMES)


def data_script_problems(element: Any) -> list[str]:
    """A script carrying contributor text must be a data block that parses whole: a payload that
    closed the element early would leave JSON that no longer parses."""
    kind = (element.get("type") or "").lower()
    if kind not in DATA_SCRIPT_TYPES:
        return [f"<script type={kind!r}> carrying a payload"]
    try:
        data = json.loads(element.get_text())
    except ValueError as error:
        return [f"<script type={kind!r}> no longer parses as JSON ({error})"]
    if not set(shown_texts().values()) & all_strings(data):  # e.g. JSON-LD's name, the hours' place
        return [f"<script type={kind!r}> carries the payload but none of the listing's texts intact"]
    return []


def all_strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for item in value.values() for s in all_strings(item)}
    if isinstance(value, list):
        return {s for item in value for s in all_strings(item)}
    return set()


def pages_showing_the_listing(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if WORD in path.read_text(encoding="utf-8"))


def test_the_attack_listing_is_valid_and_carries_payloads_in_every_text_field() -> None:
    assert check_file(ATTACK).ok, check_file(ATTACK).problems
    for field, text in shown_texts().items():
        assert MARKER in text or "alert(" in text, f"{field} carries no payload"


def test_the_markup_checker_catches_each_kind_of_injection() -> None:
    """The checks below can fail: each of these would be reported."""
    name = json.dumps(attack()["name"]).replace("<", "\\u003c")  # as a correct data block writes it
    for html in (
        "<p><img src=x onerror=window.__xss(1)></p>",
        '<a href=" JaVa&#x09;ScRiPt:window.__xss(1)">x</a>',
        "<details open ontoggle=window.__xss(1)>d</details>",
        "<svg><script>window.__xss(1)</script></svg>",
        '<noscript><p title="</noscript><img src=x onerror=window.__xss(1)>"></p></noscript>',
        "<script>window.__xss(1)</script>",
        '<script type="application/ld+json">{"name": "</script><script>window.__xss(1)</script>"}</script>',
        f'<script type="application/json">{{"name": {name}, "x": "</script>"}}</script>',
        '<iframe srcdoc="x"></iframe>',
    ):
        assert markup_problems(html), html
    assert markup_problems(f'<script type="application/ld+json">{{"name": {name}}}</script>') == []


def test_no_attack_string_becomes_markup_in_any_built_page(attack_site: Path) -> None:
    pages = sorted(attack_site.rglob("*.html"))
    shown = pages_showing_the_listing(attack_site)
    expected = {
        f"organisations/{SLUG}/index.html", "organisations/index.html", "types/mutual-aid/index.html",
        "types/harm-reduction/index.html", "areas/calderdale/index.html", "map/index.html",
    }
    assert expected <= {path.relative_to(attack_site).as_posix() for path in shown}
    problems = {
        path.relative_to(attack_site).as_posix(): found
        for path in pages
        if (found := markup_problems(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


def test_every_link_to_the_listing_shows_its_name_as_text(attack_site: Path) -> None:
    name = attack()["name"]
    linked = 0
    for path in pages_showing_the_listing(attack_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=True):
            if link["href"].rstrip("/").endswith(f"organisations/{SLUG}") and WORD in link.get_text():
                linked += 1
                assert name in " ".join(link.get_text().split()), path.relative_to(attack_site)
    assert linked >= 6


def test_the_listing_page_shows_every_field_literally(attack_site: Path) -> None:
    listing_page = attack_site / "organisations" / SLUG / "index.html"
    soup = BeautifulSoup(listing_page.read_text(encoding="utf-8"), "html.parser")
    text = " ".join(soup.get_text().split())
    missing = [field for field, value in shown_texts().items() if " ".join(value.split()) not in text]
    assert missing == []
    links = {a["href"] for a in soup.find_all("a", href=True)}
    assert {attack()["website"], attack()["referral"]["url"]} <= links


def test_feeds_carry_the_text_and_no_markup(attack_site: Path) -> None:
    feeds = sorted((attack_site / "feeds").rglob("*.xml"))
    assert feeds, "every build writes Atom feeds under feeds/"
    atom = "{http://www.w3.org/2005/Atom}"
    found = 0
    for feed in feeds:
        for entry in ET.parse(feed).getroot().iter(f"{atom}entry"):
            if WORD not in (entry.findtext(f"{atom}title") or ""):
                continue
            found += 1
            assert entry.findtext(f"{atom}title") == attack()["name"], feed
            content = entry.find(f"{atom}content")
            html = content.text or "" if content is not None else ""
            assert markup_problems(html) == [], feed
            text = " ".join(BeautifulSoup(html, "html.parser").get_text().split())
            assert attack()["summary"] in text and shown_texts()["referral.how"] in text, feed
    assert found >= 3  # all, an area and a type feed at least


# -- exported data: the text exactly, escaped only as each format requires -----------------------
def exported_record(site: Path) -> dict[str, Any]:
    document = json.loads((site / "data" / "organisations.json").read_text(encoding="utf-8"))
    return next(org for org in document["organisations"] if org["slug"] == SLUG)


def test_json_exports_carry_the_text_exactly(attack_site: Path) -> None:
    data = attack()
    record = exported_record(attack_site)
    for key in ("name", "summary", "description", "website"):
        assert record[key] == data[key], key
    assert record["referral"]["how"] == data["referral"]["how"]
    assert record["referral"]["url"] == data["referral"]["url"]
    assert record["areas_served"] == data["areas_served"]
    assert record["phones"][0]["description"] == data["phones"][0]["description"]
    location = data["locations"][0]
    for key in ("name", "address", "town"):
        assert record["locations"][0][key] == location[key], key
    searched = next(record for record in search_records(attack_site) if record["slug"] == SLUG)
    assert (searched["name"], searched["summary"]) == (data["name"], data["summary"])
    assert searched["website"] == data["website"]
    assert searched["referral_how"] == data["referral"]["how"] and searched["referral_url"] == data["referral"]["url"]
    assert searched["locations"][0]["address"] == location["address"]
    assert searched["locations"][0]["hours"][0]["note"] == location["hours"][0]["note"]
    for path in ("data/organisations.geojson", "data/openreferral.json", "search/index.json"):
        strings = all_strings(json.loads((attack_site / path).read_text(encoding="utf-8")))
        assert {data["name"], location["town"]} <= strings, path
    geojson = json.loads((attack_site / "data" / "organisations.geojson").read_text(encoding="utf-8"))
    feature = next(f["properties"] for f in geojson["features"] if f["properties"]["slug"] == SLUG)
    assert (feature["name"], feature["summary"]) == (data["name"], data["summary"])
    assert feature["address"] == location["address"]


def test_csv_carries_the_text_with_only_the_formula_guard(attack_site: Path) -> None:
    data = attack()
    raw = (attack_site / "data" / "organisations.csv").read_bytes().decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(raw, newline="")) if r["slug"] == SLUG)
    assert row["name"] == data["name"] and row["summary"] == data["summary"]
    assert row["referral_how"] == data["referral"]["how"] and row["website"] == data["website"]
    location = data["locations"][0]
    assert location["name"].startswith("=")
    assert row["location_name"] == "'" + location["name"]  # a spreadsheet must not run it as a formula
    assert (row["address"], row["town"]) == (location["address"], location["town"])


def test_map_data_carries_the_text_exactly(attack_site: Path) -> None:
    script = (attack_site / "map" / "directory-map.js").read_text(encoding="utf-8")
    line = next(line for line in script.splitlines() if line.startswith("var data = "))
    rows = json.loads(line.removeprefix("var data = ").rstrip(";"))
    row = next(row for row in rows if row[3] == f"organisations/{SLUG}/")
    assert (row[2], row[4]) == (attack()["name"], attack()["locations"][0]["town"])
    assert "</script" not in script.lower() and "<img" not in script.lower()  # escaped as \u003c


# -- the validator: only http(s) web addresses --------------------------------------------------
SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "https:javascript:alert(1)",
    "//example.org/page",
    "&#106;avascript:alert(1)",
]


@pytest.mark.parametrize("field", ["website", "referral.url"])
@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_the_validator_rejects_script_urls(tmp_path: Path, field: str, url: str) -> None:
    data = attack()
    if field == "website":
        data["website"] = url
    else:
        data["referral"]["url"] = url
    listing = tmp_path / f"{SLUG}.yaml"
    listing.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check_file(listing)
    assert not result.ok
    problems = [str(problem) for problem in result.problems]
    assert any(field.split(".")[-1] in problem for problem in problems), problems
    assert len(problems) == 1, problems


@pytest.mark.parametrize(
    "email",
    ['"<script>alert(1)</script>"@example.org', "a@example.org<script>alert(1)</script>", "javascript:alert(1)"],
)
def test_the_validator_rejects_markup_in_email(tmp_path: Path, email: str) -> None:
    data = {**attack(), "email": email}
    listing = tmp_path / f"{SLUG}.yaml"
    listing.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check_file(listing)
    assert not result.ok and any("email" in str(problem) for problem in result.problems)


# -- in Chromium: no payload runs ---------------------------------------------------------------
@pytest.fixture
def watched(page: Any) -> Any:
    """The page fixture with every payload's way of running recorded: window.__xss (in every
    frame), dialogs, and console lines from any frame."""
    page.hits = []
    page.context.add_init_script(RECORDER)
    page.on("console", lambda message: "XSS-EXECUTED" in message.text and page.hits.append(message.text))

    def dialog(opened: Any) -> None:
        page.hits.append(f"{opened.type}: {opened.message}")
        opened.dismiss()

    page.on("dialog", dialog)
    return page


def page_errors(page: Any) -> list[str]:
    """Console errors, less the map tiles the page fixture blocks (they never leave loopback)."""
    assert all(url.startswith("https://tile.openstreetmap.org/") for url in page.outside_requests)
    return [error for error in page.errors if error != "Failed to load resource: net::ERR_FAILED"]


def assert_nothing_ran(page: Any, where: str) -> None:
    hits = page.hits + [f"window.__xss({n})" for n in page.evaluate("window.__xssHits || []")]
    assert hits == [], f"{where}: payloads ran: {hits}"
    links = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.protocol)")
    assert set(links) <= {"http:", "https:", "mailto:", "tel:"}, f"{where}: {set(links)}"
    assert page.locator("img[src='x'], iframe, details, math").count() == 0, where


@pytest.mark.browser
def test_no_payload_runs_in_any_page_that_shows_the_listing(
    watched: Any, attack_site: Path, attack_server: str
) -> None:
    pages = pages_showing_the_listing(attack_site)
    assert len(pages) >= 8
    for path in pages:
        address = "/" + path.relative_to(attack_site).as_posix().removesuffix("index.html")
        watched.goto(attack_server + address, wait_until="networkidle")
        assert_nothing_ran(watched, address)
    assert page_errors(watched) == []


@pytest.mark.browser
def test_no_payload_runs_in_the_listing_map_popup(watched: Any, attack_server: str) -> None:
    watched.goto(f"{attack_server}/organisations/{SLUG}/")
    watched.wait_for_selector(".listing-map[data-map-ready]", timeout=10_000)
    watched.locator(".listing-map .leaflet-marker-icon").first.click()
    label = watched.locator(".listing-map .leaflet-popup .map-popup__name")
    label.wait_for()
    location = attack()["locations"][0]
    assert location["name"] in label.inner_text() and location["town"] in label.inner_text()
    assert_nothing_ran(watched, "listing map popup")
    assert page_errors(watched) == []


@pytest.mark.browser
def test_no_payload_runs_in_the_directory_map_popup(watched: Any, attack_server: str) -> None:
    watched.goto(f"{attack_server}/map/")
    watched.wait_for_function("() => window.RecoveryMap && RecoveryMap.instance && RecoveryMap.instance.cluster")
    watched.evaluate(
        """(word) => new Promise(resolve => {
            const marker = RecoveryMap.instance.cluster.getLayers().find(m => m.options.title.startsWith(word));
            RecoveryMap.instance.cluster.zoomToShowLayer(marker, () => { marker.openPopup(); resolve(); });
        })""",
        WORD,
    )
    popup = watched.locator(".leaflet-popup .map-popup")
    popup.wait_for()
    assert popup.locator("a").inner_text() == attack()["name"]
    assert attack()["locations"][0]["town"] in popup.inner_text()
    assert_nothing_ran(watched, "map popup")
    assert page_errors(watched) == []


@pytest.mark.browser
def test_no_payload_runs_in_search_results_or_the_print_view(watched: Any, attack_server: str) -> None:
    watched.add_init_script("window.print = () => { window.__printed = true; };")
    watched.goto(f"{attack_server}/search/?q={WORD.lower()}")
    watched.wait_for_selector("#search-page[data-search-ready]")
    result = watched.locator(f"#search-list .result[data-slug='{SLUG}']")
    result.wait_for()
    text = " ".join(result.inner_text().split())
    assert attack()["name"] in text and attack()["summary"] in text
    assert_nothing_ran(watched, "search results")

    watched.click("#search-print")
    watched.wait_for_function("() => window.__printed === true")  # after the handout's details have loaded
    watched.emulate_media(media="print")
    handout = " ".join(watched.locator("#print-handout").inner_text().split())
    assert attack()["name"] in handout and shown_texts()["referral.how"] in handout
    assert attack()["website"] in handout
    assert_nothing_ran(watched, "search print view")
    assert page_errors(watched) == []


@pytest.mark.browser
def test_the_recorder_catches_a_payload_that_runs(watched: Any, tmp_path: Path) -> None:
    """The checks above can fail: an unescaped payload is seen, by call and by dialog."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><title>t</title><p>"><img src=x onerror=window.__xss(2)></p>'
        "<script>alert(3)</script>",
        encoding="utf-8",
    )
    with serve_directory(tmp_path, headers=[]) as url:
        watched.goto(url + "/", wait_until="networkidle")
        with pytest.raises(AssertionError, match=r"alert: 3.*window.__xss\(2\)"):
            assert_nothing_ran(watched, "a page with an unescaped payload")


@pytest.mark.browser
def test_no_payload_runs_on_my_list_or_its_printed_handout(watched: Any, attack_server: str) -> None:
    watched.goto(f"{attack_server}/organisations/{SLUG}/")
    watched.locator("#shortlist-add .shortlist-toggle").click()  # its label carries the name
    assert_nothing_ran(watched, "listing page, added to my list")
    watched.goto(f"{attack_server}/my-list/")
    watched.wait_for_selector("#my-list[data-ready]")
    entry = " ".join(watched.locator(f'#handout-list > li[data-slug="{SLUG}"]').inner_text().split())
    data = attack()
    for text in (data["name"], data["summary"], shown_texts()["referral.how"], shown_texts()["locations[0].address"]):
        assert " ".join(text.split()) in entry
    watched.emulate_media(media="print")
    assert_nothing_ran(watched, "my list, printed")


@pytest.mark.browser
def test_no_payload_runs_in_the_editor_and_it_gives_the_text_back_exactly(
    watched: Any, attack_server: str, tmp_path: Path
) -> None:
    """"Edit this listing" fills the form from the listing's data: every payload stays text, and
    the YAML the editor writes loads back to the same listing."""
    watched.goto(f"{attack_server}/editor/?listing={SLUG}", wait_until="networkidle")
    watched.locator("#editor-form").wait_for(state="visible")
    assert watched.get_by_label("Name (required)", exact=True).input_value() == attack()["name"]
    assert_nothing_ran(watched, "editor")
    watched.get_by_role("button", name="Check and show the listing").click()
    watched.locator("#editor-result").wait_for(state="visible")
    assert_nothing_ran(watched, "editor result")
    from recovery_directory.listing.validate import check_bytes

    written = check_bytes(tmp_path / f"{SLUG}.yaml", watched.locator("#editor-yaml").input_value().encode())
    assert written.ok and written.data == check_file(ATTACK).data
    assert page_errors(watched) == []
