"""The built site, read with beautifulsoup4: every listing has a page, every link resolves, JSON-LD
is sound, contributor text stays text, and the generated pages say what the data says."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from recovery_directory.listing.loader import load_listing
from recovery_directory.listing.schema import labels, load_schema
from site_tools import ROOT, build_site

LISTINGS = ROOT / "content" / "organisations"
REPOSITORY = "https://github.com/recovery-directory/recovery-directory"
ATTACK = '<script>alert(1)</script><img src=x onerror=alert(2)>javascript:alert(3)'
SAFE_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_url_path(site: Path, file: Path) -> str:
    """The address a file is served at, e.g. /organisations/x/ for organisations/x/index.html."""
    relative = file.relative_to(site).as_posix()
    return "/" + (relative.removesuffix("index.html") if relative.endswith("index.html") else relative)


def target_file(site: Path, page_path: str, link: str) -> Path | None:
    """The output file an internal link points at, or None for links that leave the site."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return site / page_path.lstrip("/") / "index.html" if page_path.endswith("/") else site / page_path.lstrip("/")
    base = "/" if parts.path.startswith("/") else page_path.rsplit("/", 1)[0] + "/"
    segments: list[str] = []
    for segment in (base + unquote(parts.path)).split("/"):
        if segment == "..":
            assert segments, f"{link} on {page_path} climbs above the site root"
            segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    target = site.joinpath(*segments)
    return target / "index.html" if parts.path.endswith("/") or target.is_dir() else target


def links(document: BeautifulSoup) -> list[str]:
    found = [tag.get("href") for tag in document.find_all(["a", "link"]) if tag.get("href")]
    found += [tag.get("src") for tag in document.find_all(["script", "img", "iframe", "source"]) if tag.get("src")]
    found += [url for tag in document.find_all(attrs={"data-scripts": True}) for url in tag["data-scripts"].split()]
    found += [tag.get("action") for tag in document.find_all("form") if tag.get("action")]
    return found


def listing_page(site: Path, slug: str) -> BeautifulSoup:
    return soup(site / "organisations" / slug / "index.html")


# --- every listing, every link ---------------------------------------------------------------


def test_one_page_per_listing_file(sample_site):
    sources = {path.stem for path in LISTINGS.glob("*.yaml")}
    pages = {path.parent.name for path in (sample_site / "organisations").glob("*/index.html")}
    assert sources and pages == sources


def test_every_internal_link_and_asset_resolves(sample_site):
    broken = []
    for file in html_files(sample_site):
        document = soup(file)
        page_path = page_url_path(sample_site, file)
        ids = {tag["id"] for tag in document.find_all(id=True)}
        for link in links(document):
            if link.startswith(("tel:", "mailto:")):
                continue
            if link.startswith("#"):
                if link[1:] not in ids:
                    broken.append(f"{page_path}: {link} (no such id)")
                continue
            target = target_file(sample_site, page_path, link)
            if target is not None and not target.is_file():
                broken.append(f"{page_path}: {link}")
    assert broken == []


def site_pages(site: Path) -> list[Path]:
    """Pages a visitor browses (built on base.html). embed/ (widgets for other sites' iframes) and
    posters/ (printable sheets) are stand-alone by design."""
    stand_alone = ("embed/", "posters/")
    return [file for file in html_files(site) if not file.relative_to(site).as_posix().startswith(stand_alone)]


def test_every_page_has_skip_link_crisis_numbers_and_search_box(sample_site):
    pages = site_pages(sample_site)
    assert len(pages) > 40
    for file in pages:
        document = soup(file)
        where = file.relative_to(sample_site)
        skip = document.find("a")
        assert skip is not None and skip["href"] == "#main", where
        assert document.find(id="main") is not None and document.find(id="main").name == "main", where
        tel = {a["href"] for a in document.select("a[href^='tel:']")}
        assert {"tel:999", "tel:111", "tel:116123"} <= tel, where
        forms = [form for form in document.find_all("form") if form.get("action", "").endswith("/search/")]
        assert any(form.find("input", attrs={"name": "q"}) for form in forms), where
        assert document.title and document.title.string.strip(), where
        assert document.find("meta", attrs={"name": "description"})["content"].strip(), where
        assert len(document.find_all("h1")) == 1, where


