"""Geocoding online: real HTTP to loopback servers that answer like postcodes.io and Nominatim.

Postcodes are placed offline from the ONS data first (tests/test_geography.py); the online path
is for what that data can't place: addresses without a postcode, and postcodes newer than the
installed data or without a grid reference. To exercise it with the recorded postcodes, these
tests switch the offline data off (``no_offline_postcodes``), as if it knew none of them.

Nothing here mocks a Python call: the geocoders talk HTTP to ``FakeService`` servers that answer
from the hand-written recordings in tests/recordings/ (written from the services' documented
formats; postcodes_io/LS27UF.json deliberately answers for a different postcode).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_services import RECORDINGS as ALL_RECORDINGS
from fake_services import (
    FakeService,
    Reply,
    nominatim_routes,
    postcodes_io_routes,
    refused_url,
)
from recovery_directory.cli import main
from recovery_directory.geocoding import ons_postcodes
from recovery_directory.geocoding.cache import CacheError, GeocodeCache, location_query
from recovery_directory.geocoding.common import cache_path, uk_point_problem
from recovery_directory.geocoding.fill import fill_cache, metres_apart
from recovery_directory.geocoding.offline import ONSPostcodes
from recovery_directory.geocoding.placing import location_point, prepare_build_cache
from recovery_directory.geocoding.providers import PostcodesIO
from recovery_directory.listing.checks import postcode_problem
from recovery_directory.settings import load_settings

TODAY = "2026-11-23"
RECORDINGS = ALL_RECORDINGS / "postcodes_io"
USER_AGENT = "recovery-directory-tests/1 (+https://example.org/tests)"

# A cache as committed before each run: a hand-written entry, one from each provider.
SEED = (
    "{\n"
    '  "BD1 1HY": {"date": "2026-01-05", "lat": 53.792, "local_authority": "Bradford", '
    '"local_authority_code": "E08000032", "lon": -1.7522, "provider": "manual"},\n'
    '  "LS2 7UE": {"date": "2026-01-05", "lat": 53.800851, "local_authority": "Leeds", '
    '"local_authority_code": "E08000035", "lon": -1.549114, "provider": "postcodes.io"},\n'
    '  "Old Road, Leeds": {"date": "2026-01-05", "lat": 53.79, "local_authority": null, '
    '"local_authority_code": null, "lon": -1.54, "provider": "nominatim"}\n'
    "}\n"
)
SEED_LINES = [line.rstrip(",") for line in SEED.splitlines()[1:-1]]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", TODAY)


class KnowsNoPostcodes:
    """Stands in for the offline ONS geocoder: places nothing."""

    def geocode_many(self, queries):
        return {}

    def raw_many(self, queries):
        return {}


@pytest.fixture(autouse=True)
def no_offline_postcodes(monkeypatch):
    monkeypatch.setattr("recovery_directory.geocoding.fill.ONSPostcodes", KnowsNoPostcodes)
    monkeypatch.setattr("recovery_directory.geocoding.placing.raw_answers", KnowsNoPostcodes().raw_many)
    monkeypatch.setattr("recovery_directory.listing.checks.postcode_problem", lambda postcode: None)


@pytest.fixture
def postcodes_io():
    with FakeService(postcodes_io_routes()) as service:
        yield service


@pytest.fixture
def nominatim():
    answers = {
        "Market Street, Halifax": "search_market_street_halifax.json",
        "Donegall Street, Belfast": "search_donegall_street_belfast.json",
        "Market Street, Newry": "search_wrong_country.json",
    }
    with FakeService(nominatim_routes(answers)) as service:
        yield service


class Project:
    """A throwaway project: settings file, listings and cache in tmp_path."""

    def __init__(self, root: Path):
        self.root = root
        self.organisations = root / "content" / "organisations"
        self.organisations.mkdir(parents=True)
        self.cache_file = root / "geocoding" / "cache.json"
        self.settings_file = root / "pelicanconf.py"

    def configure(self, postcodes_url: str, nominatim_url: str, **extra: Any) -> None:
        values = {
            "PATH": "content",
            "TIMEZONE": "Europe/London",
            "SITEURL": "",
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "GEOCODE_CACHE_PATH": "geocoding/cache.json",
            "POSTCODES_IO_URL": postcodes_url,
            "NOMINATIM_URL": nominatim_url,
            "GEOCODER_USER_AGENT": USER_AGENT,
            "GEOCODE_TIMEOUT": 1,
            "GEOCODE_RATE_LIMIT_SECONDS": 0,
            **extra,
        }
        self.settings_file.write_text(
            "".join(f"{key} = {value!r}\n" for key, value in values.items()), encoding="utf-8"
        )

    def settings(self) -> dict[str, Any]:
        return load_settings(self.settings_file)

    def seed(self, text: str = SEED) -> bytes:
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        self.cache_file.write_text(text, encoding="utf-8")
        return self.cache_file.read_bytes()

    def listing(self, slug: str, *locations: dict[str, Any]) -> Path:
        """A minimal valid listing (DESIGN.md's data model) with these locations."""
        lines = [
            f"name: {slug.replace('-', ' ').title()} (sample listing)",
            "types: [mutual_aid]",
            "summary: A fictional sample listing used by the geocoding tests.",
            "last_verified: 2026-10-01",
        ]
        if locations:
            lines.append("locations:")
            for location in locations:
                lines.append(f"  - {json.dumps(location)}")
        path = self.organisations / f"{slug}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def cache(self) -> dict[str, Any]:
        return json.loads(self.cache_file.read_text(encoding="utf-8"))

    def run(self, capsys, *args: str) -> tuple[int, str, str]:
        code = main(["geocode", "--settings", str(self.settings_file), *args])
        out, err = capsys.readouterr()
        return code, out, err

    def assert_seed_intact(self) -> None:
        """The file is valid JSON and every entry that was there is there byte for byte."""
        text = self.cache_file.read_text(encoding="utf-8")
        json.loads(text)
        lines = [line.rstrip(",") for line in text.splitlines()]
        for line in SEED_LINES:
            assert line in lines


@pytest.fixture
def project(tmp_path, postcodes_io, nominatim):
    project = Project(tmp_path)
    project.configure(postcodes_io.url, nominatim.url)
    return project


def place(postcode=None, address=None, town="Leeds", **extra):
    location = {"name": "The Hall", "town": town, **extra}
    if address:
        location["address"] = address
    if postcode:
        location["postcode"] = postcode
    return location


# -- success -----------------------------------------------------------------------------------
def test_single_postcode_is_added_with_its_local_authority(project, postcodes_io, capsys):
    seeded = project.seed()
    project.listing("calder-cafe", place("hx1  1re", town="Halifax"))
    project.listing("leeds-group", place("LS2 7UE"))  # already cached: not looked up

    code, out, err = project.run(capsys)

    assert code == 0, err
    assert [r.target for r in postcodes_io.requests] == ["/postcodes/HX1%201RE"]
    assert postcodes_io.requests[0].headers["user-agent"] == USER_AGENT
    assert project.cache()["HX1 1RE"] == {
        "date": TODAY,
        "lat": 53.723612,
        "local_authority": "Calderdale",
        "local_authority_code": "E08000033",
        "lon": -1.856034,
        "provider": "postcodes.io",
    }
    project.assert_seed_intact()
    # Only one line is added to the diff.
    added = set(project.cache_file.read_bytes().splitlines()) - set(seeded.splitlines())
    assert len(added) == 1
    assert b'"HX1 1RE"' in added.pop()
    assert "HX1 1RE: 53.72361, -1.85603 (Calderdale, postcodes.io)" in out
    assert "calder-cafe.yaml" in out
    assert "1 added" in out and "1 already cached" in out


def test_bulk_lookup_covers_the_uk_and_rejects_the_rest(project, postcodes_io, capsys):
    project.seed()
    project.listing(
        "many-places",
        place("BT1 5GS", town="Belfast"),  # Northern Ireland
        place("TR21 0HE", town="St Mary's"),  # Isles of Scilly
        place("ZE1 0AA", town="Lerwick"),  # Shetland
        place("HX1 2YL", town="Halifax"),  # terminated
        place("LS99 9ZZ"),  # not found
        place("LS2 7UF"),  # the answer is for another postcode
        place("JE2 3AB", town="St Helier"),  # Channel Islands: not the UK
    )

    code, out, err = project.run(capsys)

    assert code == 1
    posts = postcodes_io.requests_to("POST", "/postcodes")
    assert len(posts) == 1
    assert posts[0].json() == {
        "postcodes": ["BT1 5GS", "TR21 0HE", "ZE1 0AA", "HX1 2YL", "LS99 9ZZ", "LS2 7UF", "JE2 3AB"]
    }
    # The two with no result are asked about singly, to say why.
    assert [r.path for r in postcodes_io.requests_to("GET")] == [
        "/postcodes/HX1 2YL",
        "/postcodes/LS99 9ZZ",
    ]
    cache = project.cache()
    assert cache["BT1 5GS"]["local_authority"] == "Belfast"
    assert cache["BT1 5GS"]["local_authority_code"] == "N09000003"
    assert cache["TR21 0HE"]["local_authority"] == "Isles of Scilly"
    assert cache["ZE1 0AA"]["local_authority_code"] == "S12000027"
    for rejected in ("HX1 2YL", "LS99 9ZZ", "LS2 7UF", "JE2 3AB"):
        assert rejected not in cache
    project.assert_seed_intact()
    assert "terminated in June 2019" in err
    assert "postcodes.io has no record of this postcode" in err
    assert "answered for 'LS2 7UE' when asked for 'LS2 7UF'" in err
    assert "JE2 3AB is in the Channel Islands, which is not part of the UK" in err
    assert "many-places.yaml" in err
    assert "3 added" in out and "4 failed" in out


def test_recorded_bulk_answer_parses(postcodes_io):
    postcodes_io.route("POST /postcodes", Reply.recording("postcodes_io/bulk_HX11RE_BT15GS_HX12YL.json"))
    geocoder = PostcodesIO(url=postcodes_io.url, timeout=1, user_agent=USER_AGENT)
    answers = geocoder.geocode_bulk(["HX1 1RE", "BT1 5GS", "HX1 2YL"])
    assert [(query, bool(location)) for query, location in answers] == [
        ("HX1 1RE", True),
        ("BT1 5GS", True),
        ("HX1 2YL", False),
    ]
    assert answers[1][1].point[:2] == (54.596398, -5.930099)


def test_bulk_requests_hold_at_most_100_postcodes(tmp_path, postcodes_io):
    def answer(request):
        queries = request.json()["postcodes"]
        result = [
            {
                "query": q,
                "result": {
                    "postcode": q,
                    "latitude": 53.8,
                    "longitude": -1.55,
                    "country": "England",
                    "admin_district": "Leeds",
                    "codes": {"admin_district": "E08000035"},
                },
            }
            for q in queries
        ]
        return Reply(200, {"status": 200, "result": result})

    postcodes_io.route("POST /postcodes", answer)
    postcodes = [f"LS{d} {n}{a}{b}" for d in (1, 2) for n in range(1, 9) for a in "ABDEF" for b in "ABDEFG"]
    postcodes = postcodes[:150]
    cache = GeocodeCache(tmp_path / "cache.json")
    settings = {"POSTCODES_IO_URL": postcodes_io.url, "GEOCODE_RATE_LIMIT_SECONDS": 0, "GEOCODE_TIMEOUT": 1}
    totals = []

    class Bar:
        def __init__(self, total):
            totals.append(total)
            self.done = 0

        def update(self, n=1):
            self.done += n

        def close(self):
            totals.append(self.done)

    report = fill_cache(postcodes, cache, settings, progress=Bar)

    assert [len(r.json()["postcodes"]) for r in postcodes_io.requests] == [100, 50]
    assert len(report.added) == 150 and report.ok
    assert totals == [150, 150]
    assert not cache.path.exists()  # fill_cache leaves saving to the caller unless autosave


def test_address_goes_to_nominatim_with_a_uk_filter(project, nominatim, postcodes_io, capsys):
    project.seed()
    project.listing("halifax-market", place(address="Market Street", town="Halifax"))

    code, out, err = project.run(capsys)

    assert code == 0, err
    assert postcodes_io.requests == []
    (request,) = nominatim.requests
    assert request.path == "/search"
    assert request.query == {
        "q": "Market Street, Halifax",
        "format": "json",
        "limit": "1",
        "countrycodes": "gb",
        "addressdetails": "1",
    }
    assert request.headers["user-agent"] == USER_AGENT
    assert project.cache()["Market Street, Halifax"] == {
        "date": TODAY,
        "lat": 53.721459,
        "local_authority": None,
        "local_authority_code": None,
        "lon": -1.859023,
        "provider": "nominatim",
    }
    project.assert_seed_intact()
    assert "Market Street, Halifax" in out


# -- failures ----------------------------------------------------------------------------------
def test_no_result_from_nominatim(project, nominatim, capsys):
    seeded = project.seed()
    project.listing("nowhere", place(address="1 Imaginary Lane", town="Nowhere"))
    code, _, err = project.run(capsys)
    assert code == 1
    assert "Nominatim found no place in the UK for this address" in err
    assert "nowhere.yaml" in err
    assert project.cache_file.read_bytes() == seeded


def test_nominatim_answer_in_the_wrong_country_is_rejected(project, nominatim, capsys):
    seeded = project.seed()
    project.listing("newry", place(address="Market Street", town="Newry"))
    code, _, err = project.run(capsys)
    assert code == 1
    assert "best match is in Ireland (country code 'ie'), not the UK" in err
    assert project.cache_file.read_bytes() == seeded


FAILURES = {
    "404": (lambda: Reply.recording("postcodes_io/error_resource_not_found.json"), "HTTP 404"),
    "429": (
        lambda: Reply.recording("postcodes_io/error_rate_limited.json", headers={"Retry-After": "120"}),
        "HTTP 429 Too Many Requests) and asked us to wait 120 seconds",
    ),
    "500": (lambda: Reply.recording("postcodes_io/error_server.json"), "server error (HTTP 500)"),
    "timeout": (lambda: Reply(delay=5), "did not answer within 1 second"),
    "malformed": (Reply.malformed, "not the JSON it normally sends"),
    "refused": (None, "could not connect to {name} at {url} (connection refused)"),
}


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("lookup", ["postcode", "bulk", "address"])
def test_failures_leave_the_cache_alone(project, postcodes_io, nominatim, capsys, lookup, failure):
    seeded = project.seed()
    make_reply, expected = FAILURES[failure]
    if lookup == "address":
        service, name = nominatim, "Nominatim"
        project.listing(
            "two-streets",
            place(address="Market Street", town="Halifax"),
            place(address="Donegall Street", town="Belfast"),
        )
        routes = ["GET /search"]
    else:
        service, name = postcodes_io, "postcodes.io"
        postcodes = ["BT1 5GS", "ZE1 0AA"] if lookup == "bulk" else ["BT1 5GS"]
        project.listing("belfast", *[place(pc, town="Belfast") for pc in postcodes])
        routes = ["GET /postcodes/*", "POST /postcodes"]
    if make_reply is None:
        url = refused_url()
        if service is nominatim:
            project.configure(postcodes_io.url, url)
        else:
            project.configure(url, nominatim.url)
    else:
        url = service.url
        for route in routes:
            service.route(route, make_reply())

    code, out, err = project.run(capsys)

    assert code == 1
    assert expected.format(name=name, url=url) in err
    assert "two-streets.yaml" in err if lookup == "address" else "belfast.yaml" in err
    assert project.cache_file.read_bytes() == seeded
    if failure in ("429", "refused"):
        # Once a service refuses or is rate-limited, nothing more is sent to it in this run.
        assert len(service.requests) <= 1
        if lookup == "address":
            assert "not tried:" in err


def test_exit_status_from_a_subprocess(tmp_path, postcodes_io, nominatim):
    """The real command, offline data on: a made-up postcode stops its listing, a real one is
    placed from the ONS data and needs no cache entry."""
    project = Project(tmp_path)
    project.configure(postcodes_io.url, nominatim.url)
    seeded = project.seed()
    project.listing("unknown", place("LS99 9ZZ"))
    project.listing("calder", place("HX1 1RE", town="Halifax"))
    done = _subprocess(project, ["geocode"], capture=True)
    assert done.returncode == 1
    assert '"LS99 9ZZ" is not a postcode in the ONS Postcode Directory' in done.stderr
    assert "unknown.yaml: skipped until it is fixed." in done.stderr
    assert "1 placed offline from the ONS data (nothing to cache)" in done.stdout
    assert postcodes_io.requests == [] and nominatim.requests == []
    assert project.cache_file.read_bytes() == seeded


# -- killed half-way ---------------------------------------------------------------------------
def _subprocess(project, args, capture=False, **kwargs):
    command = [sys.executable, "-m", "recovery_directory.cli", *args, "--settings", str(project.settings_file)]
    env = {**os.environ, "RECOVERY_DIRECTORY_TODAY": TODAY}
    if capture:
        return subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True, timeout=60, **kwargs)
    return subprocess.Popen(
        command,
        cwd=project.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell starts background jobs with SIGINT ignored, and a child inherits that: give the
        # command Ctrl+C's usual meaning whatever the test run was started from.
        preexec_fn=_default_sigint,
        **kwargs,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_half_way_the_cache_is_still_valid(tmp_path, postcodes_io, nominatim, how):
    project = Project(tmp_path)
    project.configure(postcodes_io.url, nominatim.url, GEOCODE_TIMEOUT=30)
    project.seed()
    project.listing(
        "half-way",
        place("HX1 1RE", town="Halifax"),
        place(address="Market Street", town="Halifax"),
        place(address="Donegall Street", town="Belfast"),  # the server stalls on this one
    )
    nominatim.route(
        "GET /search",
        [
            Reply.recording("nominatim/search_market_street_halifax.json"),
            Reply(stall=True),
        ],
    )

    process = _subprocess(project, ["geocode"])
    try:
        assert nominatim.wait_for_requests(2, timeout=30), process.communicate(timeout=5)
        process.send_signal(how)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    if how == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 130, err
        assert "saved" in err
    project.assert_seed_intact()
    cache = project.cache()
    # What was found before the stall was saved as it went; nothing else.
    # (HX1 1RE is placed offline from the ONS data: it never needs an entry.)
    assert set(cache) == {"BD1 1HY", "LS2 7UE", "Old Road, Leeds", "Market Street, Halifax"}
    assert not [p for p in project.cache_file.parent.iterdir() if p.name != "cache.json"]


# -- refresh, overrides, the build -------------------------------------------------------------
def test_refresh_updates_provider_entries_but_keeps_manual_ones(project, postcodes_io, capsys):
    project.seed(SEED.replace("53.800851", "53.9"))  # LS2 7UE has since moved
    project.listing("leeds", place("LS2 7UE"), place("BD1 1HY", town="Bradford"), place("HX1 1RE", town="Halifax"))

    code, out, err = project.run(capsys, "--refresh")

    assert code == 0, err
    asked = sorted(r.json()["postcodes"] for r in postcodes_io.requests_to("POST"))
    assert asked == [["LS2 7UE", "HX1 1RE"]]  # not the manual BD1 1HY
    cache = project.cache()
    assert cache["LS2 7UE"]["lat"] == 53.800851 and cache["LS2 7UE"]["date"] == TODAY
    assert "Updated in" in out and "1 updated" in out and "1 added" in out


def test_refresh_with_the_same_answer_changes_nothing(project, postcodes_io, capsys):
    seeded = project.seed()
    project.listing("leeds", place("LS2 7UE"))
    code, out, _ = project.run(capsys, "--refresh")
    assert code == 0
    assert project.cache_file.read_bytes() == seeded
    assert "1 unchanged" in out


def test_coordinates_override_geocoding(project, postcodes_io, nominatim, capsys):
    seeded = project.seed()
    override = {"lat": 53.7, "lon": -1.86}
    project.listing(
        "pinned",
        place("LS2 7UE", coordinates=override),
        place(address="Market Street", town="Halifax", coordinates=override),
    )
    code, out, _ = project.run(capsys)
    assert code == 0
    assert postcodes_io.requests == [] and nominatim.requests == []
    assert project.cache_file.read_bytes() == seeded
    cache = GeocodeCache(project.cache_file)
    assert location_point(place("LS2 7UE", coordinates=override), cache) == (53.7, -1.86)
    assert location_point(place("LS2 7UE"), cache) == (53.800851, -1.549114)


def test_build_reads_only_the_cache_and_warns(project, postcodes_io, nominatim, caplog):
    seeded = project.seed()
    path = project.listing("new-place", place("HX1 1RE", town="Halifax"), place("LS2 7UE"))
    data = {"locations": [place("HX1 1RE", town="Halifax"), place("LS2 7UE")]}

    with caplog.at_level(logging.WARNING, logger="recovery_directory.geocoding.placing"):
        cache = prepare_build_cache(project.settings(), [(path, data)])

    assert postcodes_io.requests == [] and nominatim.requests == []
    assert project.cache_file.read_bytes() == seeded
    assert location_point(data["locations"][1], cache) == (53.800851, -1.549114)
    assert location_point(data["locations"][0], cache) is None
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "new-place.yaml" in warning and "'HX1 1RE'" in warning
    assert "recovery-directory geocode" in warning


def test_build_fills_gaps_when_online(project, postcodes_io, caplog):
    project.seed()
    project.configure(postcodes_io.url, refused_url(), GEOCODE_ONLINE=True)
    path = project.listing("new-place", place("HX1 1RE", town="Halifax"))
    data = {"locations": [place("HX1 1RE", town="Halifax"), place(address="Market Street", town="Halifax")]}

    with caplog.at_level(logging.WARNING, logger="recovery_directory.geocoding.placing"):
        cache = prepare_build_cache(project.settings(), [(path, data)])

    assert location_point(data["locations"][0], cache) == (53.723612, -1.856034)
    assert "HX1 1RE" in project.cache()
    project.assert_seed_intact()
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "connection refused" in messages and "Market Street, Halifax" in messages


# -- the cache file and its keys ---------------------------------------------------------------
def test_cache_file_format_round_trips(tmp_path):
    path = tmp_path / "cache.json"
    path.write_text(SEED, encoding="utf-8")
    cache = GeocodeCache(path)
    assert cache.dumps() == SEED
    cache.put("HX1 1RE", {"date": TODAY, "lat": 53.7, "lon": -1.8, "provider": "manual"})
    assert cache.save()
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[2] == (
        '  "HX1 1RE": {"date": "2026-11-23", "lat": 53.7, "local_authority": null, '
        '"local_authority_code": null, "lon": -1.8, "provider": "manual"},'
    )
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]
    assert GeocodeCache(tmp_path / "missing.json").dumps() == "{}\n"


