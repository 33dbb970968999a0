"""Waiting-room posters (/posters/<area-slug>/): one A4 page in Chromium's PDF output, the area's
organisations and phone numbers, the crisis numbers, and a QR code that decodes to the area page."""

from __future__ import annotations

import contextlib
import io
import json
import posixpath
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
import segno
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image
from recovery_directory.outputs.posters import qr_svg
from site_tools import ROOT, build_site, serve_directory

A4_POINTS = (595.3, 841.9)  # 210 × 297 mm


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def card_count(area_page: Path) -> int:
    return len(soup_of(area_page).select("main .card"))


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    """The sample site built with its own address (SITEURL), as the live site is, and served there."""
    output = tmp_path_factory.mktemp("poster-site")
    with serve_directory(output) as url:
        build_site(output, extra=["-e", f"SITEURL={json.dumps(url)}", "RELATIVE_URLS=false"])
        yield output, url


def print_pdf(page, url: str) -> pypdf.PdfReader:
    assert page.goto(url).status == 200
    page.emulate_media(media="print")
    return pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))


def assert_one_a4_page(reader: pypdf.PdfReader) -> None:
    assert len(reader.pages) == 1, f"the poster printed on {len(reader.pages)} pages"
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4_POINTS[0]) < 2 and abs(float(box.height) - A4_POINTS[1]) < 2, box


def test_every_area_has_a_poster_linked_from_its_page(sample_site):
    areas = sorted((sample_site / "areas").glob("*/index.html"))
    assert len(areas) > 5
    for area in areas:
        links = [a for a in soup_of(area).select("main a") if a.get_text(strip=True) == "Print a poster for this area"]
        assert len(links) == 1, area
        target = posixpath.normpath(posixpath.join(f"areas/{area.parent.name}", links[0]["href"]))
        assert target == f"posters/{area.parent.name}", area
        assert (sample_site / target / "index.html").is_file()
    for type_page in (sample_site / "types").glob("*/index.html"):
        assert "Print a poster" not in type_page.read_text(encoding="utf-8"), "posters are per area"


def test_a_poster_shows_the_areas_organisations_phones_and_the_crisis_numbers(sample_site):
    for poster in sorted((sample_site / "posters").glob("*/index.html")):
        soup = soup_of(poster)
        area_page = sample_site / "areas" / poster.parent.name / "index.html"
        names = [title.get_text(strip=True) for title in soup_of(area_page).select("main .card .card__title")]
        assert [h.get_text(strip=True) for h in soup.select(".poster__name")] == names
        text = soup.get_text(" ")
        for number in ("999", "NHS 111", "116 123"):
            assert number in text, (poster, number)
        assert soup.find("script") is None and soup.find(style=True) is None and soup.find("style") is None
    calderdale = soup_of(sample_site / "posters" / "calderdale" / "index.html").get_text(" ")
    assert "0808 157 0101" in calderdale and "0113 496 0140" in calderdale


def test_a_local_build_without_siteurl_says_why_there_is_no_qr_code(sample_site):
    soup = soup_of(sample_site / "posters" / "leeds" / "index.html")
    assert soup.find("svg") is None
    assert "SITEURL" in soup.select_one(".poster__qr-missing").get_text()


def test_qr_svg_is_segnos_encoding_of_the_url_with_no_style_attribute():
    url = "https://directory.example.org/areas/calderdale/"
    svg = BeautifulSoup(str(qr_svg(url)), "html.parser").find("svg")
    assert svg is not None and svg.get("viewbox") and not svg.has_attr("width")  # html.parser lowercases
    assert not any(tag.has_attr("style") for tag in [svg, *svg.find_all(True)]) and svg.find("style") is None
    assert str(qr_svg(url)) == str(qr_svg(url)), "the same address always draws the same code"
    assert segno.make_qr(url, error="m").svg_inline(scale=1, border=4, omitsize=True, svgclass="poster__qr-code",
                                                     lineclass=None, dark="#000", light="#fff") == str(qr_svg(url))
    with pytest.raises(ValueError, match="full address"):
        qr_svg("areas/calderdale/")


@pytest.mark.browser
def test_the_largest_sample_areas_poster_prints_on_one_a4_page(page, live_site):
    output, url = live_site
    largest = max((output / "areas").glob("*/index.html"), key=card_count).parent.name
    assert card_count(output / "areas" / largest / "index.html") >= 4
    assert_one_a4_page(print_pdf(page, f"{url}/posters/{largest}/"))
    assert page.errors == [] and page.outside_requests == []