def test_pages_carry_no_inline_script_style_or_handlers(sample_site):
    for file in html_files(sample_site):
        document = soup(file)
        where = file.relative_to(sample_site)
        assert document.find("style") is None, where
        for tag in document.find_all(True):
            assert "style" not in tag.attrs, f"{where}: <{tag.name} style>"
            assert not [name for name in tag.attrs if name.lower().startswith("on")], f"{where}: <{tag.name}>"
        for script in document.find_all("script"):
            assert script.get("src") or script.get("type") in SAFE_SCRIPT_TYPES, f"{where}: inline script"


# --- listing pages -----------------------------------------------------------------------------


def test_json_ld_parses_and_names_the_organisation(sample_site):
    for slug in (path.stem for path in LISTINGS.glob("*.yaml")):
        document = listing_page(sample_site, slug)
        blocks = document.find_all("script", type="application/ld+json")
        assert len(blocks) == 1, slug
        data = json.loads(blocks[0].string)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "LocalBusiness"
        assert data["name"] == document.h1.get_text(strip=True), slug


def test_json_ld_puts_address_geo_and_hours_on_the_place(sample_site):
    block = listing_page(sample_site, "calder-valley-recovery-cafe").find("script", type="application/ld+json")
    data = json.loads(block.string)
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Halifax",
        "addressCountry": "GB",
        "streetAddress": "12 Example Street",
        "postalCode": "HX1 1RE",
    }
    assert data["geo"]["@type"] == "GeoCoordinates" and 53 < data["geo"]["latitude"] < 54
    assert data["telephone"].startswith("+44")
    evening = data["openingHoursSpecification"][2]
    assert evening == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["https://schema.org/Tuesday"],
        "opens": "18:30:00",
        "closes": "20:00:00",
    }


def test_listing_page_shows_what_a_referrer_needs(sample_site):
    document = listing_page(sample_site, "calder-valley-recovery-cafe")
    text = " ".join(document.get_text(" ").split())
    assert [a.get_text(strip=True) for a in document.select(".listing__header .labels a")] == [
        labels("types")["lero"],
        labels("types")["recovery_community_centre"],
    ]
    assert document.select_one("a[href='tel:+44-808-157-0101']").get_text(strip=True) == "0808 157 0101"
    assert document.select_one("a[href='mailto:cafe@example.org']")
    website = document.select_one("a[href='https://example.org/calder-cafe']")
    assert set(website["rel"]) == {"noopener", "noreferrer"}
    for phrase in (
        "Tuesdays, 6:30pm to 8pm: SMART Recovery meeting",
        "Monday to Friday, 10am to 4pm",
        "Step-free access",
        "Yes, people can refer themselves",
        "Yes, GPs and other professionals can refer",
        "Walk in during opening hours.",
        "Adults, Families and carers",
        "Last verified 1 October 2026.",
        "12 Example Street",
        "HX1 1RE",
    ):
        assert phrase in text, phrase
    edit = document.select_one(".verified a[href*='/edit/']")
    assert edit["href"] == f"{REPOSITORY}/edit/main/content/organisations/calder-valley-recovery-cafe.yaml"
    assert "Is this out of date?" in text
    # the sanitised description keeps its list and link
    assert document.select_one(".prose ul li") and document.select_one(".prose a[href='https://example.org/calder-cafe/about']")


def test_stale_closed_and_24_7_listings_say_so(sample_site):
    stale = " ".join(listing_page(sample_site, "bradford-gambling-support-circle").get_text(" ").split())
    assert "Not verified since 1 May 2024." in stale
    assert "Check with the organisation before you refer." in stale
    closed = listing_page(sample_site, "camden-sober-social-club")
    assert "This service has closed." in closed.select_one(".banner--closed").get_text()
    temporary = [p.stem for p in LISTINGS.glob("*.yaml") if "status: temporarily_closed" in p.read_text()]
    assert temporary
    assert "Temporarily closed." in listing_page(sample_site, temporary[0]).select_one(".banner").get_text()
    night_owl = listing_page(sample_site, "night-owl-recovery-line")
    assert "Open 24/7" in [li.get_text(strip=True) for li in night_owl.select(".labels li")]


