"""`recovery-directory import`: recorded real-shaped sources in, valid listings out; re-imports
update, add, report what vanished and never overwrite a hand edit without saying so; bad records
are named with their field and the rest still imports; web sources are fetched from a loopback
server answering with recorded responses (retries, time-outs, pages)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from fake_services import RECORDINGS, FakeService, Reply, refused_url
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_tools import SAMPLE_CACHE, import_into
from recovery_directory.importers import csv_template, meeting_guide, openreferral
from recovery_directory.importers.fetch import SourceError, fetch
from recovery_directory.importers.sync import sync, write_atomically
from recovery_directory.listing.validate import check_file
from temp_project import make_project

FEED = RECORDINGS / "meeting_guide" / "uk_feed.json"
PAGES = sorted((RECORDINGS / "openreferral").glob("services_page_*.json"))
DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def listings(folder: Path) -> dict[str, dict]:
    return {path.stem: load(path) for path in sorted(folder.glob("*.yaml"))}


# --- Meeting Guide: what the feed says is what the listings say -------------------------------


def test_meeting_guide_feed_gives_one_valid_listing_per_group_with_every_good_meeting(tmp_path):
    feed = json.loads(FEED.read_text(encoding="utf-8"))
    report = import_into("meeting-guide", FEED, tmp_path, SAMPLE_CACHE)
    written = listings(tmp_path)
    for path in tmp_path.glob("*.yaml"):
        assert check_file(path).ok, path
    # the broken meetings are reported, each with its slug and field; the others all arrive
    bad = {"wrong-postcode": "postal_code", "by-appointment": "day", "eighth-day": "day", "wrong-zone": "timezone"}
    assert sorted((p.record.split('"')[1], p.field) for p in report.problems) == sorted(bad.items())
    good = [m for m in feed if m["slug"] not in bad]
    sessions = {(m["name"], day) for m in good for day in (m["day"] if isinstance(m["day"], list) else [m["day"]])}
    found = set()
    for listing in written.values():
        assert listing["types"] == ["mutual_aid"]
        entries = [*listing.get("online_hours", []), *(h for loc in listing.get("locations", []) for h in loc["hours"])]
        found |= {(h["note"], DAY_NAMES.index(d)) for h in entries for d in h["days"]}
    assert found == sessions
    groups = {m.get("group") or m["location"] for m in good}
    assert {listing["name"] for listing in written.values()} == groups
    assert len(report.added) == len(groups)


def test_meeting_guide_places_online_and_hybrid_meetings(tmp_path):
    import_into("meeting-guide", FEED, tmp_path, SAMPLE_CACHE)
    online = load(tmp_path / "northern-online-group-sample.yaml")
    assert "locations" not in online and online["areas_served"] == ["national"]
    (session,) = online["online_hours"]
    assert session["join_url"] == "https://meet.jit.si/example-late-night"
    assert session["join_phone"] == "+441134960999" and session["join_notes"] == "PIN 1234"
    assert session["closes"] == "24:00" and len(session["days"]) == 7
    calder = load(tmp_path / "calder-valley-group-sample.yaml")
    (venue,) = calder["locations"]
    assert venue["postcode"] == "HX1 1UJ" and venue["accessibility"] == ["step_free", "accessible_toilet"]
    saturday = next(h for h in venue["hours"] if h["days"] == ["sat"])
    assert saturday["join_url"] == "https://zoom.us/j/0000000011"
    assert calder["areas_served"] == ["Calderdale"]  # from the postcode's local authority (geocode cache)
    assert calder["last_verified"] == "2026-10-03"  # the newest `updated`
    women = load(tmp_path / "leeds-women-s-group-sample.yaml")
    assert women["audiences"] == ["women"] and women["locations"][0]["address"] == "188 Example Road"
    assert load(tmp_path / "huddersfield-group-sample.yaml")["status"] == "temporarily_closed"


def test_a_feed_that_is_not_a_meeting_list_stops_with_a_plain_error(tmp_path):
    bad = tmp_path / "feed.json"
    bad.write_text('{"meetings": []}', encoding="utf-8")
    with pytest.raises(SourceError, match="JSON array of meetings"):
        meeting_guide.read(str(bad), {"GEOCODE_CACHE_PATH": str(SAMPLE_CACHE)})
    bad.write_text("<html>Meetings</html>", encoding="utf-8")
    with pytest.raises(SourceError, match=r"not valid JSON \(line 1"):
        meeting_guide.read(str(bad), {"GEOCODE_CACHE_PATH": str(SAMPLE_CACHE)})


# --- sync: idempotent, updates, conflicts, vanished, slugs -------------------------------------


def write_feed(path: Path, meetings: list[dict]) -> Path:
    path.write_text(json.dumps(meetings), encoding="utf-8")
    return path


def meeting(slug: str, group: str, **fields) -> dict:
    return {
        "name": slug.title(),
        "slug": slug,
        "day": 2,
        "time": "19:00",
        "group": group,
        "address": "4 Sample Lane",
        "city": "Halifax",
        "postal_code": "HX1 1UJ",
        **fields,
    }


def test_reimport_is_idempotent_updates_adds_and_reports_vanished(tmp_path):
    folder, feed = tmp_path / "listings", tmp_path / "feed.json"
    write_feed(feed, [meeting("a", "Alpha Group (sample)"), meeting("b", "Beta Group (sample)")])
    first = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert [p.name for p in first.added] == ["alpha-group-sample.yaml", "beta-group-sample.yaml"]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    second = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert (second.added, second.updated, second.unchanged) == ([], [], 2)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing rewritten

    write_feed(feed, [meeting("a", "Alpha Group (sample)", time="19:30"), meeting("c", "Gamma Group (sample)")])
    third = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert [(p.name, fields) for p, fields in third.updated] == [("alpha-group-sample.yaml", ["locations"])]
    assert [p.name for p in third.added] == ["gamma-group-sample.yaml"]
    assert [(p.name, record) for p, record in third.vanished] == [
        ("beta-group-sample.yaml", "group:beta group (sample)")
    ]
    assert (folder / "beta-group-sample.yaml").exists(), "a vanished listing is reported, never deleted"
    assert load(folder / "alpha-group-sample.yaml")["locations"][0]["hours"][0]["opens"] == "19:30"


def test_hand_edits_survive_and_conflicts_are_listed_until_decided(tmp_path):
    folder, feed = tmp_path / "listings", tmp_path / "feed.json"
    write_feed(feed, [meeting("a", "Alpha Group (sample)")])
    import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    path = folder / "alpha-group-sample.yaml"
    data = load(path)
    data["summary"] = "Our own words about the Alpha group, written by a volunteer."
    data["website"] = "https://example.org/alpha"  # a field the source never had
    data["last_verified"] = str(data["last_verified"])
    from recovery_directory.listing.listing_yaml import listing_yaml

    path.write_text(listing_yaml(data), encoding="utf-8")

    # an edit alone changes nothing at the next import: the file, comments and all, is left as it is
    path.write_text(path.read_text(encoding="utf-8") + "# checked with the group secretary\n", encoding="utf-8")
    edited = path.read_text(encoding="utf-8")
    quiet = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert (quiet.updated, quiet.unchanged, path.read_text(encoding="utf-8")) == ([], 1, edited)

    # the source changes something else: the edits stay, nothing is a conflict
    write_feed(feed, [meeting("a", "Alpha Group (sample)", end_time="21:00")])
    report = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert report.conflicts == [] and load(path)["summary"].startswith("Our own words")
    assert load(path)["website"] == "https://example.org/alpha"

    # the source changes the summary too (a second weekly meeting): a conflict, the edit kept
    write_feed(
        feed, [meeting("a", "Alpha Group (sample)", end_time="21:00"), meeting("a2", "Alpha Group (sample)", day=4)]
    )
    report = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert [(c.field, c.resolved) for c in report.conflicts] == [("summary", "kept your edit")]
    assert load(path)["summary"].startswith("Our own words")
    again = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert [c.field for c in again.conflicts] == ["summary"], "asked again until decided"
    assert again.updated == [] and again.added == []

    dry = import_into("meeting-guide", feed, folder, SAMPLE_CACHE, prefer="source", dry_run=True)
    assert [p.name for p, _ in dry.updated] == [path.name] and load(path)["summary"].startswith("Our own words")
    import_into("meeting-guide", feed, folder, SAMPLE_CACHE, prefer="source")
    assert load(path)["summary"] == "Mutual aid group: 2 meetings a week in Halifax."
    assert import_into("meeting-guide", feed, folder, SAMPLE_CACHE).conflicts == []


def test_prefer_local_keeps_the_edit_and_stops_asking(tmp_path):
    folder, feed = tmp_path / "listings", tmp_path / "feed.json"
    write_feed(feed, [meeting("a", "Alpha Group (sample)")])
    import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    path = folder / "alpha-group-sample.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Alpha Group (sample)", "name: The Alpha Group (sample)"),
        encoding="utf-8",
    )
    write_feed(feed, [meeting("a", "Alpha Group (sample)", location="Example Hall")])  # changes locations only
    assert import_into("meeting-guide", feed, folder, SAMPLE_CACHE).conflicts == []
    path.write_text(
        path.read_text(encoding="utf-8").replace("town: Halifax", "town: Halifax town centre"), encoding="utf-8"
    )
    write_feed(feed, [meeting("a", "Alpha Group (sample)", location="Example Hall 2")])
    report = import_into("meeting-guide", feed, folder, SAMPLE_CACHE, prefer="local")
    assert [(c.field, c.resolved) for c in report.conflicts] == [("locations", "kept your edit")]
    assert load(path)["locations"][0]["town"] == "Halifax town centre"
    assert load(path)["name"] == "The Alpha Group (sample)"
    assert import_into("meeting-guide", feed, folder, SAMPLE_CACHE).conflicts == []


def test_new_slugs_never_collide_with_existing_files_or_each_other(tmp_path):
    folder, feed = tmp_path / "listings", tmp_path / "feed.json"
    folder.mkdir()
    (folder / "alpha-group-sample.yaml").write_text("name: hand written\n", encoding="utf-8")
    write_feed(
        feed,
        [
            meeting("a", "Alpha Group (sample)"),
            meeting("b", "Alpha group  (Sample)!", city="Leeds", postal_code="LS1 1UR"),
        ],
    )
    report = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert sorted(p.name for p in report.added) == ["alpha-group-sample-2.yaml", "alpha-group-sample-3.yaml"]
    assert (folder / "alpha-group-sample.yaml").read_text(encoding="utf-8") == "name: hand written\n"
    again = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert again.unchanged == 2 and again.added == []


def test_a_record_that_would_not_validate_is_named_and_not_written(tmp_path):
    folder, feed = tmp_path / "listings", tmp_path / "feed.json"
    write_feed(
        feed,
        [
            meeting("a", "Alpha Group (sample)"),
            meeting("z", "Zed Group (sample)", conference_url="https://zoom.us/j/1", conference_phone="999 nope"),
        ],
    )
    report = import_into("meeting-guide", feed, folder, SAMPLE_CACHE)
    assert [(p.record, p.field) for p in report.problems] == [
        ('meeting "z" (number 2 in the feed)', "conference_phone")
    ]
    assert "not a UK phone number" in report.problems[0].message
    assert [p.name for p in report.added] == ["alpha-group-sample.yaml"]


def test_writes_are_whole_files_or_nothing(tmp_path, monkeypatch):
    path = tmp_path / "listing.yaml"
    path.write_text("old\n", encoding="utf-8")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomically(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["listing.yaml"], "no temporary file left behind"


# --- the command line ---------------------------------------------------------------------------


def test_command_imports_into_the_content_folder_and_validate_agrees(tmp_path, cli):
    settings = make_project(tmp_path)
    folder = tmp_path / "content" / "organisations"
    before = {p.name for p in folder.glob("*.yaml")}
    result = cli("import", "meeting-guide", str(FEED), "--settings", str(settings), "--dry-run")
    assert result.returncode == 1 and "would be added" in result.stdout and "Dry run" in result.stdout
    assert {p.name for p in folder.glob("*.yaml")} == before
    result = cli("import", "meeting-guide", str(FEED), "--settings", str(settings))
    assert result.returncode == 1, "bad records make the command fail, after importing the rest"
    assert (
        'meeting "wrong-postcode" (number 7 in the feed), field postal_code: "LS99 ZZZ" is not a UK postcode'
        in result.stderr
    )
    added = {p.name for p in folder.glob("*.yaml")} - before
    assert len(added) == 5
    check = cli("validate", "--settings", str(settings))
    assert check.returncode == 0, check.stdout
    again = cli("import", "meeting-guide", str(FEED), "--settings", str(settings))
    assert "0 added, 0 updated, 5 unchanged." in again.stdout


def test_command_explains_a_missing_file(tmp_path, cli):
    settings = make_project(tmp_path)
    result = cli("import", "csv", str(tmp_path / "nope.csv"), "--settings", str(settings))
    assert result.returncode == 2 and "can't read the file" in result.stderr and "Nothing was imported" in result.stderr


# --- web sources: a loopback server answering with recorded responses ---------------------------


def settings_for(service_url: str = "", **more) -> dict:
    return {
        "GEOCODE_CACHE_PATH": str(SAMPLE_CACHE),
        "IMPORT_USER_AGENT": "test-importer/1 (+https://example.org)",
        "IMPORT_TIMEOUT": 2,
        "IMPORT_RETRIES": 2,
        "IMPORT_RETRY_WAIT": 0,
        **more,
    }


def test_a_meeting_guide_feed_is_fetched_with_the_configured_user_agent(tmp_path):
    with FakeService({"GET /meetings.json": Reply.recording(FEED)}) as service:
        url = f"{service.url}/meetings.json"
        report = import_into("meeting-guide", url, tmp_path, SAMPLE_CACHE, settings=settings_for())
        (request,) = service.requests
    assert request.headers["user-agent"] == "test-importer/1 (+https://example.org)"
    assert len(report.added) == 5
    assert all(load(p)["source"]["url"] == url for p in tmp_path.glob("*.yaml"))


def test_busy_and_failing_servers_are_retried_then_explained():
    body = FEED.read_bytes()
    with FakeService(
        {"GET /feed": [Reply(503), Reply(429, headers={"Retry-After": "0"}), Reply(200, body)]}
    ) as service:
        assert fetch(f"{service.url}/feed", settings_for()) == body
        assert len(service.requests) == 3
    with FakeService({"GET /feed": Reply(500)}) as service, pytest.raises(SourceError, match=r"answered 500 .*3 times"):
        fetch(f"{service.url}/feed", settings_for())
    with FakeService({"GET /feed": Reply(404)}) as service:
        with pytest.raises(SourceError, match="answered 404"):
            fetch(f"{service.url}/feed", settings_for())
        assert len(service.requests) == 1, "a missing feed is not retried"
    with (
        FakeService({"GET /feed": Reply(stall=True)}) as service,
        pytest.raises(SourceError, match="did not answer in time"),
    ):
        fetch(f"{service.url}/feed", settings_for(IMPORT_TIMEOUT=0.3, IMPORT_RETRIES=1))
    with pytest.raises(SourceError, match="could not be reached"):
        fetch(f"{refused_url()}/feed", settings_for())


def test_open_referral_api_is_read_page_by_page(tmp_path):
    def page(request):
        number = int(request.query.get("page", "1"))
        return Reply.recording(PAGES[number - 1]) if number <= len(PAGES) else None

    with FakeService({"GET /api/services": page}) as service:
        report = import_into(
            "openreferral",
            f"{service.url}/api",
            tmp_path,
            SAMPLE_CACHE,
            settings=settings_for(),
            default_types=["treatment"],
        )
        asked = [r.query.get("page", "1") for r in service.requests]
    assert asked == ["1", "2", "3"]
    assert report.problems and {(p.field) for p in report.problems} == {
        "schedules.freq",
        "phones.number",
        "addresses.postal_code",
    }
    written = listings(tmp_path)
    expected = [s for p in PAGES for s in json.loads(p.read_text(encoding="utf-8"))["contents"]]
    assert sorted(listing["source"]["id"] for listing in written.values()) == sorted(s["id"] for s in expected)
    for path in tmp_path.glob("*.yaml"):
        assert check_file(path).ok, path
    alcohol = written["example-community-alcohol-team-sample"]
    assert alcohol["types"] == ["treatment"], "no type of ours at the source: --types"
    assert alcohol["locations"][0]["postcode"] == "LS1 4DY"
    assert alcohol["locations"][0]["hours"] == [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "09:00", "closes": "17:00"}
    ]
    assert alcohol["phones"] == [{"number": "0113 496 0500", "description": "Mon-Fri 9am-5pm"}]
    # its organisation's address is another directory's page: that names the organisation there, not
    # this listing's file here (only this site's own pages do: test_import_faithful.py)
    circle = written["example-women-s-recovery-circle-sample"]
    assert circle["types"] == ["mutual_aid"] and circle["audiences"] == ["women"]
    assert circle["status"] == "temporarily_closed" and circle["identifiers"] == [{"scheme": "GB-CHC", "id": "1234567"}]
    cafe = written["example-online-recovery-cafe-sample"]
    assert cafe["online_hours"] == [{"days": ["sun"], "opens": "18:00", "closes": "19:30", "note": "Sunday café"}]
    assert cafe["areas_served"] == ["national"]


def test_open_referral_without_types_asks_for_them(tmp_path):
    parsed = openreferral.parse(json.loads(PAGES[0].read_text(encoding="utf-8"))["contents"], "council.json")
    problem = next(p for p in parsed.problems if p.field == "attributes")
    assert "--types" in problem.message and "Example Community Alcohol Team" in problem.record


# --- CSV: a commissioner's spreadsheet ----------------------------------------------------------

COMMISSIONER_SHEET = (
    "name,types,summary,website,phones,areas_served,town,postcode,hours,last_verified,self_referral,notes\r\n"
    "Example Recovery Hub (sample),lero; recovery_coaching,Peer support and recovery coaching for adults in Leeds.,"
    'https://example.org/hub,0113 496 0100 (Mon-Fri),Leeds,Leeds,ls1 4dy,"mon,tue 09:00-17:00",2026-09-01,yes,x\r\n'
    "Example Recovery Hub (sample),lero; recovery_coaching,Peer support and recovery coaching for adults in Leeds.,"
    ",,,Leeds,LS2 9JT,wed 9-5,2026-09-01,,\r\n"
    "Example Family Group (sample),family_support,"
    "Monthly support group for families affected by a relative's drinking.,"
    ",0113 496 0200,Leeds,Leeds,LS1 1UR,sun 14:00-16:00,2026-08-01,maybe,\r\n"
    ",,,,,,,,,,,\r\n"
    "No Date Group (sample),mutual_aid,A group whose row has no date it was last checked.,,,,Leeds,LS1 1UR,,,,\r\n"
)


def test_a_commissioners_csv_imports_row_by_row_with_each_problem_named(tmp_path):
    sheet = tmp_path / "services.csv"
    sheet.write_text(COMMISSIONER_SHEET, encoding="utf-8")
    report = import_into("csv", sheet, tmp_path / "listings", SAMPLE_CACHE)
    problems = {(p.record.split(" (")[0], p.field): p.message for p in report.problems}
    assert set(problems) == {
        ("row 1", "notes"),
        ("row 3", "hours"),
        ("row 4", "self_referral"),
        ("row 6", "last_verified"),
    }
    assert "wed 9-5" in problems[("row 3", "hours")] and "mon,tue 09:00-17:00" in problems[("row 3", "hours")]
    assert "yes or no" in problems[("row 4", "self_referral")]
    written = listings(tmp_path / "listings")
    assert sorted(written) == ["example-family-group-sample", "example-recovery-hub-sample"]
    hub = written["example-recovery-hub-sample"]
    assert [loc["postcode"] for loc in hub["locations"]] == ["LS1 4DY", "LS2 9JT"]
    assert "hours" not in hub["locations"][1], "the unreadable hours cell is left out, the location kept"
    assert hub["referral"] == {"self": True} and hub["types"] == ["lero", "recovery_coaching"]
    assert "self" not in written["example-family-group-sample"].get("referral", {})
    for path in (tmp_path / "listings").glob("*.yaml"):
        assert check_file(path).ok


def test_a_csv_without_the_required_columns_is_refused_plainly(tmp_path):
    sheet = tmp_path / "other.csv"
    sheet.write_text("Service,Phone\r\nSomething,0113 496 0000\r\n", encoding="utf-8")
    with pytest.raises(SourceError, match="name, summary, types, last_verified is missing"):
        import_into("csv", sheet, tmp_path, SAMPLE_CACHE)


def test_command_lists_conflicts_and_vanished_listings_in_plain_words(tmp_path, cli):
    settings = make_project(tmp_path)
    folder, feed = tmp_path / "content" / "organisations", tmp_path / "feed.json"
    write_feed(feed, [meeting("a", "Alpha Group (sample)"), meeting("b", "Beta Group (sample)")])
    assert cli("import", "meeting-guide", str(feed), "--settings", str(settings)).returncode == 0
    path = folder / "alpha-group-sample.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("town: Halifax", "town: Halifax centre"), encoding="utf-8")
    write_feed(feed, [meeting("a", "Alpha Group (sample)", time="20:00")])
    result = cli("import", "meeting-guide", str(feed), "--settings", str(settings))
    assert result.returncode == 0
    assert f"{path}: locations: kept your edit." in result.stdout
    assert "Run again with --prefer source" in result.stdout
    assert "1 listing is no longer in the source (nothing was deleted)" in result.stdout
    assert "beta-group-sample.yaml (id 'group:beta group (sample)' at the source)" in result.stdout
    result = cli("import", "meeting-guide", str(feed), "--settings", str(settings), "--prefer", "source")
    assert f"{path}: locations: took the source's value." in result.stdout
    assert load(path)["locations"][0]["town"] == "Halifax"


def test_an_api_listing_services_in_brief_is_asked_for_each_in_full(tmp_path):
    full = json.loads(PAGES[0].read_text(encoding="utf-8"))["contents"]
    brief = {
        **json.loads(PAGES[0].read_text(encoding="utf-8")),
        "total_pages": 1,
        "last_page": True,
        "contents": [{"id": s["id"], "name": s["name"], "status": s["status"]} for s in full],
    }
    by_id = {s["id"]: s for s in full}

    def one(request):
        found = by_id.get(request.path.rsplit("/", 1)[-1])
        return Reply(200, found) if found else None

    with FakeService({"GET /services": Reply(200, brief), "GET /services/*": one}) as service:
        import_into(
            "openreferral",
            f"{service.url}/services",
            tmp_path,
            SAMPLE_CACHE,
            settings=settings_for(),
            default_types=["treatment"],
        )
        asked = sorted(r.path for r in service.requests)
    assert asked == sorted(["/services", *(f"/services/{i}" for i in by_id)])
    assert load(tmp_path / "example-community-alcohol-team-sample.yaml")["locations"][0]["postcode"] == "LS1 4DY"


def test_a_day_written_as_text_is_read_as_the_spec_number():
    parsed = meeting_guide.parse([meeting("a", "Alpha Group (sample)", day="3")], "feed.json")
    assert parsed.problems == []
    assert parsed.records[0].listing["locations"][0]["hours"][0]["days"] == ["wed"]


# --- whatever a feed holds, the import explains it and never crashes -----------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=True) | st.text(max_size=12)
    | st.sampled_from(["19:00", "7:5", "24:00", "HX1 1UJ", "LS1 1UR", "https://zoom.us/j/1", "0113 496 0123", "yes",
                       "Europe/London", "2026-10-01 12:00:00", "4 Sample Lane, Halifax HX1 1UJ, UK"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
FEED_KEYS = ("name", "slug", "day", "time", "end_time", "group", "location", "address", "city", "postal_code",
             "formatted_address", "latitude", "longitude", "approximate", "conference_url", "conference_phone",
             "conference_url_notes", "types", "updated", "timezone", "notes", "group_notes", "location_notes", "url")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(feed=st.lists(st.dictionaries(st.sampled_from(FEED_KEYS), JSON_VALUES, max_size=12) | JSON_VALUES, max_size=6))
def test_any_feed_is_imported_or_explained_without_a_traceback(feed, tmp_path_factory):
    parsed = meeting_guide.parse(feed, "feed.json")
    folder = tmp_path_factory.mktemp("fuzz")
    report = sync(parsed, "meeting-guide", folder, progress=False)
    for path in report.added:
        assert check_file(path).ok
    for problem in report.problems:
        assert problem.record and problem.message


# services whose nested parts are as often the wrong shape as the right one
NESTED = st.recursive(
    JSON_VALUES,
    lambda inner: st.lists(inner, max_size=3) | st.fixed_dictionaries({}, optional=dict.fromkeys(
        ("location", "addresses", "schedules", "taxonomy_term", "byday", "opens_at", "closes_at", "postal_code",
         "city", "number", "name", "location_type", "latitude", "code", "taxonomy"), inner)),
    max_leaves=8,
)
SERVICE_KEYS = ("id", "name", "description", "status", "url", "email", "assured_date", "application_process",
                "organization", "phones", "service_areas", "attributes", "schedules", "service_at_locations")


@settings(max_examples=150, deadline=None)
@given(services=st.lists(st.fixed_dictionaries({}, optional=dict.fromkeys(SERVICE_KEYS, NESTED)) | JSON_VALUES,
                         max_size=5),
       table=st.lists(st.lists(st.sampled_from(["", "x", "yes", "lero", "mon 09:00-17:00", "LS1 1UR", "2026-01-01",
                                                "0113 496 0123 (x)", "GB-CHC:1", "a; b", "'=1"]), min_size=1,
                               max_size=8), max_size=5))
def test_any_open_referral_or_csv_input_is_imported_or_explained(services, table):
    parsed = openreferral.parse(services, "tables.json", ["treatment"])
    assert all(problem.message for problem in parsed.problems)
    rows = ["name,types,summary,last_verified,hours,postcode,phones,identifiers,self_referral"]
    rows += [",".join(f'"{cell}"' for cell in row) for row in table]
    parsed = csv_template.parse("\r\n".join(rows), "sheet.csv")
    assert all(problem.message for problem in parsed.problems)


def test_areas_that_are_not_local_authorities_are_named_and_left_out(tmp_path):
    sheet = tmp_path / "areas.csv"
    sheet.write_text(
        "name,types,summary,areas_served,last_verified\r\n"
        "Example Area Group (sample),lero,A fictional group serving two places in Yorkshire.,"
        "West Yorkshire; leeds; Bradford,2026-09-01\r\n",
        encoding="utf-8",
    )
    report = import_into("csv", sheet, tmp_path / "listings", SAMPLE_CACHE)
    assert [(p.field, "'West Yorkshire'" in p.message) for p in report.problems] == [("areas_served", True)]
    assert listings(tmp_path / "listings")["example-area-group-sample"]["areas_served"] == ["Leeds", "Bradford"]


def test_an_open_referral_description_in_html_imports_as_markdown_that_validates(tmp_path):
    """Feeds often send HTML descriptions; a listing's description may not hold HTML (the page
    would leave it out), so its text comes in as Markdown: paragraphs, list items, all the words."""
    services = json.loads(PAGES[0].read_text(encoding="utf-8"))["contents"]
    service = {**services[0], "description": (
        "<p>We meet every <b>Tuesday</b> in the church hall.</p><ul><li>Tea &amp; toast</li><li>Peer support</li></ul>"
        "<script>ignored()</script>"
    )}
    source = tmp_path / "council.json"
    source.write_text(json.dumps({"contents": [service]}), encoding="utf-8")
    folder = tmp_path / "organisations"
    folder.mkdir()
    report = import_into("openreferral", source, folder, SAMPLE_CACHE, default_types=["treatment"])
    (written,) = folder.glob("*.yaml")
    assert check_file(written).problems == [], report
    description = yaml.safe_load(written.read_text(encoding="utf-8"))["description"]
    assert description == "We meet every Tuesday in the church hall.\n\n- Tea & toast\n- Peer support"


@pytest.mark.parametrize(("html", "markdown"), [
    ("<p>Intro</p><ul><li><p>One</p></li><li><p>Two</p></li></ul>", "Intro\n\n- One\n- Two"),
    ("<table><tr><td>Mon</td><td>9-5</td></tr><tr><td>Tue</td><td>9-5</td></tr></table>", "Mon 9-5\n\nTue 9-5"),
    ("<dl><dt>Where</dt><dd>The hall</dd></dl>", "Where The hall"),
    ("<p># hashtag day</p><p>Tea &lt;free&gt;</p>", "\\# hashtag day\n\nTea \\<free\\>"),
    ("Plain text, a < b.", "Plain text, a < b."),
])
def test_html_from_a_feed_becomes_markdown_that_shows_every_word(html, markdown):
    """CMS lists hold paragraphs in their items, tables run cells together, a # starts a heading:
    each comes out as the words a reader saw, and the description check passes it."""
    from recovery_directory.importers.common import markdown_from_html
    from recovery_directory.listing.text import markdown_to_safe_html

    assert markdown_from_html(html) == markdown
    assert "raw HTML omitted" not in markdown_to_safe_html(markdown) and "<h" not in markdown_to_safe_html(markdown)
