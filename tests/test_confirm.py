"""`recovery-directory confirm`: a "Confirm <listing> is up to date" issue, as GitHub's event JSON
(tests/events/), becomes a one-line change to `last_verified` only when its author may confirm.
Whatever the issue holds, the command answers with a reply and never crashes."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from conftest import ROOT
from recovery_directory.confirmation import confirm_url
from recovery_directory.listing.validate import check_file
from temp_project import tiny_project, write_listing

EVENTS = ROOT / "tests" / "events"
TODAY = "2026-11-20"
LISTING_TEXT = """\
# yaml-language-server: $schema=../../schema/organisation.schema.json
name: Alpha Cafe (sample listing)
types: [lero]   # a comment that must survive (after a text value it would be refused: comments.py)
summary: A fictional listing used to test confirmations.
last_verified: 2025-09-01  # checked by phone
maintainers: [example-alpha-team]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    settings = tiny_project(tmp_path)
    folder = tmp_path / "content" / "organisations"
    (folder / "alpha-cafe.yaml").write_text(LISTING_TEXT, encoding="utf-8")
    write_listing(folder, "bravo-group", "maintainers: [bravo-team]")
    return settings


@pytest.fixture
def confirm(cli, project, monkeypatch):
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", TODAY)

    def run(event: str | Path) -> tuple[int, dict]:
        path = event if isinstance(event, Path) else EVENTS / event
        result = cli("confirm", "--settings", str(project), "--event", str(path))
        assert result.stderr == ""
        return result.returncode, (json.loads(result.stdout) if result.stdout else {})

    return run


def listing(project: Path) -> Path:
    return project.parent / "content" / "organisations" / "alpha-cafe.yaml"


@pytest.mark.parametrize(
    "event",
    ["confirm-by-maintainer.json", "confirm-by-maintainer-other-case.json", "confirm-by-project-member.json",
     "confirm-with-listing-address.json", "confirm-windows-line-endings.json"],
)
def test_a_maintainer_confirms_and_only_last_verified_changes(confirm, project, event):
    before = listing(project).read_text(encoding="utf-8")
    code, outcome = confirm(event)
    after = listing(project).read_text(encoding="utf-8")
    assert code == 0 and outcome["changed"] is True
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert changed == [
        "- last_verified: 2025-09-01  # checked by phone", f"+ last_verified: {TODAY}  # checked by phone"
    ]
    result = check_file(listing(project))
    assert result.ok and result.data["last_verified"] == TODAY
    assert outcome["path"] == "content/organisations/alpha-cafe.yaml"
    assert outcome["branch"] == f"confirm/alpha-cafe-{TODAY}"
    assert outcome["title"] == "Confirm Alpha Cafe (sample listing) is up to date"
    assert "Closes #42." in outcome["body"]
    assert outcome["reply"].startswith("Thank you, @") and TODAY in outcome["reply"]


def test_someone_else_gets_a_polite_reply_and_nothing_changes(confirm, project):
    before = listing(project).read_bytes()
    code, outcome = confirm("confirm-by-stranger.json")
    assert code == 0 and outcome["changed"] is False and outcome["path"] == ""
    assert listing(project).read_bytes() == before
    assert "Only the listing's maintainers can confirm it" in outcome["reply"]
    assert "@someone-else isn't one of them" in outcome["reply"] and "`example-alpha-team`" in outcome["reply"]


def test_a_maintainer_of_another_listing_cannot_confirm_this_one(confirm, project, tmp_path):
    event = json.loads((EVENTS / "confirm-by-maintainer.json").read_text())
    event["issue"]["user"]["login"] = "bravo-team"
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    code, outcome = confirm(path)
    assert (code, outcome["changed"]) == (0, False)


def test_confirming_twice_on_one_day_changes_nothing_the_second_time(confirm, project):
    assert confirm("confirm-by-maintainer.json")[1]["changed"] is True
    code, outcome = confirm("confirm-by-maintainer.json")
    assert (code, outcome["changed"]) == (0, False)
    assert "already confirmed today" in outcome["reply"]


@pytest.mark.parametrize(
    ("event", "phrase"),
    [
        ("confirm-unknown-listing.json", "There is no listing called `no-such-listing`"),
        ("confirm-path-traversal.json", "We couldn't tell which listing this is about"),
        ("confirm-empty-answer.json", "We couldn't tell which listing this is about"),
        ("confirm-blank-body.json", "We couldn't tell which listing this is about"),
        ("confirm-free-text-body.json", "We couldn't tell which listing this is about"),
        ("confirm-body-is-a-list.json", "We couldn't tell which listing this is about"),
        ("confirm-no-user.json", "this account isn't one of them"),
        ("not-an-issue.json", "doesn't look like an issue"),
        ("truncated.json", "doesn't look like an issue"),
    ],
)
def test_malformed_issues_get_a_reply_and_no_change(confirm, project, event, phrase):
    before = {path: path.read_bytes() for path in listing(project).parent.iterdir()}
    code, outcome = confirm(event)
    assert code == 0 and outcome["changed"] is False
    assert phrase in outcome["reply"]
    assert {path: path.read_bytes() for path in listing(project).parent.iterdir()} == before


def test_a_listing_with_problems_is_left_to_a_maintainer(confirm, project):
    listing(project).write_text(LISTING_TEXT.replace("types: [lero]", "types: [cafe]"), encoding="utf-8")
    code, outcome = confirm("confirm-by-maintainer.json")
    assert (code, outcome["changed"]) == (0, False)
    assert "has problems that need fixing" in outcome["reply"]


def test_contributor_text_in_the_reply_is_inert(confirm, project):
    listing(project).write_text(
        LISTING_TEXT.replace("name: Alpha Cafe (sample listing)", "name: \"[Click](https://evil.example) @everyone\""),
        encoding="utf-8",
    )
    code, outcome = confirm("confirm-by-stranger.json")
    assert "\\[Click\\]\\(https://evil.example\\)" in outcome["reply"]
    assert "@everyone" not in outcome["reply"]


def test_without_an_event_file_it_says_how_to_give_one(cli, project, monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    result = cli("confirm", "--settings", str(project), "--event", str(tmp_path / "missing.json"))
    assert result.returncode == 2 and "could not be read" in result.stderr


def test_the_issue_form_asks_for_the_field_the_command_reads():
    import yaml
    from recovery_directory.confirmation import CONFIRM_TEMPLATE, LISTING_HEADING

    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / CONFIRM_TEMPLATE).read_text(encoding="utf-8"))
    (field,) = [item for item in form["body"] if item.get("id") == "listing"]
    assert field["attributes"]["label"] == LISTING_HEADING
    assert "confirm-listing" in form["labels"]
    workflow = (ROOT / ".github" / "workflows" / "confirm-listing.yml").read_text(encoding="utf-8")
    assert "'confirm-listing'" in workflow


def test_the_confirmation_link_fills_in_the_form():
    url = confirm_url({"REPOSITORY_URL": "https://github.com/o/r/"}, "alpha-cafe", "Alpha & Co")
    assert url == (
        "https://github.com/o/r/issues/new?template=confirm-listing.yml"
        "&title=Confirm+Alpha+%26+Co+is+up+to+date&listing=alpha-cafe"
    )
