"""Embeddable lists (/embed/areas/<slug>/, /embed/types/<slug>/) and the "share this list" block:
minimal pages other websites can frame, while every other page refuses to be framed."""

from __future__ import annotations

import posixpath
from fnmatch import fnmatch
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from recovery_directory.headers import HeaderSettingError, header_rules
from recovery_directory.settings import load_settings
from site_tools import ROOT, netlify_headers, serve_directory


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def embed_pages(site: Path) -> list[Path]:
    return sorted((site / "embed").glob("*/*/index.html"))


def netlify_headers_for(path: str) -> dict[str, str]:
    """The headers Netlify sends for `path`: every matching rule in file order, a later rule's
    value replacing an earlier one's for the same header (as `netlify dev` resolves them)."""
    found: dict[str, str] = {}
    for pattern, values in netlify_headers():
        if fnmatch(path, pattern):
            found.update(values)
    return found


def test_there_is_an_embed_page_for_every_area_and_type_page(sample_site):
    embeds = {page.parent.relative_to(sample_site / "embed").as_posix() for page in embed_pages(sample_site)}
    indexes = {p.parent.relative_to(sample_site).as_posix() for kind in ("areas", "types")
               for p in (sample_site / kind).glob("*/index.html")}
    assert embeds == indexes and len(embeds) > 10


def test_embed_pages_have_no_site_chrome_no_scripts_and_only_their_own_stylesheet(sample_site):
    for page in embed_pages(sample_site):
        soup = soup_of(page)
        for chrome in ("header", "nav", "footer", "form", ".skip-link", ".site-header", ".site-footer", "aside"):
            assert soup.select_one(chrome) is None, (page, chrome)
        assert soup.find("script") is None and soup.find(style=True) is None and soup.find("style") is None
        stylesheets = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
        assert len(stylesheets) == 1 and stylesheets[0].endswith("/css/embed.css"), page
        assert (page.parent / stylesheets[0]).resolve().is_file()


def test_embed_pages_list_the_same_listings_as_their_index_page_opening_in_a_new_tab(sample_site):
    for page in embed_pages(sample_site):
        index = sample_site / page.parent.relative_to(sample_site / "embed") / "index.html"
        on_index = {Path(a["href"]).name for a in soup_of(index).select("main .card__title a")}
        links = soup_of(page).select(".embed__name a")
        assert {Path(a["href"]).name for a in links} == on_index, page
        for link in soup_of(page).select("a[href]"):
            if link["href"].startswith("tel:"):
                continue
            assert link.get("target") == "_blank" and "noopener" in link.get("rel", []), (page, link)
            target = posixpath.normpath(posixpath.join(page.parent.relative_to(sample_site).as_posix(), link["href"]))
            assert (sample_site / target / "index.html").is_file(), (page, link["href"])


def test_index_pages_offer_the_iframe_snippet_in_a_readonly_box(sample_site):
    for kind in ("areas", "types"):
        for page in sorted((sample_site / kind).glob("*/index.html")):
            box = soup_of(page).select_one("textarea#reach-embed-code")
            assert box is not None and box.has_attr("readonly"), page
            assert soup_of(page).select_one(f'label[for="{box["id"]}"]') is not None
            snippet = BeautifulSoup(box.get_text(), "html.parser").find("iframe")
            assert snippet is not None and snippet.get("title"), page
            assert snippet["src"].endswith(f"/embed/{kind}/{page.parent.name}/"), snippet["src"]
            button = soup_of(page).select_one("button[data-copy-from='reach-embed-code']")
            assert button is not None and button.has_attr("hidden"), "the Copy button needs JavaScript"


def test_a_hostile_area_name_stays_text_inside_the_snippet():
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(ROOT / "theme" / "templates"), autoescape=True)
    area = type("Area", (), {"slug": "x", "name": '</textarea><script>alert(1)</script>"'})()
    html = env.get_template("partials/reach.html").render(area=area, SITEURL="", FEED_DOMAIN="https://d.example.org",
                                                          SITENAME="Recovery Directory", THEME_STATIC_DIR="theme/0123")
    soup = BeautifulSoup(html, "html.parser")
    assert [s.get("src", "") for s in soup.find_all("script")] == ["/theme/0123/js/reach/copy.js"]
    iframe = BeautifulSoup(soup.select_one("textarea").get_text(), "html.parser").find("iframe")
    assert iframe["title"] == 'Recovery support: </textarea><script>alert(1)</script>" (Recovery Directory)'
    assert iframe["src"] == "https://d.example.org/embed/areas/x/"


# Headers --------------------------------------------------------------------------------------


def test_only_embed_pages_may_be_framed_in_the_generated_headers():
    assert netlify_headers_for("/embed/areas/leeds/")["Content-Security-Policy"].endswith("frame-ancestors *")
    for path in ("/", "/areas/leeds/", "/organisations/x/", "/posters/leeds/", "/theme/css/embed.css"):
        assert netlify_headers_for(path)["Content-Security-Policy"].endswith("frame-ancestors 'none'"), path
    embed = netlify_headers_for("/embed/types/lero/")
    for name in ("Strict-Transport-Security", "Referrer-Policy", "Permissions-Policy", "X-Content-Type-Options"):
        assert embed[name] == netlify_headers_for("/")[name], "the embed rule keeps every other header"