def test_unchanged_entries_keep_their_exact_text(tmp_path):
    path = tmp_path / "cache.json"
    odd = '{\n  "A1 1AA": {"lat": 53.72480, "lon": -1.8658, "provider": "manual", "date": "2026-01-01"}\n}\n'
    path.write_text(odd, encoding="utf-8")
    cache = GeocodeCache(path)
    cache.put("B1 1AA", {"date": TODAY, "lat": 52.5, "lon": -1.9, "provider": "manual"})
    cache.save()
    assert '"A1 1AA": {"lat": 53.72480, "lon": -1.8658, "provider": "manual", "date": "2026-01-01"},' in (
        path.read_text(encoding="utf-8")
    )


def test_a_corrupt_cache_is_reported_and_left_alone(project, capsys):
    project.cache_file.parent.mkdir(parents=True)
    project.cache_file.write_text('{\n  "HX1 1RE": {"lat": 53.7,\n', encoding="utf-8")
    project.listing("calder-cafe", place("HX1 1RE", town="Halifax"))
    code, _, err = project.run(capsys)
    assert code == 1
    assert "not valid JSON" in err
    assert project.cache_file.read_text(encoding="utf-8") == '{\n  "HX1 1RE": {"lat": 53.7,\n'
    with pytest.raises(CacheError):
        GeocodeCache(project.cache_file).put("X", {"lat": "north"})


