"""Open data: the files under /data/ agree with the listings and with each other, follow their
formats (RFC 7946, HSDS 3.0, the Meeting Guide spec) and are safe and reproducible."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from recovery_directory.directory import Directory
from recovery_directory.exports.common import BuildDateError, ExportContext, build_date, export_context
from recovery_directory.exports.csv_table import safe_cell
from recovery_directory.exports.hsds import hsds_document, hsds_id
from recovery_directory.exports.meeting_guide import meeting_guide_feed, meeting_slug
from recovery_directory.exports.organisations_csv import COLUMNS, columns, csv_rows, extra_columns, organisations_csv
from recovery_directory.exports.organisations_geojson import organisations_geojson
from recovery_directory.exports.organisations_json import organisations_document
from recovery_directory.listing.model import build_organisation
from recovery_directory.listing.schema import labels
from recovery_directory.outputs.open_data import FILES
from site_tools import build_site

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = sorted((ROOT / "content" / "organisations").glob("*.yaml"))
UK_LON, UK_LAT = (-8.7, 1.8), (49.8, 60.9)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
DAY_NUMBER = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}

# HSDS 3.0 required fields and enums, from REFERENCE.md §4 (openreferral/specification v3.0).
HSDS_REQUIRED = {
    "organizations": {"id", "name", "description"},
    "services": {"id", "name", "status"},
    "locations": {"id", "location_type"},
    "service_at_locations": {"id"},
    "schedules": {"id"},
    "taxonomy_terms": {"id", "name", "description"},
    "service_areas": {"id"},
    "phones": {"id", "number"},
    "addresses": {"id", "address_1", "city", "state_province", "postal_code", "country", "address_type"},
}
HSDS_ENUMS = {
    ("services", "status"): {"active", "inactive", "defunct", "temporarily closed"},
    ("locations", "location_type"): {"physical", "postal", "virtual"},
    ("schedules", "freq"): {"WEEKLY", "MONTHLY"},
}
BYDAY = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$")


# --- the listings as written, read without the project's model, to check the exports against ---

def published_listings() -> list[dict[str, Any]]:
    found = []
    for path in LISTINGS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status", "active") != "closed":
            found.append({**data, "slug": path.stem})
    return found


def session_hours(item: dict[str, Any]) -> list[dict[str, Any]]:
    """A listing's meetings for the Meeting Guide feed: every venue session, and the online ones
    people can join (a link or dial-in number)."""
    at_venues = [hours for location in item.get("locations", []) for hours in location.get("hours", [])]
    return at_venues + [h for h in item.get("online_hours", []) if h.get("join_url") or h.get("join_phone")]


def read_json(site: Path, key: str) -> Any:
    return json.loads((site / FILES[key]).read_text(encoding="utf-8"))


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte-order mark for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


# --- synthetic listings for the rules the sample data doesn't exercise ---

def make_org(slug: str, **fields: Any) -> Any:
    data = {
        "name": f"{slug.replace('-', ' ').title()} (sample listing)",
        "types": ["mutual_aid"],
        "summary": "A fictional listing used by the open data tests.",
        "areas_served": ["Leeds"],
        "last_verified": "2026-03-01",
        **fields,
    }
    org = build_organisation(data, slug, f"content/organisations/{slug}.yaml")
    for location in org.locations:
        location.local_authority = location.local_authority or "Leeds"
    return org


def place(hours: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    return {"name": "Hall", "address": "1 Example Street", "town": "Leeds", "postcode": "LS1 1AA",
            "coordinates": {"lat": 53.8, "lon": -1.55}, "hours": hours or [], **fields}


# --- counts: nothing lost, nothing extra ---

def test_every_export_counts_the_same_published_listings(sample_site):
    listings = published_listings()
    locations = sum(len(item.get("locations", [])) for item in listings)
    without_location = sum(1 for item in listings if not item.get("locations"))
    sessions = sum(
        len(hours["days"])
        for item in listings if "mutual_aid" in item["types"]
        for hours in session_hours(item)
    )

    document = read_json(sample_site, "organisations_json")
    assert document["count"] == len(document["organisations"]) == len(listings)
    assert sorted(org["slug"] for org in document["organisations"]) == sorted(item["slug"] for item in listings)

    rows = read_csv(sample_site / FILES["organisations_csv"])
    assert len(rows) == locations + without_location
    features = read_json(sample_site, "organisations_geojson")["features"]
    assert len(features) == locations  # every sample location has a map position
    assert len(read_json(sample_site, "meetings")) == sessions > 0

    hsds = read_json(sample_site, "openreferral")
    assert len(hsds["organizations"]) == len(hsds["services"]) == len(listings)
    virtual = sum(1 for item in listings if not item.get("locations") or item.get("online_hours"))
    assert len(hsds["service_at_locations"]) == locations + virtual
    assert len(hsds["schedules"]) == sum(
        len(loc.get("hours", []))
        for item in listings for loc in [*item.get("locations", []), {"hours": item.get("online_hours", [])}]
    ) + sum(  # a 24/7 service with no hours gets one every-day schedule
        1 for item in listings
        if item.get("open_24_7") and not any(loc.get("hours") for loc in item.get("locations", []))
    )


def test_closed_listings_are_in_no_export_and_temporarily_closed_keep_their_status(sample_site):
    closed = [p.stem for p in LISTINGS if yaml.safe_load(p.read_text(encoding="utf-8")).get("status") == "closed"]
    assert closed, "the sample data should include a closed listing"
    for key in FILES:
        text = (sample_site / FILES[key]).read_text(encoding="utf-8-sig")
        for slug in closed:
            assert slug not in text, f"closed listing {slug} leaked into {FILES[key]}"
    statuses = {org["slug"]: org["status"] for org in read_json(sample_site, "organisations_json")["organisations"]}
    assert statuses["leeds-families-together"] == "temporarily_closed"
    hsds = read_json(sample_site, "openreferral")
    assert "temporarily closed" in {service["status"] for service in hsds["services"]}


# --- GeoJSON ---

def test_geojson_is_rfc7946_with_uk_lon_lat_points(sample_site):
    collection = read_json(sample_site, "organisations_geojson")
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    ids = [feature["id"] for feature in collection["features"]]
    assert len(ids) == len(set(ids))
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert UK_LON[0] <= lon <= UK_LON[1] and UK_LAT[0] <= lat <= UK_LAT[1], feature["id"]
    by_id = {feature["id"]: feature for feature in collection["features"]}
    assert by_id["pennine-recovery-homes-1"]["geometry"]["coordinates"] == [-2.0125, 53.7418]  # from the listing


# --- CSV ---

def test_csv_reads_back_to_the_same_values_as_the_json(sample_site):
    rows = read_csv(sample_site / FILES["organisations_csv"])
    assert list(rows[0]) == list(columns())
    assert list(rows[0])[: len(COLUMNS)] == list(COLUMNS), "the documented columns stay first, in their order"
    document = {org["slug"]: org for org in read_json(sample_site, "organisations_json")["organisations"]}
    for row in rows:
        org = document[row["slug"]]
        for column in extra_columns():  # fields newer than COLUMNS: lists joined with "; "
            value = org[column]
            assert row[column] == ("; ".join(value) if isinstance(value, list) else str(value or "")), column
        assert row["name"] == org["name"] and row["url"] == org["url"] and row["summary"] == org["summary"]
        assert row["types"].split("; ") == org["types"]
        assert row["areas_served"].split("; ") == org["areas_served"]
        if not row["location_number"]:
            assert org["locations"] == []
            continue
        location = org["locations"][int(row["location_number"]) - 1]
        assert row["postcode"] == location["postcode"] and row["town"] == location["town"]
        assert (float(row["latitude"]), float(row["longitude"])) == (
            location["coordinates"]["lat"], location["coordinates"]["lon"])
        assert row["accessibility"] == "; ".join(location["accessibility"])


def test_csv_round_trips_untrusted_text_and_disarms_formulas():
    org = make_org(
        "formula-test",
        name="=HYPERLINK(\"https://example.org\",\"Click\")",
        summary="+44 is not a formula but must not be read as one; so it is guarded.",
        email="hello@example.org",
        referral={"how": "@SUM(A1:A2) or \"quoted\", with commas\nand a new line", "self": True},
        areas_served=["Leeds", "Bradford"],
        locations=[place([{"days": ["mon", "tue"], "opens": "09:00", "closes": "17:00", "note": "a; b"}],
                        accessibility=["step_free", "parking"], coordinates={"lat": 53.8, "lon": -1.55})],
    )
    context = ExportContext("https://example.org")
    expected = csv_rows(Directory([org]), context)
    read = list(csv.DictReader(io.StringIO(organisations_csv(Directory([org]), context).decode("utf-8-sig"))))
    assert len(read) == len(expected) == 1
    row = read[0]
    assert row["name"] == "'" + org.name
    assert row["summary"] == "'" + org.summary
    assert row["referral_how"] == "'" + org.referral.how  # newline and quotes survive
    assert row["longitude"] == "-1.55"  # numbers are not text: no apostrophe
    assert row["areas_served"].split("; ") == ["Leeds", "Bradford"]
    assert row["accessibility"].split("; ") == ["step_free", "parking"]
    assert row["hours"] == "mon,tue 09:00-17:00 (a, b)"  # "; " inside a value can't split it
    assert row == {key: str(safe_cell(value)) for key, value in expected[0].items()}


def test_listing_without_a_location_gets_one_csv_row_and_no_feature():
    org = make_org("online-only", attendance=["online"], areas_served=["national"])
    context = ExportContext()
    rows = csv_rows(Directory([org]), context)
    assert len(rows) == 1 and rows[0]["location_number"] == "" and rows[0]["postcode"] == ""
    assert rows[0]["url"] == "/organisations/online-only/"  # root-relative without SITEURL
    assert organisations_geojson(Directory([org]), context)["features"] == []


# --- Open Referral UK / HSDS 3.0 ---

def test_hsds_has_required_fields_enums_and_uuid_ids(sample_site):
    hsds = read_json(sample_site, "openreferral")
    assert hsds["hsds_version"] == "3.0"
    all_ids = set()
    for table, required in HSDS_REQUIRED.items():
        assert hsds[table], f"{table} is empty"
        for record in hsds[table]:
            missing = required - {key for key, value in record.items() if value not in (None, "")}
            assert not missing, f"{table} record lacks {missing}: {record}"
    for table, records in hsds.items():
        if not isinstance(records, list):
            continue
        for record in records:
            for key, value in record.items():
                if key == "id" or key.endswith("_id"):
                    assert UUID.match(value) and uuid.UUID(value).version == 5, (table, key, value)
            assert record["id"] not in all_ids, f"duplicate id in {table}"
            all_ids.add(record["id"])
    for (table, field), allowed in HSDS_ENUMS.items():
        assert {record[field] for record in hsds[table] if field in record} <= allowed
    for schedule in hsds["schedules"]:
        assert BYDAY.match(schedule["byday"]) and HHMM.match(schedule["opens_at"]) and HHMM.match(schedule["closes_at"])
    for address in hsds["addresses"]:
        assert address["country"] == "GB" and address["address_type"] == "physical"
    for location in hsds["locations"]:
        assert isinstance(location.get("latitude", 0.0), float) and isinstance(location.get("longitude", 0.0), float)


def test_hsds_links_resolve(sample_site):
    hsds = read_json(sample_site, "openreferral")
    ids = {table: {record["id"] for record in hsds[table]} for table in hsds if isinstance(hsds[table], list)}
    links = {"organization_id": "organizations", "service_id": "services", "location_id": "locations",
             "service_at_location_id": "service_at_locations", "taxonomy_id": "taxonomies",
             "taxonomy_term_id": "taxonomy_terms"}
    for table, records in hsds.items():
        if isinstance(records, list):
            for record in records:
                for key, target in links.items():
                    if key in record:
                        assert record[key] in ids[target], f"{table}.{key} points nowhere"
    assert {a["link_id"] for a in hsds["attributes"]} <= ids["services"]


def test_hsds_ids_are_stable_uuid5s():
    # Locks the namespace: changing it would silently re-identify every published record.
    assert hsds_id("organization", "calder-valley-recovery-cafe") == str(
        uuid.uuid5(uuid.UUID("da4796c3-ba55-44a6-bf73-0d2f6b17dbf7"), "organization/calder-valley-recovery-cafe"))
    org = make_org("stable", locations=[place([{"days": ["mon"], "opens": "10:00", "closes": "24:00"}])])
    first, second = hsds_document(Directory([org]), ExportContext()), hsds_document(Directory([org]), ExportContext())
    assert first == second
    assert first["schedules"][0]["closes_at"] == "23:59"


def test_hsds_ids_are_what_uuid5_gives_for_every_variant_digit():
    namespace = uuid.UUID("da4796c3-ba55-44a6-bf73-0d2f6b17dbf7")
    names = [("schedule", f"caf\u00e9-{n}", n % 7) for n in range(400)]  # all four variant digits come up
    assert {hsds_id(*parts)[19] for parts in names} == set("89ab")
    for parts in names:
        assert hsds_id(*parts) == str(uuid.uuid5(namespace, "/".join(map(str, parts))))


# --- Meeting Guide ---

def test_meeting_guide_days_and_times_match_the_listings(sample_site):
    feed = read_json(sample_site, "meetings")
    expected = sorted(
        (item["slug"], DAY_NUMBER[day], hours["opens"], hours["closes"])
        for item in published_listings() if "mutual_aid" in item["types"]
        for hours in session_hours(item) for day in hours["days"]
    )
    got = sorted((entry["url"].rstrip("/").rsplit("/", 1)[-1], entry["day"], entry["time"], entry["end_time"])
                 for entry in feed)
    assert got == expected
    slugs = [entry["slug"] for entry in feed]
    assert len(slugs) == len(set(slugs))
    for entry in feed:
        assert entry["name"] and len(entry["name"]) <= 255
        assert re.fullmatch(r"[a-z0-9-]{1,64}", entry["slug"])
        assert HHMM.match(entry["time"]) and HHMM.match(entry["end_time"]) and 0 <= entry["day"] <= 6
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", entry["updated"])
    smart = next(entry for entry in feed if entry["slug"] == "halifax-mutual-aid-meetings-1-1-tue")
    assert (smart["day"], smart["time"], smart["end_time"]) == (2, "18:30", "20:00")
    assert smart["name"] == "SMART Recovery meeting"
    assert "W" not in smart["types"]  # the listing is for adults and women: not a women-only meeting


def test_meeting_guide_sunday_types_and_exclusions():
    women = make_org(
        "womens-circle", audiences=["women"], status="temporarily_closed",
        locations=[place([{"days": ["sun", "sat"], "opens": "10:30", "closes": "12:00"}], accessibility=["step_free"])],
    )
    monday = [{"days": ["mon"], "opens": "09:00", "closes": "17:00"}]
    not_mutual_aid = make_org("cafe", types=["lero"], locations=[place(monday)])
    closed = make_org("gone", status="closed", locations=[place(monday)])
    feed = meeting_guide_feed(Directory([women, not_mutual_aid, closed]), ExportContext("https://example.org"))
    got = [(entry["day"], entry["slug"]) for entry in feed]
    assert got == [(6, "womens-circle-1-1-sat"), (0, "womens-circle-1-1-sun")]
    assert feed[0]["types"] == ["TC", "W", "X"]
    assert feed[0]["url"] == "https://example.org/organisations/womens-circle/"
    assert feed[0]["updated"] == "2026-03-01 00:00:00"
    assert (feed[0]["latitude"], feed[0]["longitude"]) == (53.8, -1.55)


def test_meeting_slugs_stay_unique_and_short_for_long_listing_slugs():
    one = make_org("a-" + "very-long-listing-name-" * 3 + "one")
    two = make_org("a-" + "very-long-listing-name-" * 3 + "two")
    first, second = meeting_slug(one.slug, 1, 1, "mon"), meeting_slug(two.slug, 1, 1, "mon")
    assert first != second and len(first) <= 64 and len(second) <= 64 and first.endswith("-1-1-mon")


# --- reproducible builds, the build date and absolute URLs ---

def test_build_date_is_newest_verification_or_the_setting():
    old, new = make_org("old", last_verified="2025-01-02"), make_org("new", last_verified="2026-07-08")
    closed = make_org("closed", last_verified="2027-01-01", status="closed")
    directory = Directory([old, new, closed])
    assert build_date(directory).isoformat() == "2026-07-08"  # closed listings don't count
    assert export_context(directory, {"BUILD_DATE": "2030-05-06"}).build_date_text == "2030-05-06"
    with pytest.raises(BuildDateError, match="YYYY-MM-DD"):
        build_date(directory, "06/05/2030")
    context = export_context(directory, {"SITEURL": "https://example.org/"})
    assert organisations_document(directory, context)["build_date"] == "2026-07-08"
    assert organisations_document(directory, context)["organisations"][0]["url"] == "https://example.org/organisations/new/"


@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built as if published: an absolute SITEURL and a fixed BUILD_DATE."""
    output = tmp_path_factory.mktemp("published-site")
    build_site(output, extra=["-e", 'SITEURL="https://recovery.example.org"', 'BUILD_DATE="2027-01-31"'])
    return output