def test_closed_listing_keeps_its_page_but_leaves_every_index(sample_site):
    href_end = "organisations/camden-sober-social-club/"
    for index in ["index.html", "organisations/index.html", *map(str, (sample_site / "types").rglob("index.html")),
                  *map(str, (sample_site / "areas").rglob("index.html"))]:
        document = soup(sample_site / index)
        assert not [a for a in document.select("main a") if a["href"].endswith(href_end)], index


# --- index pages, home, sitemap ----------------------------------------------------------------


def test_type_and_area_indexes_list_every_open_listing(sample_site):
    listed = {p.stem for p in LISTINGS.glob("*.yaml")} - {"camden-sober-social-club"}
    for folder in ("types", "areas"):
        found = set()
        for index in (sample_site / folder).glob("*/index.html"):
            found |= {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in soup(index).select(".card__title a")}
        assert found == listed, folder
    a_to_z_page = soup(sample_site / "organisations/index.html")
    a_to_z = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in a_to_z_page.select(".card__title a")}
    assert a_to_z == listed
    types = soup(sample_site / "types/index.html")
    names = [a.select_one(".type-grid__name").get_text() for a in types.select(".type-grid a")]
    assert names == list(labels("types").values())
    national = soup(sample_site / "areas/national/index.html")
    assert "Night Owl Recovery Line (sample listing)" in national.get_text()


def test_home_links_every_type_with_its_count(sample_site):
    home = soup(sample_site / "index.html")
    entries = {a["href"]: a.get_text(" ", strip=True) for a in home.select(".type-grid a")}
    assert len(entries) == len(labels("types"))
    lero_count = len(soup(sample_site / "types/lero/index.html").select(".card"))
    assert entries["./types/lero/"].endswith(f"{lero_count} listings")
    assert len(home.select("#recent ~ .cards .card, section[aria-labelledby=recent] .card")) == 5


