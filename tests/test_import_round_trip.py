"""Our own exports imported back give the same listings, for every field each format carries:
exporting the re-imported listings gives the same file again (Meeting Guide: the same meetings;
Open Referral and CSV: the same tables). Over the sample listings and, as a property test, over
seeded synthetic listings (benchmarks/synthetic.py) given online sessions with joining links."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_tools import EXPORTS, SAMPLE_CACHE, SAMPLES, export, import_into, load_directory
from recovery_directory.listing.listing_yaml import listing_yaml
from recovery_directory.listing.validate import check_file

from benchmarks.synthetic import generate

KINDS = sorted(EXPORTS)


def comparable(kind: str, path: Path) -> Any:
    """The export as the format carries it. Meeting Guide slugs and urls name our files and pages
    (not carried back: the import chooses file names), and an online meeting's address is only the
    approximate area the format asks for, so those are set aside; the meetings are compared as a set."""
    if kind == "csv":
        return path.read_bytes().decode("utf-8-sig")
    data = json.loads(path.read_text(encoding="utf-8"))
    if kind == "openreferral":
        return data
    meetings = []
    for meeting in data:
        meeting = {k: v for k, v in meeting.items() if k not in ("slug", "url")}
        if meeting.get("approximate") == "yes":
            meeting.pop("formatted_address"), meeting.pop("regions")
        meetings.append(json.dumps(meeting, sort_keys=True))
    return sorted(meetings)


def assert_round_trip(kind: str, originals: Path, cache: Path, work: Path) -> None:
    before = export(kind, load_directory(originals, cache), work)
    imported = work / "imported"
    report = import_into(kind, before, imported, cache)
    assert not report.problems, "\n".join(map(str, report.problems))
    for path in imported.glob("*.yaml"):  # every written listing passes `validate`
        assert check_file(path).ok, path
    again = work / "again"
    again.mkdir()
    after = export(kind, load_directory(imported, cache), again)
    assert comparable(kind, after) == comparable(kind, before)
    second = import_into(kind, before, imported, cache)  # and importing again changes nothing
    assert (second.added, second.updated, second.conflicts, second.vanished) == ([], [], [], [])


@pytest.mark.parametrize("kind", KINDS)
def test_samples_round_trip(kind: str, tmp_path: Path) -> None:
    assert_round_trip(kind, SAMPLES, SAMPLE_CACHE, tmp_path)


SESSION = st.fixed_dictionaries(
    {
        "days": st.lists(
            st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=1, max_size=3, unique=True
        ),
        "opens": st.sampled_from(["07:00", "12:30", "19:00", "22:15"]),
        "closes": st.sampled_from(["23:00", "24:00"]),
    },
    optional={
        "note": st.sampled_from(["Online meeting", "Phone meeting", "Step study (online)"]),
        "join_url": st.sampled_from(["https://zoom.us/j/0000000001", "https://meet.jit.si/example-room"]),
        "join_phone": st.sampled_from(["0131 496 0000", "0113 496 0999"]),
        "join_notes": st.sampled_from(["Passcode: hope", "Meeting ID 000 000 0000"]),
    },
)


def add_online_sessions(folder: Path, sessions: list[dict[str, Any]], seed: int) -> None:
    """Give some listings online-only sessions and some venue sessions a joining link (the fields
    synthetic listings don't have)."""
    rng = random.Random(seed)  # noqa: S311 - test data
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status") == "closed" or rng.random() < 0.5:
            continue
        data["last_verified"] = str(data["last_verified"])
        chosen = [dict(s) for s in sessions if rng.random() < 0.6]
        for session in chosen:
            if not session.get("join_url") and not session.get("join_phone"):
                session.pop("join_notes", None)
        if chosen:
            data["online_hours"] = chosen
        for location in data.get("locations", []):
            for hours in location.get("hours", []):
                if rng.random() < 0.3:
                    hours["join_url"] = "https://zoom.us/j/0000000002"
        path.write_text(listing_yaml(data), encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(1, 10_000), count=st.integers(1, 30), sessions=st.lists(SESSION, max_size=3))
def test_synthetic_round_trip(kind: str, seed: int, count: int, sessions: list[dict[str, Any]]) -> None:
    work = Path(tempfile.mkdtemp(prefix="import-round-trip-"))
    try:
        generate(count, work, seed)
        originals = work / "content" / "organisations"
        add_online_sessions(originals, sessions, seed)
        assert_round_trip(kind, originals, work / "geocoding" / "cache.json", work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("kind", KINDS)
def test_a_pin_placed_by_hand_survives_the_round_trip(kind: str, tmp_path: Path) -> None:
    """A location whose `coordinates` differ from its postcode's point keeps them; one whose
    coordinates only repeat the postcode's gets none (the postcode places it)."""
    originals = tmp_path / "listings"
    originals.mkdir()
    listing = yaml.safe_load((SAMPLES / "halifax-mutual-aid-meetings.yaml").read_text(encoding="utf-8"))
    listing["last_verified"] = str(listing["last_verified"])
    listing["locations"][0]["coordinates"] = {"lat": 53.7201, "lon": -1.8702}  # the car park round the back
    (originals / "halifax-mutual-aid-meetings.yaml").write_text(listing_yaml(listing), encoding="utf-8")
    assert_round_trip(kind, originals, SAMPLE_CACHE, tmp_path)
    (imported,) = (tmp_path / "imported").glob("*.yaml")
    locations = yaml.safe_load(imported.read_text(encoding="utf-8"))["locations"]
    assert locations[0]["coordinates"] == {"lat": 53.7201, "lon": -1.8702}
    assert "coordinates" not in locations[1]