@pytest.mark.slow
def test_a_second_build_gives_the_same_data(sample_site, published_site):
    assert read_json(published_site, "organisations_json")["build_date"] == "2027-01-31"
    newest = max(str(item["last_verified"]) for item in published_listings())
    assert read_json(sample_site, "organisations_json")["build_date"] == newest
    sample, published = read_json(sample_site, "openreferral"), read_json(published_site, "openreferral")
    for table in ("organizations", "services", "locations", "schedules", "taxonomy_terms", "attributes"):
        assert [r["id"] for r in sample[table]] == [r["id"] for r in published[table]], table
    local = (sample_site / FILES["organisations_csv"]).read_text(encoding="utf-8-sig")
    absolute = (published_site / FILES["organisations_csv"]).read_text(encoding="utf-8-sig")
    assert absolute == local.replace(",/organisations/", ",https://recovery.example.org/organisations/")
    for entry in read_json(published_site, "meetings"):
        assert entry["url"].startswith("https://recovery.example.org/organisations/")


def test_every_page_links_the_meetings_feed(sample_site, published_site):
    for site, expected in ((published_site, "https://recovery.example.org/data/meetings.json"), (sample_site, None)):
        for page in (site / "index.html", site / "coverage" / "index.html",
                     site / "organisations" / "taff-recovery-hub" / "index.html"):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            links = soup.head.find_all("link", rel="alternate", type="application/json", title="Meetings Feed")
            assert len(links) == 1, page
            href = links[0]["href"]
            if expected:
                assert href == expected
            else:  # local build: relative to the page, and it must lead to the feed
                assert (page.parent / href).resolve() == (site / FILES["meetings"]).resolve()


