"""`recovery-directory stale`: listings past their review date, oldest first, with maintainers."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import run_cli
from temp_project import tiny_project, write_listing

TODAY = "2027-04-01"

# slug: (last_verified, extra YAML lines)
LISTINGS = {
    "alpha-cafe": ("2026-01-10", "maintainers: [alpha-team]"),
    "bravo-housing": ("2025-06-01", "maintainers: [bravo-team, bravo-lead]"),
    "charlie-line": ("2026-12-01", "review_every_months: 3\nmaintainers: [charlie-team]"),
    "delta-group": ("2026-05-01", "maintainers: [delta-team]"),
    "echo-closed": ("2024-01-01", "status: closed\nmaintainers: [echo-team]"),
    "foxtrot-paused": ("2025-12-01", "status: temporarily_closed"),
    "golf-due-today": ("2026-04-01", "maintainers: [golf-team]"),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny project: settings file plus the listings above. Returns the settings file."""
    settings = tiny_project(tmp_path, "REPOSITORY_URL = 'https://github.com/example/directory'\n")
    for slug, (last_verified, extra) in LISTINGS.items():
        write_listing(tmp_path / "content" / "organisations", slug, extra, last_verified=last_verified)
    return settings


@pytest.fixture
def stale(cli, monkeypatch):
    """Run `recovery-directory stale` in this process (fast) on a project, on a frozen date."""

    def run(settings: Path, *args: str, today: str = TODAY) -> SimpleNamespace:
        monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", today)
        return cli("stale", "--settings", str(settings), *args)

    return run


@pytest.fixture
def report(stale):
    def run(settings: Path, *args: str, today: str = TODAY) -> dict:
        result = stale(settings, "--format", "json", *args, today=today)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return run


def test_overdue_listings_oldest_first_with_maintainers(project, stale, report):
    data = report(project)
    assert data["today"] == TODAY
    assert [item["slug"] for item in data["listings"]] == [
        "bravo-housing",  # verified 2025-06-01
        "foxtrot-paused",  # temporarily closed listings are still shown, so still checked
        "alpha-cafe",
        "charlie-line",  # its own 3-month period ran out on 2027-03-01
    ]  # not delta (due 2027-05-01), golf (due today, not yet past) or echo (closed)
    assert data["count"] == 4
    bravo = data["listings"][0]
    assert bravo["maintainers"] == ["bravo-team", "bravo-lead"]
    assert bravo["review_due"] == "2026-06-01" and bravo["days_overdue"] == 304
    assert bravo["path"] == "content/organisations/bravo-housing.yaml"
    assert bravo["edit_url"] == "https://github.com/example/directory/edit/main/content/organisations/bravo-housing.yaml"
    assert data["listings"][1]["maintainers"] == []


def test_months_replaces_each_listings_review_period(project, stale, report):
    data = report(project, "--months", "6")
    assert data["months"] == 6
    assert [item["slug"] for item in data["listings"]] == [
        "bravo-housing",
        "foxtrot-paused",
        "alpha-cafe",
        "golf-due-today",
        "delta-group",
    ]  # charlie (verified 2026-12-01) is within 6 months
    assert data["listings"][-1]["review_due"] == "2026-11-01"


def test_a_day_later_the_listing_due_today_is_overdue(project, stale, report):
    slugs = [item["slug"] for item in report(project, today="2027-04-02")["listings"]]
    assert "golf-due-today" in slugs


def test_markdown_mentions_maintainers_and_escapes_listing_text(project, stale, report):
    folder = project.parent / "content" / "organisations"
    write_listing(folder, "hotel-mischief", "maintainers: [hotel-team]", last_verified="2025-01-01",
                  name="Hotel [click](https://evil.example) @everyone | <b>x</b>")
    result = stale(project, "--format", "markdown")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "@bravo-team, @bravo-lead" in text
    assert "@alpha-team" in text and "@charlie-team" in text
    assert "@delta-team" not in text and "@echo-team" not in text
    row = next(line for line in text.splitlines() if "hotel-mischief" in line)
    assert "[click](" not in row and "\\[click\\]" in row
    assert "@everyone" not in row and "@\u200beveryone" in row
    assert "<b>" not in row and "\\|" in row
    assert row.count(" | ") == 4, "the name's pipe must not add a table column"
    # "Still accurate?": a pre-filled confirmation issue for this listing, its URL fully encoded.
    confirm = row.rsplit(" | ", 1)[1]
    assert confirm.startswith("[Confirm](https://github.com/example/directory/issues/new?template=confirm-listing.yml&")
    assert confirm.endswith("&listing=hotel-mischief) |") and " " not in confirm[:-2] and "(" not in confirm[10:]
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert [r.split(".yaml)")[0].split("/")[-1] for r in rows][:2] == ["hotel-mischief", "bravo-housing"]


def test_text_lists_paths_dates_and_maintainers(project, stale, report):
    result = stale(project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("4 listings are overdue for review (today is 2027-04-01)")
    paths = [line for line in lines if line.startswith("content/organisations/")]
    assert paths[0] == "content/organisations/bravo-housing.yaml"
    assert "  maintainers: @bravo-team, @bravo-lead" in lines
    assert "  maintainers: none listed" in lines


def test_nothing_overdue_says_so(project, stale, report):
    folder = project.parent / "content" / "organisations"
    for slug in ("alpha-cafe", "bravo-housing", "foxtrot-paused"):
        folder.joinpath(f"{slug}.yaml").unlink()
    result = stale(project, today="2026-12-15")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "No listings are overdue for review (today is 2026-12-15).\n"
    markdown = stale(project, "--format", "markdown", today="2026-12-15").stdout
    assert markdown.startswith("No listings are overdue for review as of 15 December 2026.")


def test_an_invalid_listing_stops_the_report_instead_of_vanishing_from_it(project, stale, report):
    folder = project.parent / "content" / "organisations"
    folder.joinpath("india-broken.yaml").write_text("name: Broken\ntypes: [pub]\n", encoding="utf-8")
    result = stale(project)
    assert result.returncode == 2
    assert "india-broken.yaml" in result.stderr and "recovery-directory validate" in result.stderr


@pytest.mark.parametrize("months", ["0", "-3", "six"])
def test_months_must_be_a_positive_whole_number(project, months, stale, report):
    result = stale(project, "--months", months)
    assert result.returncode == 2
    assert "whole number of months" in result.stderr


def test_the_sample_listings_report_parses(root):
    result = run_cli("stale", "--format", "json", env={"RECOVERY_DIRECTORY_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["count"] == len(data["listings"])
    assert all(item["review_due"] < TODAY for item in data["listings"])
    assert [item["last_verified"] for item in data["listings"]] == sorted(i["last_verified"] for i in data["listings"])