@pytest.mark.browser
def test_the_qr_code_scans_to_the_area_page(page, live_site):
    output, url = live_site
    page.set_viewport_size({"width": 1000, "height": 1400})
    page.goto(f"{url}/posters/calderdale/")
    picture = Image.open(io.BytesIO(page.locator(".poster__qr-image").screenshot()))
    decoded = [result.text for result in zxingcpp.read_barcodes(picture)]
    assert decoded == [f"{url}/areas/calderdale/"]
    assert page.goto(decoded[0]).status == 200


@pytest.mark.browser
def test_poster_passes_axe(page, live_site, axe):
    _, url = live_site
    page.goto(f"{url}/posters/calderdale/")
    assert axe(page) == []


def synthetic_listing(number: int) -> str:
    return f"""name: Calderdale Example Recovery and Wellbeing Service Number {number} (sample listing)
types: [lero]
summary: >-
  A fictional service with a deliberately long summary, to check the poster still fits one page
  of A4 when an area has very many organisations in it.
phones:
  - number: "0113 496 0{100 + number}"
    description: Monday to Friday, 9am to 5pm, and Saturday mornings
attendance: [phone]
referral:
  self: true
  professional: true
areas_served: [Calderdale]
last_verified: 2026-10-01
"""


@contextlib.contextmanager
def poster_site(tmp_path: Path, listings: dict[str, str]) -> Iterator[tuple[Path, str]]:
    """A site of these listings (slug: YAML) built with its own address, served on loopback."""
    organisations = tmp_path / "content" / "organisations"
    organisations.mkdir(parents=True)
    for slug, text in listings.items():
        (organisations / f"{slug}.yaml").write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    output.mkdir()
    with serve_directory(output) as url:
        build_site(output, content=tmp_path / "content", extra=[
            "-e", f"SITEURL={json.dumps(url)}", "RELATIVE_URLS=false",
            f"NODE_MODULES_PATH={json.dumps(str(ROOT / 'node_modules'))}",
        ])
        yield output, url


@pytest.mark.browser
def test_a_crowded_area_poster_shows_the_limit_says_how_many_more_and_still_fits_one_page(page, tmp_path):
    listings = {f"example-service-{number:02d}": synthetic_listing(number) for number in range(1, 16)}
    with poster_site(tmp_path, listings) as (output, url):
        soup = soup_of(output / "posters" / "calderdale" / "index.html")
        assert len(soup.select(".poster__item")) == 12  # POSTER_MAX_LISTINGS
        assert "And 3 more services" in soup.select_one(".poster__more").get_text()
        assert_one_a4_page(print_pdf(page, f"{url}/posters/calderdale/"))


def longest_listing(number: int, phones: bool = True) -> str:
    """A listing with every field the poster shows at the schema's longest (words that wrap); with
    no phone, the poster shows its web address instead (up to 500 characters)."""
    name = f"Example {number:02d} " + " ".join(["Recovery Wellbeing Peer Support"] * 4)
    summary = " ".join(["A fictional service whose summary is as long as the schema allows."] * 3)
    note = " ".join(["Weekdays 9am to 5pm and Saturday mornings, except bank holidays."] * 2)
    contact = f"""phones:
  - number: "0113 496 0{100 + number}"
    description: {note[:120].rstrip()}
  - number: "0113 496 0{150 + number}"
    description: {note[:120].rstrip()}
""" if phones else f"website: https://example.org/{'/'.join(['a-long-path-segment'] * 23)}/{number}\n"
    return f"""name: {name[:120].rstrip()}
types: [lero]
summary: {summary[:160].rstrip()}
{contact}attendance: [phone]
referral:
  self: true
  professional: true
areas_served: [Calderdale]
last_verified: 2026-10-01
"""


@pytest.mark.browser
@pytest.mark.parametrize("phones", [True, False], ids=["phones", "web-addresses"])
@pytest.mark.parametrize("count", [6, 12])  # the full layout, and the compact one at the limit
def test_a_poster_of_the_longest_listings_the_schema_allows_still_prints_on_one_page(page, tmp_path, count, phones):
    listings = {f"longest-{number:02d}": longest_listing(number, phones) for number in range(1, count + 1)}
    with poster_site(tmp_path, listings) as (output, url):
        assert len(soup_of(output / "posters" / "calderdale" / "index.html").select(".poster__item")) == count
        assert_one_a4_page(print_pdf(page, f"{url}/posters/calderdale/"))