# --- the Open data page and the schema ---

def test_open_data_page_links_and_documents_every_file(sample_site):
    page = sample_site / "open-data" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    hrefs = {a["href"] for a in soup.select("main a[href]")}
    for path in [*FILES.values(), "data/coverage.csv", "schema/organisation.schema.json"]:
        href = f"../{path}"
        assert href in hrefs, f"the Open data page does not link {path}"
        assert (page.parent / href).resolve().is_file()
    documented = {code.get_text() for code in soup.select("main code")}
    assert set(COLUMNS) <= documented, f"CSV columns not documented: {set(COLUMNS) - documented}"
    text = soup.main.get_text(" ")
    assert "CC BY 4.0" in text and "every time a change to a listing is merged" in text


def test_schema_is_published_unchanged(sample_site):
    published = sample_site / "schema" / "organisation.schema.json"
    assert published.read_bytes() == (ROOT / "schema" / "organisation.schema.json").read_bytes()
    assert json.loads(published.read_text(encoding="utf-8"))["x-version"] == read_json(
        sample_site, "organisations_json")["schema_version"]


def load_axe(page) -> None:
    """Put axe-core into the page through DevTools: the site's CSP (rightly) blocks the inline
    <script> the shared `axe` fixture would add, and then the fixture finds axe already there."""
    page.evaluate((ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))


@pytest.mark.browser
def test_open_data_page_passes_axe(page, axe, sample_server):
    response = page.goto(sample_server + "/open-data/")
    assert response.status == 200
    load_axe(page)
    assert axe(page) == []
    assert page.errors == []


def test_languages_reach_open_referral_and_json_ld(sample_site):
    """Each published listing's languages, from its file: one HSDS `languages` row per code, with
    its label, linked to the listing's service; and the page's JSON-LD `knowsLanguage`."""
    hsds = read_json(sample_site, "openreferral")
    services = {service["name"]: service["id"] for service in hsds["services"]}
    rows = {(row["service_id"], row["code"], row["name"]) for row in hsds["languages"]}
    expected = set()
    for listing in published_listings():
        codes = listing.get("languages", [])
        expected |= {(services[listing["name"]], code, labels("languages")[code]) for code in codes}
        page = (sample_site / "organisations" / listing["slug"] / "index.html").read_text(encoding="utf-8")
        jsonld = json.loads(BeautifulSoup(page, "html.parser").select_one('script[type="application/ld+json"]').string)
        assert jsonld.get("knowsLanguage", []) == codes, listing["slug"]
    assert expected and rows == expected
