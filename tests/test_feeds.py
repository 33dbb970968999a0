"""Atom feeds (/feeds/…): valid Atom, one entry per listing on the matching index page, newest
first, links that reach built pages, stable ids and byte-for-byte reproducible output."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from recovery_directory.listing.model import Organisation, Phone, Referral
from recovery_directory.listing.schema import labels
from recovery_directory.outputs.feeds import FeedSettingError, FeedSpec, atom_feed, tag_uri

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://directory.example.org/"  # stands in for the feed's own address when resolving links


def built_feeds(site: Path) -> list[Path]:
    return sorted((site / "feeds").rglob("*.atom.xml"))


def listing_links(site: Path, index_page: Path) -> set[str]:
    """The listing URLs an index page shows, as site paths (organisations/<slug>/)."""
    soup = BeautifulSoup(index_page.read_text(encoding="utf-8"), "html.parser")
    page_url = BASE + index_page.relative_to(site).as_posix()
    return {urlsplit(urljoin(page_url, link["href"])).path.lstrip("/") for link in soup.select("main .card__title a")}


def feed_links(site: Path, feed: Path) -> set[str]:
    parsed = feedparser.parse(feed.read_bytes())
    feed_url = BASE + feed.relative_to(site).as_posix()
    return {urlsplit(urljoin(feed_url, entry.link)).path.lstrip("/") for entry in parsed.entries}


def test_every_area_and_type_page_has_a_feed_and_the_whole_directory_has_one(sample_site):
    feeds = {path.relative_to(sample_site).as_posix() for path in built_feeds(sample_site)}
    areas = {p.parent.name for p in (sample_site / "areas").glob("*/index.html")}
    types = {p.parent.name for p in (sample_site / "types").glob("*/index.html")}
    assert areas and types
    expected = {"feeds/all.atom.xml"} | {f"feeds/areas/{a}.atom.xml" for a in areas}
    expected |= {f"feeds/types/{t}.atom.xml" for t in types}
    assert feeds == expected


def test_feeds_are_well_formed_atom_that_feedparser_reads_without_complaint(sample_site):
    for feed in built_feeds(sample_site):
        root = etree.fromstring(feed.read_bytes())  # raises on malformed XML
        assert root.tag == f"{ATOM}feed", feed
        for required in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{required}") is not None, (feed, required)
        assert root.find(f"{ATOM}author/{ATOM}name") is not None, "feed-level author (entries have none)"
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        for entry in parsed.entries:
            assert entry.id.startswith("tag:") and entry.title and entry.link and entry.updated
            assert entry.summary and "How to refer" in entry.content[0].value


def test_each_feed_lists_exactly_the_listings_on_its_index_page(sample_site):
    for kind in ("areas", "types"):
        for page in sorted((sample_site / kind).glob("*/index.html")):
            feed = sample_site / "feeds" / kind / f"{page.parent.name}.atom.xml"
            entries = feedparser.parse(feed.read_bytes()).entries
            on_page = listing_links(sample_site, page)
            assert len(entries) == len(on_page), feed
            assert feed_links(sample_site, feed) == on_page, feed


def test_the_all_feed_has_every_listed_organisation_and_no_closed_one(sample_site):
    links = feed_links(sample_site, sample_site / "feeds" / "all.atom.xml")
    a_to_z = listing_links(sample_site, sample_site / "organisations" / "index.html")
    assert links == a_to_z and len(links) >= 10
    assert "organisations/camden-sober-social-club/" not in links, "a closed sample listing"


def test_entry_links_resolve_to_built_listing_pages(sample_site):
    for feed in built_feeds(sample_site):
        for path in feed_links(sample_site, feed):
            assert (sample_site / path / "index.html").is_file(), (feed, path)
        root = etree.fromstring(feed.read_bytes())
        page = root.find(f"{ATOM}link[@rel='alternate']").get("href")
        page_path = urlsplit(urljoin(BASE + feed.relative_to(sample_site).as_posix(), page)).path.lstrip("/")
        assert (sample_site / page_path / "index.html").is_file(), (feed, page)


def test_entries_are_newest_first_by_last_verified(sample_site):
    entries = feedparser.parse((sample_site / "feeds" / "all.atom.xml").read_bytes()).entries
    dates = [entry.updated_parsed for entry in entries]
    assert dates == sorted(dates, reverse=True)
    feed_updated = feedparser.parse((sample_site / "feeds" / "all.atom.xml").read_bytes()).feed.updated_parsed
    assert feed_updated == dates[0], "the feed is dated by its newest entry, not the build time"


def test_a_local_build_without_siteurl_uses_links_relative_to_the_feed(sample_site):
    root = etree.fromstring((sample_site / "feeds" / "areas" / "calderdale.atom.xml").read_bytes())
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "calderdale.atom.xml"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "../../areas/calderdale/"
    for entry in root.iter(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}link").get("href").startswith("../../organisations/")


def test_index_pages_link_to_their_feed_for_readers_and_people(sample_site):
    for kind in ("areas", "types"):
        for page in sorted((sample_site / kind).glob("*/index.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            feed = f"feeds/{kind}/{page.parent.name}.atom.xml"
            alternate = soup.select_one('head link[rel="alternate"][type="application/atom+xml"]')
            assert alternate is not None and alternate.get("title"), page
            assert posixpath.normpath(posixpath.join(f"{kind}/{page.parent.name}", alternate["href"])) == feed
            subscribe = soup.select_one("a.reach__feed")
            assert subscribe is not None and "Subscribe" in subscribe.get_text(), page
            assert posixpath.normpath(posixpath.join(f"{kind}/{page.parent.name}", subscribe["href"])) == feed
            assert "A feed is" in subscribe.find_parent("section").get_text(), "says what a feed is"


@pytest.mark.slow
def test_rebuilding_gives_identical_feeds(sample_site, tmp_path):
    from site_tools import build_site

    build_site(tmp_path)
    for feed in built_feeds(sample_site):
        assert (tmp_path / feed.relative_to(sample_site)).read_bytes() == feed.read_bytes(), feed


# The feed builder directly: absolute links, escaping, ids, settings errors -------------------


def organisation(**overrides) -> Organisation:
    values = dict(
        slug="example-cafe", source_path="content/organisations/example-cafe.yaml",
        name="Example <Café> & Co (sample listing)", types=("lero",),
        summary="Peer-led <b>café</b> & drop-in.", last_verified=dt.date(2026, 10, 1),
        phones=(Phone("0113 496 0123", "0113 496 0123", "tel:+44-113-496-0123", "Mon–Fri"),),
        referral=Referral(True, True, "Ring us <script>alert(1)</script>", "https://example.org/refer"),
        areas_served=("Calderdale",),
    )
    return Organisation(**{**values, **overrides})


SETTINGS = {
    "SITENAME": "Recovery Directory", "DEFAULT_LANG": "en-GB", "SITEURL": "https://directory.example.org",
    "FEED_DOMAIN": "https://directory.example.org", "FEED_ID_AUTHORITY": "recovery-directory.github.io",
    "FEED_ID_DATE": "2026",
}


def render(orgs: list[Organisation], settings: dict = SETTINGS) -> str:
    spec = FeedSpec("feeds/areas/calderdale.atom.xml", "Calderdale", "Listings", "areas/calderdale/", orgs)
    return atom_feed(spec, settings, labels("types"), dt.date(2026, 1, 1))


def test_with_a_site_address_every_link_is_absolute():
    text = render([organisation()])
    root = etree.fromstring(text.encode("utf-8"))
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://directory.example.org/feeds/areas/calderdale.atom.xml"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "https://directory.example.org/areas/calderdale/"
    entry = feedparser.parse(text).entries[0]
    assert entry.link == "https://directory.example.org/organisations/example-cafe/"
    assert entry.id == "tag:recovery-directory.github.io,2026:organisations/example-cafe/"


def test_contributor_text_cannot_inject_markup_into_entries():
    entry = feedparser.parse(render([organisation()])).entries[0]
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert content.find("script") is None and content.find("b") is None
    assert "Ring us <script>alert(1)</script>" in content.get_text()
    summary = BeautifulSoup(entry.summary, "html.parser")
    assert summary.find("b") is None and summary.get_text() == "Peer-led <b>café</b> & drop-in."
    assert entry.title == "Example <Café> & Co (sample listing)"


def test_entry_ids_do_not_change_with_the_sites_address():
    moved = {**SETTINGS, "SITEURL": "https://new.example.net", "FEED_DOMAIN": "https://new.example.net"}
    assert feedparser.parse(render([organisation()], moved)).entries[0].id == feedparser.parse(
        render([organisation()])
    ).entries[0].id


def test_an_empty_feed_is_still_valid_and_dated_without_the_clock():
    parsed = feedparser.parse(render([]))
    assert not parsed.bozo and parsed.entries == []
    assert parsed.feed.updated.startswith("2026-01-01")


@pytest.mark.parametrize(
    ("authority", "date"),
    [("https://example.org", "2026"), ("example", "2026"), ("example.org", "26"), ("example.org", "")],
)
def test_bad_id_settings_are_explained(authority, date):
    with pytest.raises(FeedSettingError, match="FEED_ID_"):
        tag_uri({"FEED_ID_AUTHORITY": authority, "FEED_ID_DATE": date}, "organisations/x/")


# exports/atom.py writes what feedgenerator's Atom1Feed wrote, byte for byte ------------------


def feedgenerator_feed(spec: FeedSpec, settings: dict, fallback: dt.date) -> str:
    """The feed as feedgenerator wrote it before exports/atom.py: the reference for the bytes."""
    import io

    from feedgenerator import Atom1Feed
    from markupsafe import escape
    from recovery_directory.listing.text import long_date
    from recovery_directory.outputs.feeds import entry_body, link_from, newest_first
    from recovery_directory.public import public_record

    class Fixed(Atom1Feed):
        def latest_post_date(self):
            return self.fixed

    entries = newest_first(spec.organisations)
    updated = entries[0].last_verified if entries else fallback
    midnight = lambda d: dt.datetime.combine(d, dt.time(0, 0), tzinfo=dt.UTC)  # noqa: E731
    feed = Fixed(
        title=spec.title, link=link_from(settings, spec.page_path, spec.save_as), description=spec.subtitle,
        language=settings.get("DEFAULT_LANG") or "en-GB", author_name=settings["SITENAME"],
        feed_url=link_from(settings, spec.save_as, spec.save_as), feed_guid=tag_uri(settings, spec.save_as),
    )
    feed.fixed = midnight(updated)
    for org in entries:
        link = link_from(settings, org.url, spec.save_as)
        feed.add_item(
            title=org.name, link=link, description=str(escape(org.summary)),
            content=entry_body(public_record(org), labels("types"))
            + f"<p>Details last verified {escape(long_date(org.last_verified))}. "
            + f'<a href="{escape(link)}">Full listing, with hours and locations</a>.</p>',
            unique_id=tag_uri(settings, org.url), updateddate=midnight(org.last_verified),
            categories=[labels("types")[code] for code in org.types],
        )
    out = io.StringIO()
    feed.write(out, "utf-8")
    return out.getvalue()


@pytest.mark.parametrize("settings", [SETTINGS, {**SETTINGS, "SITEURL": "", "FEED_DOMAIN": "", "DEFAULT_LANG": None}])
def test_the_feed_is_byte_for_byte_what_feedgenerator_wrote(settings):
    orgs = [
        organisation(),
        organisation(
            slug="quotes-caf\u00e9", name="\"Double\" and 'single' quotes\nacross lines\tand tabs",
            summary="", types=("mutual_aid", "lero"), last_verified=dt.date(2026, 11, 2), phones=(),
            referral=Referral(False, False, "", ""), status="temporarily_closed", email="a&b@example.org",
        ),
        organisation(slug="older", name="Older", last_verified=dt.date(2025, 1, 31), areas_served=("national",)),
    ]
    spec = FeedSpec("feeds/areas/calder-dale.atom.xml", "Calder \"&\" <Dale>", "", "areas/calder-dale/", orgs)
    assert atom_feed(spec, settings, labels("types"), dt.date(2026, 1, 1)) == feedgenerator_feed(
        spec, settings, dt.date(2026, 1, 1)
    )
    empty = FeedSpec("feeds/all.atom.xml", "All", "Every listing", "", [])
    assert atom_feed(empty, settings, labels("types"), dt.date(2026, 1, 1)) == feedgenerator_feed(
        empty, settings, dt.date(2026, 1, 1)
    )


def test_control_characters_are_refused_as_feedgenerator_refused_them():
    from feedgenerator.django.utils.xmlutils import UnserializableContentError

    with pytest.raises(UnserializableContentError):
        render([organisation(name="Bell \x07 ringing")])