def test_embed_frame_ancestors_setting_is_used_and_checked():
    settings = load_settings(ROOT / "pelicanconf.py")
    settings["EMBED_FRAME_ANCESTORS"] = "https://practice.example.org https://council.example.net"
    rules = dict(header_rules(settings))
    assert rules["/embed/*"]["Content-Security-Policy"].endswith(
        "frame-ancestors https://practice.example.org https://council.example.net"
    )
    assert rules["/*"]["Content-Security-Policy"].endswith("frame-ancestors 'none'")
    for bad in ("'none'", "*; script-src *", "", "https://a.example.org, https://b.example.org"):
        settings["EMBED_FRAME_ANCESTORS"] = bad
        with pytest.raises(HeaderSettingError, match="EMBED_FRAME_ANCESTORS"):
            header_rules(settings)


# In Chromium ----------------------------------------------------------------------------------

EMBED = "/embed/areas/calderdale/"
AREA = "/areas/calderdale/"


@pytest.fixture(scope="module")
def netlify_server(sample_site):
    """The sample site with the headers Netlify would send for the pages these tests open."""
    rules = [(path, netlify_headers_for(path)) for path in (EMBED, AREA, "/embed/types/lero/")]
    with serve_directory(sample_site, headers=rules) as url:
        yield url


def open_in_frame(page, tmp_path, src: str):
    """Open `src` in an <iframe> on a page served from another loopback origin (another port)."""
    (tmp_path / "index.html").write_text(
        f'<!doctype html><html lang="en"><title>Host</title><iframe src="{src}" title="Embedded list"></iframe></html>',
        encoding="utf-8",
    )
    with serve_directory(tmp_path, headers=[]) as host:
        assert host.rsplit(":", 1)[1] not in src
        with page.expect_response(lambda response: response.url == src):
            page.goto(host + "/")
        page.wait_for_load_state("load")
        return page.frames[1]


@pytest.mark.browser
def test_an_embed_page_can_be_framed_by_another_site(page, netlify_server, tmp_path):
    frame = open_in_frame(page, tmp_path, netlify_server + EMBED)
    assert frame.url == netlify_server + EMBED
    assert frame.locator("h1").inner_text() == "Recovery support: Calderdale"
    assert page.errors == []


@pytest.mark.browser
def test_a_normal_page_refuses_to_be_framed_by_another_site(page, netlify_server, tmp_path):
    frame = open_in_frame(page, tmp_path, netlify_server + AREA)
    assert frame.url != netlify_server + AREA, "Chromium replaces a refused frame with its error page"
    assert frame.locator("h1", has_text="Calderdale").count() == 0
    assert any("frame-ancestors" in error for error in page.errors), page.errors


@pytest.mark.browser
@pytest.mark.parametrize("path", [EMBED, "/embed/types/lero/"])
def test_embed_pages_pass_axe(page, netlify_server, axe, path):
    assert page.goto(netlify_server + path).status == 200
    assert axe(page) == []
    assert page.errors == [] and page.outside_requests == []


@pytest.mark.browser
def test_copy_button_appears_with_javascript_and_copies_the_snippet(page, sample_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=sample_server)
    page.goto(sample_server + AREA)
    button = page.get_by_role("button", name="Copy code")
    button.click()
    snippet = page.locator("#reach-embed-code").input_value()
    assert page.evaluate("() => navigator.clipboard.readText()") == snippet
    assert "Copied" in page.locator("[data-copy-status]").inner_text()
    assert page.errors == []


def test_a_temporarily_closed_service_offers_no_referral_route_anywhere(sample_site):
    """Organisation.takes_referrals: the area page and search say "not taking referrals"; its
    embed, poster and feed entries said "People can refer themselves" beside the warning."""
    import xml.etree.ElementTree as ET

    import yaml

    paused = {path.stem for path in (ROOT / "content" / "organisations").glob("*.yaml")
              if yaml.safe_load(path.read_text(encoding="utf-8")).get("status") == "temporarily_closed"}
    assert paused, "the sample listings have a temporarily closed service"
    seen = {"embed": 0, "poster": 0, "feed": 0}
    routes = ("refer themselves", "Professionals can refer", "contact them yourself", "Ask us about a referral")
    for page in embed_pages(sample_site):
        for item in soup_of(page).select(".embed__item"):
            if Path(item.select_one(".embed__name a")["href"]).name in paused:
                seen["embed"] += 1
                refer = item.select_one(".embed__refer").get_text(" ", strip=True)
                assert refer == "Not taking referrals while temporarily closed.", (page, refer)
    names = {yaml.safe_load((ROOT / "content" / "organisations" / f"{slug}.yaml").read_text(encoding="utf-8"))["name"]
             for slug in paused}
    for poster in (sample_site / "posters").glob("*/index.html"):
        for item in soup_of(poster).select(".poster__item"):
            if item.select_one(".poster__name").get_text(strip=True) in names:
                seen["poster"] += 1
                refer = item.select_one(".poster__refer").get_text(" ", strip=True)
                assert refer == "Temporarily closed: not taking referrals.", (poster, refer)
    atom = "{http://www.w3.org/2005/Atom}"
    for feed in (sample_site / "feeds").rglob("*.atom.xml"):
        for entry in ET.parse(feed).getroot().iter(f"{atom}entry"):
            link = entry.find(f"{atom}link").get("href").rstrip("/")
            if link.rsplit("/", 1)[-1] in paused:
                seen["feed"] += 1
                text = BeautifulSoup(entry.find(f"{atom}content").text, "html.parser").get_text(" ")
                assert "Not taking referrals while temporarily closed." in text, feed
                assert not any(route in text for route in routes), (feed, text)
    assert all(seen.values()), seen
