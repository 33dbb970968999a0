"""`recovery-directory import` keeps what a source says or says what it couldn't keep: common phone
formats, contact details and hours come in (a bad one is named and left out, never the whole
record), a value shortened or changed to fit is reported, HTML becomes text, and importing again
settles: no fresh dates from nowhere, no duplicates from a source typed another way, a repeated id
or a broken file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from fake_services import FakeService, Reply
from import_tools import SAMPLE_CACHE, SITE, import_into
from recovery_directory.importers.sync import SourceMoved
from recovery_directory.listing.validate import check_file
from temp_project import make_project


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def listings(folder: Path) -> dict[str, dict]:
    return {path.stem: load(path) for path in sorted(folder.glob("*.yaml"))}


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.yaml"))}


def all_valid(folder: Path) -> None:
    for path in folder.glob("*.yaml"):
        assert check_file(path).ok, "\n".join(map(str, check_file(path).problems))


def service(record_id: str, name: str, **fields) -> dict:
    """A nested Open Referral service (as an API's /services gives it), fictional."""
    return {
        "id": record_id,
        "name": name,
        "description": f"{name} offers support to adults in Leeds.",
        "assured_date": "2026-09-01",
        **fields,
    }


def write_json(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_sheet(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")
    return path


def import_services(services: list[dict], tmp_path: Path, folder: str = "listings", **options):
    source = write_json(tmp_path / "services.json", services)
    return import_into("openreferral", source, tmp_path / folder, SAMPLE_CACHE, default_types=["treatment"], **options)


SHEET = "name,types,summary,phones,town,postcode,last_verified"


# --- 1. phones in a spreadsheet, written the usual ways -----------------------------------------


@pytest.mark.parametrize(
    ("cell", "phones"),
    [
        ("+44 (0) 20 7946 0000", [{"number": "+44 (0) 20 7946 0000"}]),
        ("(020) 7946 0004", [{"number": "(020) 7946 0004"}]),
        (
            "0113 496 0200 (Mon-Fri; Sat mornings)",
            [{"number": "0113 496 0200", "description": "Mon-Fri; Sat mornings"}],
        ),
        ("0113 496 0123 ext 4", [{"number": "0113 496 0123", "description": "ext 4"}]),
        (
            "0113 496 0123 ext 4 (reception); (020) 7946 0001 (after 5pm (weekdays))",
            [
                {"number": "0113 496 0123", "description": "ext 4, reception"},
                {"number": "(020) 7946 0001", "description": "after 5pm (weekdays)"},
            ],
        ),
        # a note whose brackets don't pair up, as our export writes it back
        (
            "0113 496 0123 (1) adults 2) families)",
            [{"number": "0113 496 0123", "description": "1) adults 2) families"}],
        ),
        ("0113 496 0123 (call us :))", [{"number": "0113 496 0123", "description": "call us :)"}]),
    ],
)
def test_csv_phones_written_the_usual_ways_import_whole(tmp_path, cell, phones):
    sheet = write_sheet(
        tmp_path / "lines.csv",
        SHEET,
        f'Example Phone Line (sample),treatment,A phone line for adults worried about drinking.,"{cell}",'
        "Leeds,LS1 4DY,2026-09-01",
    )
    report = import_into("csv", sheet, tmp_path / "listings", SAMPLE_CACHE)
    assert report.problems == [] and report.changes == []
    assert listings(tmp_path / "listings")["example-phone-line-sample"]["phones"] == phones
    all_valid(tmp_path / "listings")


def test_a_csv_phone_that_is_not_one_is_named_and_the_rest_imports(tmp_path, cli):
    settings = make_project(tmp_path / "project")
    sheet = write_sheet(
        tmp_path / "lines.csv",
        SHEET,
        'Example Phone Line (sample),treatment,A phone line for adults worried about drinking.,'
        '"0113 496; 020 7946 0002 (after 5pm)",Leeds,LS1 4DY,2026-09-01',
    )
    folder = tmp_path / "listings"
    result = cli("import", "csv", str(sheet), "--settings", str(settings), "--into", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'row 2, field phones: "0113 496" is not a UK phone number, so it was left out.' in result.stderr
    assert "area code" in result.stderr  # and what to write instead
    (listing,) = listings(folder).values()
    assert listing["phones"] == [{"number": "020 7946 0002", "description": "after 5pm"}]


# --- 2. a source that gives no date: the first import's date, kept --------------------------------


def test_importing_again_on_a_later_day_does_not_make_a_listing_look_checked(tmp_path, monkeypatch):
    undated = service("s1", "Example Drop-in (sample)")
    del undated["assured_date"]
    meetings = [
        {"name": "Example Meeting", "slug": "example", "day": 2, "time": "19:00", "group": "Example Group (sample)",
         "address": "4 Sample Lane", "city": "Halifax", "postal_code": "HX1 1UJ"}
    ]  # fmt: skip
    referral, guide = tmp_path / "services.json", tmp_path / "meetings.json"
    write_json(referral, [undated])
    write_json(guide, meetings)

    def both():
        return (
            import_into("openreferral", referral, tmp_path / "or", SAMPLE_CACHE, default_types=["treatment"]),
            import_into("meeting-guide", guide, tmp_path / "mg", SAMPLE_CACHE),
        )

    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", "2026-09-01")
    both()
    before = {**files(tmp_path / "or"), **files(tmp_path / "mg")}
    assert {load(path)["last_verified"] for path in tmp_path.glob("*/*.yaml")} == {"2026-09-01"}

    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", "2026-10-15")
    for report in both():
        assert (report.added, report.updated, report.unchanged) == ([], [], 1)
    assert {**files(tmp_path / "or"), **files(tmp_path / "mg")} == before

    # a date the source does give still counts, when it is later
    write_json(referral, [{**undated, "assured_date": "2026-10-10"}])
    write_json(guide, [{**meetings[0], "updated": "2026-10-11 09:00:00"}])
    for report in both():
        assert [fields for _, fields in report.updated] == [["last_verified"]]
    assert sorted(load(path)["last_verified"] for path in tmp_path.glob("*/*.yaml")) == ["2026-10-10", "2026-10-11"]


# --- 3. one source, typed another way ------------------------------------------------------------


def test_an_api_typed_another_way_is_the_same_source(tmp_path):
    whole = {"service_at_locations": []}  # (a service in brief would be asked for by its id)
    page = {"contents": [service("s1", "Example Drop-in (sample)", **whole), service("s2", "Example Line", **whole)]}
    folder = tmp_path / "listings"
    settings = {"IMPORT_RETRIES": 0, "IMPORT_RETRY_WAIT": 0}
    with FakeService({"GET /api/services*": Reply(200, page)}) as fake:  # with or without a last /
        services = f"{fake.url}/api/services"
        first = import_into("openreferral", f"{fake.url}/api/", folder, SAMPLE_CACHE, settings=settings,
                            default_types=["treatment"])  # fmt: skip
        assert len(first.added) == 2
        before = files(folder)
        host = fake.url.replace("http://", "HTTP://")
        for typed in (f"{fake.url}/api/services", f"{host}/api", f"{fake.url}/api/services/"):
            again = import_into("openreferral", typed, folder, SAMPLE_CACHE, settings=settings,
                                default_types=["treatment"])  # fmt: skip
            assert (again.added, again.updated, again.unchanged) == ([], [], 2), typed
    assert files(folder) == before
    assert {listing["source"]["url"] for listing in listings(folder).values()} == {services}


def imported_then_moved(tmp_path: Path, cli) -> tuple[Path, Path, Path, list[str], dict]:
    """One service imported from old/services.json, and the same file at new/services.json: (old,
    new, the listings folder, the import's common options, the folder's files after importing)."""
    settings = make_project(tmp_path / "project")
    old = write_json(tmp_path / "old" / "services.json", [service("s1", "Example Drop-in (sample)")])
    new = tmp_path / "new" / "services.json"
    new.parent.mkdir()
    shutil.copy(old, new)
    folder = tmp_path / "listings"
    common = ["--settings", str(settings), "--into", str(folder), "--types", "treatment"]
    assert cli("import", "openreferral", str(old), *common).returncode == 0
    return old, new, folder, common, files(folder)


def test_a_source_at_a_new_address_is_explained_and_can_be_moved(tmp_path, cli):
    old, new, folder, common, before = imported_then_moved(tmp_path, cli)

    moved = cli("import", "openreferral", str(new), *common)
    assert moved.returncode == 2 and files(folder) == before, "nothing added a second time"
    assert f"1 of its records was imported from {old}" in moved.stderr
    assert f"--source-was {old}" in moved.stderr and "Nothing was imported." in moved.stderr

    result = cli("import", "openreferral", str(new), *common, "--source-was", str(old))
    assert result.returncode == 0 and "0 added, 1 updated" in result.stdout
    (listing,) = listings(folder).values()
    assert listing["source"]["url"] == str(new)
    assert "0 added, 0 updated, 1 unchanged" in cli("import", "openreferral", str(new), *common).stdout


def test_a_source_was_that_matches_no_listing_adds_nothing(tmp_path, cli):
    """A mistyped --source-was skipped the guard against importing everything a second time."""
    _, new, folder, common, before = imported_then_moved(tmp_path, cli)
    result = cli("import", "openreferral", str(new), *common, "--source-was", str(tmp_path / "elsewhere.json"))
    assert result.returncode == 2 and files(folder) == before
    assert "no listing in" in result.stderr and "was imported from that address" in result.stderr


def test_two_listings_from_one_record_are_named(tmp_path):
    """Two listings holding the same record (a copy made by hand): only one is updated, so the
    other is named rather than left to go stale unseen."""
    folder = tmp_path / "listings"
    feed = write_json(tmp_path / "a" / "services.json", [service("1", "Example Drop-in (sample)")])
    import_into("openreferral", feed, folder, SAMPLE_CACHE, default_types=["treatment"])
    (original,) = sorted(folder.glob("*.yaml"))
    shutil.copy(original, folder / "example-drop-in-copy.yaml")
    report = import_into("openreferral", feed, folder, SAMPLE_CACHE, default_types=["treatment"])
    (problem,) = report.problems
    named = {problem.record, problem.message.split("same record as ")[1].split(" ")[0]}
    assert named == {original.name, "example-drop-in-copy.yaml"} and "delete the other" in problem.message


def test_another_source_sharing_a_few_records_is_not_taken_for_a_moved_one(tmp_path):
    folder = tmp_path / "listings"
    drop_in = service("1", "Example Drop-in (sample)")
    first = write_json(tmp_path / "a" / "services.json", [drop_in])
    import_into("openreferral", first, folder, SAMPLE_CACHE, default_types=["treatment"])
    moved = write_json(tmp_path / "b" / "services.json", [drop_in])
    with pytest.raises(SourceMoved, match="--source-was"):  # all its records came from one other address
        import_into("openreferral", moved, folder, SAMPLE_CACHE, default_types=["treatment"])
    others = [service(f"{n}", f"Other Service {n} (sample)") for n in (2, 3)]
    other = write_json(tmp_path / "c" / "services.json", [drop_in, *others])
    report = import_into("openreferral", other, folder, SAMPLE_CACHE, default_types=["treatment"])
    assert len(report.added) == 3, "a different source that lists one of the same services"


# --- 4. a repeated id -----------------------------------------------------------------------------


def test_a_repeated_service_id_is_named_and_imports_settle(tmp_path):
    services = [
        service("42", "Leeds Drug Service (sample)"),
        service("42", "Bradford Alcohol Service (sample)", description="Support for adults in Bradford."),
    ]
    first = import_services(services, tmp_path)
    assert [p.name for p in first.added] == ["leeds-drug-service-sample.yaml"]
    (problem,) = first.problems
    assert (problem.field, problem.record) == ("id", 'service "Bradford Alcohol Service (sample)" (id 42)')
    assert 'also the id of service "Leeds Drug Service (sample)"' in problem.message
    before = files(tmp_path / "listings")
    for _ in range(2):  # it used to take each record in turn
        again = import_services(services, tmp_path)
        assert (again.added, again.updated, again.unchanged, again.vanished) == ([], [], 1, [])
    assert files(tmp_path / "listings") == before


# --- 5. a listing broken by a hand edit ---------------------------------------------------------


def test_a_listing_that_cant_be_read_holds_its_record_back(tmp_path, cli):
    services = [service("s1", "Example Drop-in (sample)"), service("s2", "Example Helpline (sample)")]
    import_services(services, tmp_path)
    folder = tmp_path / "listings"
    broken = folder / "example-drop-in-sample.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("name: Example Drop-in (sample)", 'name: "Our drop-in'),
        encoding="utf-8",
    )
    edited = broken.read_bytes()
    services = [{**s, "description": "Now open on Saturdays too. " + s["description"]} for s in services]
    report = import_services(services, tmp_path)
    assert report.added == [] and report.vanished == []
    assert sorted(p.name for p in folder.glob("*.yaml")) == [broken.name, "example-helpline-sample.yaml"]
    assert [p.name for p, _ in report.updated] == ["example-helpline-sample.yaml"]
    (problem,) = report.problems
    assert problem.record == 'service "Example Drop-in (sample)" (id s1)'
    assert f"its listing {broken} can't be read" in problem.message
    assert "was not imported or updated. Fix that file first" in problem.message
    assert broken.read_bytes() == edited

    settings = make_project(tmp_path / "project")
    result = cli("import", "openreferral", str(tmp_path / "services.json"), "--settings", str(settings),
                 "--into", str(folder), "--types", "treatment")  # fmt: skip
    assert result.returncode == 1 and "Fix that file first" in result.stderr


# --- 6. rows that are one listing must agree --------------------------------------------------------


def test_csv_rows_with_one_name_that_disagree_are_each_named_and_not_merged(tmp_path):
    header = "name,types,summary,website,town,postcode,last_verified"
    sheet = write_sheet(
        tmp_path / "cafes.csv",
        header,
        "Recovery Café (sample),lero,Peer-led café for people in recovery in Leeds.,https://example.org/leeds,"
        "Leeds,LS1 4DY,2026-09-01",
        "Recovery Café (sample),lero,Peer-led café for people in recovery in Bradford.,https://example.org/bradford,"
        "Bradford,BD1 1HY,2026-09-01",
        "Example Hub (sample),lero,Peer support and recovery coaching for adults in Leeds.,,Leeds,LS1 4DY,2026-09-01",
        "Example Hub (sample),lero,,https://example.org/hub,Leeds,LS2 9JT,",
    )
    report = import_into("csv", sheet, tmp_path / "listings", SAMPLE_CACHE)
    assert [(p.record, p.field) for p in report.problems] == [
        ('rows 2-3 ("Recovery Café (sample)")', "summary"),
        ('rows 2-3 ("Recovery Café (sample)")', "website"),
    ]
    message = report.problems[1].message
    assert 'row 2 says "https://example.org/leeds", row 3 says "https://example.org/bradford"' in message
    assert "give each its own slug" in message and "not imported" in message
    # a cell left blank on a later row is the listing's, and one filled in only there is not lost
    written = listings(tmp_path / "listings")
    assert list(written) == ["example-hub-sample"]
    assert written["example-hub-sample"]["website"] == "https://example.org/hub"
    assert len(written["example-hub-sample"]["locations"]) == 2


# --- 7. an organisation's description is not each of its services' summary --------------------------


def test_a_council_with_three_services_gives_each_its_own_summary(tmp_path):
    council = {"id": "o1", "name": "Example Council (sample)", "description": "Adult social care and public health."}
    services = [
        service("s1", "Example Alcohol Team (sample)", organization=council,
                description="Free support for adults who drink. We see people in Leeds and Morley."),
        service("s2", "Example Carers Service (sample)", organization=council, description="Support for carers."),
        service("s3", "Example Outreach (sample)", organization=council, description=""),
        service("s4", "Example Helpline (sample)", description="A phone line.",
                organization={"id": "o2", "name": "Example Trust", "description": "Listening support, day and night."}),
    ]  # fmt: skip
    import_services(services, tmp_path)
    summaries = {slug: listing["summary"] for slug, listing in listings(tmp_path / "listings").items()}
    assert summaries == {
        "example-alcohol-team-sample": "Free support for adults who drink.",
        "example-carers-service-sample": "Support for carers.",
        "example-outreach-sample": "Example Outreach (sample): a service listed in Open Referral data.",
        # an organisation with one service (as our own export writes it): its description is the summary
        "example-helpline-sample": "Listening support, day and night.",
    }
    alcohol = load(tmp_path / "listings" / "example-alcohol-team-sample.yaml")
    assert alcohol["description"] == "Free support for adults who drink. We see people in Leeds and Morley."


# --- 8. HTML and entities become text ---------------------------------------------------------------


def test_html_and_entities_in_names_and_summaries_arrive_as_text(tmp_path):
    services = [
        service("h1", "Html Org Service", description="<p>Support &amp; advice for adults.</p>",
                organization={"name": "Leeds Recovery &amp; Support",
                              "description": "<p>Recovery support for people in Leeds.</p>"}),
        service("h2", "Entity &amp; Name", description="Plain text with &amp; an entity and a <b>bold</b> bit."),
        service("h3", "<b>Tagged</b> Service &#8211; Leeds",
                description="<div><p>First <em>point</em> here.</p><p>Second.</p></div>", organization={"id": "x"}),
    ]  # fmt: skip
    import_services(services, tmp_path)
    written = listings(tmp_path / "listings")
    assert {(w["name"], w["summary"]) for w in written.values()} == {
        ("Html Org Service", "Recovery support for people in Leeds."),
        ("Entity & Name", "Plain text with & an entity and a bold bit."),
        ("Tagged Service – Leeds", "First point here."),
    }
    text = json.dumps(list(written.values()))
    assert "&amp;" not in text and "<p>" not in text and "&#" not in text
    all_valid(tmp_path / "listings")


# --- 9. nothing shortened or changed without saying so ------------------------------------------------


def test_a_long_description_and_name_are_cut_at_a_boundary_and_said(tmp_path):
    paragraph = "We offer confidential support for adults worried about alcohol and drugs in Leeds. " * 5
    description = "\n\n".join([paragraph.strip()] * 15)  # about 6,200 characters
    name = "Example Integrated Drug and Alcohol Recovery Service for Adults, Young People and Families (sample listing)"
    report = import_services([service("s1", name + " in Leeds and Bradford", description=description)], tmp_path)
    (listing,) = listings(tmp_path / "listings").values()
    assert len(description) > 6000 and len(listing["description"]) <= 5000
    assert description.startswith(listing["description"]) and listing["description"].endswith("in Leeds.")
    assert listing["name"] == name + " in…" or listing["name"].endswith("…")
    assert len(listing["name"]) <= 120
    said = {change.field: change.message for change in report.changes}
    assert set(said) == {"name", "description"} and report.problems == []
    assert f"is {len(description):,} characters long and this directory keeps at most 5,000" in said["description"]
    all_valid(tmp_path / "listings")


def test_hours_past_midnight_are_kept_whole_and_languages_by_their_own_names(tmp_path):
    def schedule(byday, opens, closes, notes=""):
        return {"freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes, "notes": notes}

    place = {
        "location": {"name": "Example Night Shelter", "addresses": [{"address_1": "1 High St", "city": "Leeds",
                                                                       "postal_code": "LS1 4DY"}]},
        "schedules": [schedule("FR,SA", "17:00", "09:00", "Night shelter"), schedule("MO", "09:00", "09:00"),
                      schedule("SU", "10:00", "23:59"), schedule("WE", "10:00", "12:00", "x" * 130)],
    }  # fmt: skip
    languages = [{"name": "Cymraeg"}, {"code": "pl-PL"}, {"name": "Gàidhlig"}, {"name": "Klingon"}]
    report = import_services([service("s1", "Example Shelter (sample)", service_at_locations=[place],
                                       languages=languages)], tmp_path)  # fmt: skip
    (listing,) = listings(tmp_path / "listings").values()
    assert listing["locations"][0]["hours"] == [
        {"days": ["fri", "sat"], "opens": "17:00", "closes": "24:00", "note": "Night shelter"},
        {"days": ["sat", "sun"], "opens": "00:00", "closes": "09:00", "note": "Night shelter"},
        {"days": ["mon"], "opens": "09:00", "closes": "24:00"},
        {"days": ["tue"], "opens": "00:00", "closes": "09:00"},
        {"days": ["sun"], "opens": "10:00", "closes": "24:00"},
        {"days": ["wed"], "opens": "10:00", "closes": "12:00", "note": "x" * 119 + "…"},
    ]
    assert listing["languages"] == ["cy", "pl", "gd"]
    assert sorted(change.field for change in report.changes) == ["schedules", "schedules.notes"]
    assert "read as open for 24 hours" in next(c.message for c in report.changes if c.field == "schedules")
    (problem,) = report.problems
    assert problem.field == "languages" and '"Klingon" is not one of the languages' in problem.message
    all_valid(tmp_path / "listings")


def test_a_meeting_past_midnight_keeps_its_hour_after_midnight(tmp_path):
    meetings = [{"name": "Late Night Meeting", "slug": "late", "day": 5, "time": "23:30", "end_time": "00:30",
                 "group": "Example Late Group (sample)", "address": "4 Sample Lane", "city": "Halifax",
                 "postal_code": "HX1 1UJ", "updated": "2026-09-01"}]  # fmt: skip
    report = import_into("meeting-guide", write_json(tmp_path / "m.json", meetings), tmp_path / "l", SAMPLE_CACHE)
    (listing,) = listings(tmp_path / "l").values()
    assert listing["locations"][0]["hours"] == [
        {"days": ["fri"], "opens": "23:30", "closes": "24:00", "note": "Late Night Meeting"},
        {"days": ["sat"], "opens": "00:00", "closes": "00:30", "note": "Late Night Meeting"},
    ]
    assert listing["summary"] == "Mutual aid group: 1 meeting a week in Halifax."
    assert report.problems == [] and report.changes == []


# --- 10. one bad contact detail costs only that field --------------------------------------------------


def test_a_bad_website_or_email_is_left_out_and_the_service_still_imports(tmp_path):
    services = [
        service("w1", "Example Www Service (sample)", url="www.example.org/recovery"),
        service("w2", "Example Email Service (sample)", email="contact via website", url="https://"),
        service("w3", "Example Good Service (sample)", url="https://example.org/good", email="hello@example.org"),
    ]
    report = import_services(services, tmp_path)
    written = listings(tmp_path / "listings")
    assert len(report.added) == 3
    assert written["example-www-service-sample"]["website"] == "https://www.example.org/recovery"
    assert "website" not in written["example-email-service-sample"]
    assert "email" not in written["example-email-service-sample"]
    assert written["example-good-service-sample"]["email"] == "hello@example.org"
    assert [(p.record.split('"')[1], p.field) for p in report.problems] == [
        ("Example Email Service (sample)", "url"),
        ("Example Email Service (sample)", "email"),
    ]
    assert [(c.field, "had no https://" in c.message) for c in report.changes] == [("url", True)]
    all_valid(tmp_path / "listings")


def test_a_bad_website_or_email_in_a_spreadsheet_costs_only_that_cell(tmp_path):
    sheet = write_sheet(
        tmp_path / "sheet.csv",
        "name,types,summary,website,email,referral_url,last_verified",
        "Example Service (sample),treatment,Support for adults who drink in Leeds.,see our leaflet,"
        "hello at example.org,example.org/refer,2026-09-01",
    )
    report = import_into("csv", sheet, tmp_path / "listings", SAMPLE_CACHE)
    assert [(p.record, p.field) for p in report.problems] == [("row 2", "website"), ("row 2", "email")]
    assert [(c.record, c.field) for c in report.changes] == [("row 2", "referral_url")]
    (listing,) = listings(tmp_path / "listings").values()
    assert "website" not in listing and "email" not in listing
    assert listing["referral"] == {"url": "https://example.org/refer"}


# --- 11. file names from another directory's addresses ------------------------------------------------


def test_only_this_sites_own_listing_pages_name_files(tmp_path):
    council = {"name": "Example Council (sample)", "uri": "https://www.example.org/directory/organisations/example-council"}
    ours = {"name": "Example Circle", "uri": f"{SITE.site_url}/organisations/example-circle/"}
    services = [
        service("u1", "Example Alcohol Service (sample)", organization=council),
        service("u2", "Example Carers Hub (sample)", organization=council),
        service("u3", "Example Women's Circle (sample)", organization=ours),
    ]
    import_services(services, tmp_path)
    assert sorted(listings(tmp_path / "listings")) == [
        "example-alcohol-service-sample",
        "example-carers-hub-sample",
        "example-circle",
    ]


# --- a location's postcode that isn't one ---------------------------------------------------------


def test_a_location_left_out_for_its_postcode_says_so(tmp_path):
    place = {"location": {"name": "Example Hall", "addresses": [{"city": "Leeds", "postal_code": "ZZ99 9ZZ"}]}}
    report = import_services([service("s1", "Example Hall Service (sample)", service_at_locations=[place])], tmp_path)
    messages = {p.field: p.message for p in report.problems}
    assert '"ZZ99 9ZZ" is not a UK postcode' in messages["addresses.postal_code"]
    assert messages["locations"] == (
        'location "Example Hall" has only the postcode "ZZ99 9ZZ" (not a UK postcode) to say where in Leeds it '
        "is, so it was left out."
    )