def test_sitemap_lists_open_listings_only(sample_site):
    tree = ET.parse(sample_site / "sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in tree.getroot().findall("s:url/s:loc", namespace)]
    assert "/organisations/calder-valley-recovery-cafe/" in locations
    assert "/organisations/camden-sober-social-club/" not in locations
    assert "/add-or-update-your-listing/" in locations and "/types/lero/" in locations
    assert len(locations) == len(set(locations))


def test_add_or_update_page_explains_every_schema_field(sample_site):
    document = soup(sample_site / "add-or-update-your-listing/index.html")
    headings = {code.get_text() for code in document.select(".field > h3 > code, .field h4 > code, .field h5 > code")}
    schema = load_schema()
    assert set(schema["properties"]) <= headings
    assert {"number", "how", "postcode", "days", "opens", "closes"} <= headings
    rows = [row.select("td") for row in document.select("table.choices tbody tr")]
    choices = {code.get_text(): name.get_text() for code, name in rows}
    for vocabulary in ("types", "audiences", "accessibility", "days", "cost"):
        for code, name in labels(vocabulary).items():
            assert choices.get(code) == name
    name_field = document.find(id="field-name")
    assert "Required" in name_field.find_next("p").get_text()
    assert 'name: "Calder Valley Recovery Café (sample listing)"' in document.get_text()


def test_404_page_uses_root_relative_links(sample_site):
    document = soup(sample_site / "404.html")
    assert document.h1.get_text() == "Page not found"
    stylesheet = document.find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith("/theme/")


# --- untrusted contributor text ---------------------------------------------------------------


ATTACK_LISTING = f"""\
name: {json.dumps(ATTACK)}
types: [lero]
summary: {json.dumps(ATTACK + " summary text")}
description: |
  Markdown's own attacks (raw HTML in a description is refused: tests/listings/invalid/html-in-description.yaml).

  [click me](javascript:alert(4)) <javascript:alert(5)> [data](data:text/html,alert(6)) ![img](javascript:alert(7))
website: https://example.org/"><script>alert(8)</script>
email: attack@example.org
phones:
  - number: "0113 496 0999"
    description: {json.dumps(ATTACK)}
audiences: [adults]
referral:
  self: true
  how: {json.dumps(ATTACK)}
  url: https://example.org/refer?x="onmouseover="alert(9)
areas_served: [Leeds]  # only real local authorities pass, so no contributor text names an area
locations:
  - name: {json.dumps(ATTACK)}
    address: {json.dumps(ATTACK)}
    town: {json.dumps(ATTACK[:70])}
    coordinates: {{lat: 53.8, lon: -1.55}}
    hours:
      - {{days: [mon], opens: "09:00", closes: "17:00", note: {json.dumps(ATTACK)}}}
last_verified: 2026-10-01
"""


@pytest.fixture(scope="module")
def attack_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("attack")
    (base / "content" / "organisations").mkdir(parents=True)
    (base / "content" / "organisations" / "attack.yaml").write_text(ATTACK_LISTING, encoding="utf-8")
    output = base / "output"
    build_site(
        output,
        content=base / "content",
        extra=["-e", f"NODE_MODULES_PATH={json.dumps(str(ROOT / 'node_modules'))}"],
    )
    return output


def test_attack_strings_appear_only_as_text(attack_site):
    page = listing_page(attack_site, "attack")
    assert page.h1.get_text() == ATTACK
    visible = page.get_text()
    assert visible.count(ATTACK) >= 6  # name, phone note, how, place name, address, hours note
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["name"] == ATTACK and "</" not in page.find("script", type="application/ld+json").string
    for file in html_files(attack_site):
        document = soup(file)
        where = file.relative_to(attack_site)
        assert document.find("iframe") is None, where
        assert not [img for img in document.find_all("img") if img.get("src") == "x"], where
        for tag in document.find_all(True):
            assert not [name for name in tag.attrs if name.lower().startswith("on")], f"{where}: {tag}"
            for attribute in ("href", "src", "action"):
                value = "".join(str(tag.get(attribute, "")).split()).lower()
                assert not value.startswith("javascript:"), f"{where}: {tag}"
        for script in document.find_all("script"):
            assert script.get("src") or script.get("type") in SAFE_SCRIPT_TYPES, f"{where}: {script}"
            assert "alert(" not in (script.get("src") or ""), where
    website = page.find("a", href=lambda h: h and h.startswith("https://example.org/\""))
    assert website is not None and set(website["rel"]) == {"noopener", "noreferrer"}


# --- a broken listing stops the build -------------------------------------------------------


def test_invalid_listing_fails_the_build_naming_file_and_line(tmp_path):
    content = tmp_path / "content" / "organisations"
    content.mkdir(parents=True)
    (content / "broken.yaml").write_text(
        "name: Broken Listing (sample)\ntypes: [not_a_type]\nsummary: A listing with a mistake in it.\n"
        "last_verified: 2026-10-01\n",
        encoding="utf-8",
    )
    result = build_site(tmp_path / "output", content=tmp_path / "content", check=False)
    assert result.returncode != 0
    assert "broken.yaml:2:" in result.stderr
    assert not (tmp_path / "output" / "organisations" / "broken").exists()


def test_listing_pages_name_their_languages_in_words(sample_site):
    """Every listing file that gives languages shows them, labelled from the schema."""
    shown = 0
    for path in sorted((ROOT / "content" / "organisations").glob("*.yaml")):
        codes = load_listing(path).data.get("languages", [])
        terms = listing_page(sample_site, path.stem).select("dl.facts dt")
        found = [term.find_next_sibling("dd").get_text(strip=True) for term in terms if term.get_text() == "Languages"]
        assert found == ([", ".join(labels("languages")[code] for code in codes)] if codes else []), path.stem
        shown += bool(codes)
    assert shown, "no sample listing gives languages"
