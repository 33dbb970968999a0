"""Other tools can read what we publish: meeting finders see every meeting the way we mean it
(TSML UI's rules, read from code4recovery/tsml-ui's loadMeetingData, applied to our feed), other
websites' scripts may fetch /data/* (and nothing else), Open Referral URLs are valid URIs, the
listing page shows how to join online sessions, and the CSV template imports as it is."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from import_tools import SAMPLE_CACHE, SAMPLES, import_into
from recovery_directory.directory import Directory
from recovery_directory.exports.common import ExportContext, uri
from recovery_directory.exports.hsds import hsds_document
from recovery_directory.exports.meeting_guide import meeting_guide_feed
from recovery_directory.listing.model import build_organisation
from recovery_directory.listing.validate import check_file
from recovery_directory.outputs.open_data import FILES
from recovery_directory.preview import serve_directory

# TSML UI's default conference_providers: a conference_url on another host is dropped as unknown.
CONFERENCE_HOSTS = (
    "zoom.us",
    "meet.google.com",
    "meet.jit.si",
    "teams.microsoft.com",
    "teams.live.com",
    "webex.com",
    "gotomeeting.com",
    "goto.com",
    "skype.com",
    "bluejeans.com",
    "freeconferencecall.com",
)


def finder_view(meeting: dict[str, Any]) -> dict[str, bool] | None:
    """How TSML UI classes a feed entry (None: dropped for having no address at all)."""
    formatted = meeting.get("formatted_address") or ", ".join(
        filter(
            None,
            (
                meeting.get("address"),
                meeting.get("city"),
                f"{meeting.get('state', '')} {meeting.get('postal_code', '')}".strip(),
                meeting.get("country"),
            ),
        )
    )
    if not formatted:
        return None
    approximate = meeting.get("approximate")
    if isinstance(approximate, str):
        approximate = approximate.lower() == "yes"
    elif not isinstance(approximate, bool):
        approximate = len(formatted.split(",")) < 4
    url = meeting.get("conference_url", "")
    host = url.split("/")[2] if url.count("/") >= 2 else ""
    online = any(host.endswith(known) for known in CONFERENCE_HOSTS) or bool(meeting.get("conference_phone"))
    in_person = "TC" not in meeting.get("types", []) and not approximate
    return {"online": online, "in_person": in_person, "active": online or in_person}


def organisation(slug: str, **fields: Any) -> Any:
    data = {
        "name": f"{slug.title()} (sample listing)",
        "types": ["mutual_aid"],
        "areas_served": ["Leeds"],
        "summary": "A fictional group used by the meeting finder tests.",
        "last_verified": "2026-03-01",
        **fields,
    }
    return build_organisation(data, slug, f"content/organisations/{slug}.yaml")


HOURS = [{"days": ["tue"], "opens": "19:00", "closes": "20:00"}]
LOCATION_SHAPES = {
    "town and postcode only": {"town": "Leeds", "postcode": "LS1 1UR"},
    "street and town, no postcode": {"address": "1 Example Street", "town": "Leeds"},
    "town and map position only": {"town": "Leeds", "coordinates": {"lat": 53.8, "lon": -1.55}},
    "everything": {
        "name": "Hall",
        "address": "1 Example Street",
        "town": "Leeds",
        "postcode": "LS1 1UR",
        "coordinates": {"lat": 53.8, "lon": -1.55},
    },
}


@pytest.mark.parametrize("shape", LOCATION_SHAPES)
def test_every_shape_of_location_is_an_active_in_person_meeting_to_finders(shape):
    org = organisation("shape", locations=[{**LOCATION_SHAPES[shape], "hours": HOURS}])
    (meeting,) = meeting_guide_feed(Directory([org]), ExportContext())
    assert finder_view(meeting) == {"online": False, "in_person": True, "active": True}


def test_online_sessions_are_active_online_meetings_and_hybrid_ones_are_both():
    org = organisation(
        "online",
        locations=[
            {
                "town": "Leeds",
                "postcode": "LS1 1UR",
                "hours": [{**HOURS[0], "join_url": "https://zoom.us/j/0000000000"}],
            }
        ],
        online_hours=[
            {
                "days": ["sun"],
                "opens": "20:00",
                "closes": "21:00",
                "join_phone": "0113 496 0123",
                "join_notes": "PIN 1234",
            },
            {"days": ["mon"], "opens": "20:00", "closes": "21:00"},
        ],  # no public link: left out
    )
    hybrid, phone = meeting_guide_feed(Directory([org]), ExportContext())
    assert finder_view(hybrid) == {"online": True, "in_person": True, "active": True}
    assert hybrid["conference_url"] == "https://zoom.us/j/0000000000"
    assert finder_view(phone) == {"online": True, "in_person": False, "active": True}
    assert (phone["conference_phone"], phone["conference_phone_notes"]) == ("+441134960123", "PIN 1234")
    assert re.fullmatch(r"\+?[0-9,*#]+", phone["conference_phone"]), "the spec: digits, + , * and # only"


def test_the_sample_feed_shows_every_meeting_as_the_listing_means_it(sample_site):
    feed = json.loads((sample_site / FILES["meetings"]).read_text(encoding="utf-8"))
    assert feed
    for meeting in feed:
        view = finder_view(meeting)
        assert view is not None and view["active"], meeting["slug"]
        at_venue = meeting.get("approximate") == "no"
        assert view["in_person"] == (at_venue and "TC" not in meeting["types"]), meeting["slug"]
        assert view["online"] == bool(
            meeting.get("conference_url", "").startswith("https://zoom.us") or meeting.get("conference_phone")
        ), meeting["slug"]
    assert any(finder_view(m)["online"] and not finder_view(m)["in_person"] for m in feed), (
        "the sample's online session"
    )


# --- CORS: /data/* only -------------------------------------------------------------------------


def headers_of(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as reply:  # noqa: S310 - loopback test server
        return {k.lower(): v for k, v in reply.headers.items()}


def test_open_data_files_and_only_they_may_be_read_by_other_sites(sample_server, sample_site):
    for path in FILES.values():
        assert headers_of(f"{sample_server}/{path}").get("access-control-allow-origin") == "*", path
    for page in ("/", "/organisations/", "/search/", "/schema/organisation.schema.json"):
        assert "access-control-allow-origin" not in headers_of(f"{sample_server}{page}"), page


@pytest.mark.browser
def test_a_page_on_another_site_can_fetch_the_meetings_feed(sample_server, page, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Other site</title>", encoding="utf-8")
    with serve_directory(tmp_path, headers=[]) as other_site:
        page.goto(f"{other_site}/")
        count = page.evaluate(
            "url => fetch(url).then(r => r.json()).then(feed => feed.length)", f"{sample_server}/{FILES['meetings']}"
        )
        assert count == len(json.loads(urllib.request.urlopen(f"{sample_server}/{FILES['meetings']}").read()))  # noqa: S310
        refused = page.evaluate("url => fetch(url).then(() => 'read', () => 'refused')", f"{sample_server}/about/")
        assert refused == "refused", "pages are not open to other sites' scripts"


# --- Open Referral URIs -------------------------------------------------------------------------

# RFC 3986 `URI` (absolute): scheme ":" hier-part, only unreserved, reserved and %HH characters.
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+")


def uri_fields(document: dict[str, Any]) -> list[str]:
    return [
        row[key]
        for table, rows in document.items()
        if isinstance(rows, list)
        for row in rows
        if isinstance(row, dict)
        for key in ("uri", "url", "website")
        if key in row
    ]


def test_open_referral_urls_are_valid_absolute_uris_in_deploy_builds():
    org = organisation("café", website="https://example.org/café menu|today?q=a b", locations=[])
    org2 = organisation("idn", website="https://bücher.example/ä")
    document = hsds_document(Directory([org, org2]), ExportContext("https://recovery.example.org"))
    found = uri_fields(document)
    assert "https://example.org/caf%C3%A9%20menu%7Ctoday?q=a%20b" in found
    assert "https://xn--bcher-kva.example/%C3%A4" in found
    assert all(URI.fullmatch(value) for value in found), found
    local = hsds_document(Directory([org]), ExportContext())
    assert all(URI.fullmatch(value) for value in uri_fields(local)), "a local build leaves relative addresses out"


def test_uri_keeps_what_is_already_valid():
    for value in ("https://example.org/a%20b?x=1&y=2#top", "http://example.org:8080/path/", "https://example.org"):
        assert uri(value) == value


def test_the_published_open_referral_file_has_only_absolute_uris(published_site):
    document = json.loads((published_site / FILES["openreferral"]).read_text(encoding="utf-8"))
    values = uri_fields(document)
    assert values and all(URI.fullmatch(v) and v.startswith(("https://", "http://")) for v in values)


@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from site_tools import build_site

    output = tmp_path_factory.mktemp("published-site-readers")
    build_site(output, extra=["-e", 'SITEURL="https://recovery.example.org"'])
    return output


# --- the listing page and the CSV template ------------------------------------------------------


def test_listing_page_shows_how_to_join_each_online_session(sample_site):
    import yaml

    listing = yaml.safe_load((SAMPLES / "halifax-mutual-aid-meetings.yaml").read_text(encoding="utf-8"))
    html = (sample_site / "organisations" / "halifax-mutual-aid-meetings" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    section = soup.find(id="online-sessions").find_parent("section")
    items = section.find_all("li")
    assert len(items) == len(listing["online_hours"])
    for item, session in zip(items, listing["online_hours"], strict=True):
        assert session["note"] in item.get_text()
        link = next(a for a in item.find_all("a") if a.get_text().startswith("Join online"))
        assert link["href"] == session["join_url"] and "noopener" in link["rel"]
        dial = item.find("a", href=re.compile("^tel:"))
        assert dial.get_text() == session["join_phone"] and session["join_notes"] in item.get_text()
    venue_dial_ins = [h for loc in listing["locations"] for h in loc["hours"] if h.get("join_phone")]
    tel_links = soup.select(".location .hours a[href^='tel:']")
    assert [a.get_text() for a in tel_links] == [h["join_phone"] for h in venue_dial_ins]


def test_the_downloadable_template_imports_cleanly(sample_site, tmp_path):
    template = sample_site / FILES["import_template"]
    report = import_into("csv", template, tmp_path, SAMPLE_CACHE)
    assert report.problems == [] and len(report.added) == 1
    (path,) = tmp_path.glob("*.yaml")
    assert check_file(path).ok
    page = (sample_site / "open-data" / "index.html").read_text(encoding="utf-8")
    links = {a["href"] for a in BeautifulSoup(page, "html.parser").find_all("a", href=True)}
    assert any(href.endswith("data/import-template.csv") for href in links)