def test_location_queries():
    assert location_query({"postcode": "hx11re", "address": "1 Road", "town": "Halifax"}) == "HX1 1RE"
    assert location_query({"address": " 12  Example Street,\n", "town": "Halifax"}) == ("12 Example Street, Halifax")
    assert location_query({"address": "12 Example Street, Halifax", "town": "halifax"}) == (
        "12 Example Street, Halifax"
    )
    assert location_query({"postcode": "HX1 1RE", "coordinates": {"lat": 53.7, "lon": -1.8}}) is None
    assert location_query({"name": "Online only"}) is None


@pytest.mark.parametrize(
    ("lat", "lon", "problem"),
    [
        (54.5964, -5.9301, None),  # Belfast
        (49.9146, -6.3133, None),  # Isles of Scilly
        (60.8, -0.8, None),  # Unst, Shetland
        (54.15, -4.48, "Isle of Man"),
        (49.19, -2.11, "Channel Islands"),
        (-1.86, 53.72, "swapped"),
        (48.85, 2.35, "outside the UK"),
    ],
)
def test_uk_bounds(lat, lon, problem):
    found = uk_point_problem(lat, lon)
    assert found is None if problem is None else problem in found


def test_relative_cache_path_is_in_the_project_folder(project):
    assert cache_path(project.settings()) == project.cache_file


# -- cross-checking the offline data ------------------------------------------------------------
def test_cross_check_reports_where_postcodes_io_disagrees_and_caches_nothing(
    project, postcodes_io, monkeypatch, capsys
):
    """The offline data is on here. Expectations come from it and from the recordings (which
    were written by hand: HX1 1RE's position is some way off, BT1 5GS's is close)."""
    monkeypatch.setattr("recovery_directory.geocoding.fill.ONSPostcodes", ONSPostcodes)
    monkeypatch.setattr("recovery_directory.listing.checks.postcode_problem", postcode_problem)
    seeded = project.seed()
    project.listing("three", place("HX1 1RE", town="Halifax"), place("BT1 5GS", town="Belfast"),
                    place("ZE1 0AA", town="Lerwick"))
    code, out, err = project.run(capsys, "--cross-check")
    recorded = {pc: json.loads((RECORDINGS / f"{pc.replace(' ', '')}.json").read_text())["result"]
                for pc in ("HX1 1RE", "BT1 5GS", "ZE1 0AA")}
    ours = ons_postcodes.lookup(recorded)
    apart = {
        pc: metres_apart((ours[pc].lat, ours[pc].lon), (r["latitude"], r["longitude"])) for pc, r in recorded.items()
    }
    far = sorted(pc for pc, metres in apart.items() if metres > 100)
    assert far and "BT1 5GS" not in far
    assert code == 1
    for pc in far:
        assert f"{pc}: postcodes.io puts it {apart[pc]:,.0f} m from the ONS data's point" in err
    assert "BT1 5GS" not in err and "postcodes.io says" not in err  # the authorities agree
    assert "Cross-checked 3 postcode(s) with postcodes.io" in out
    posts = postcodes_io.requests_to("POST", "/postcodes")
    assert [sorted(r.json()["postcodes"]) for r in posts] == [["BT1 5GS", "HX1 1RE", "ZE1 0AA"]]
    assert project.cache_file.read_bytes() == seeded
