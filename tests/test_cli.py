"""`recovery-directory validate` and `new` as real subprocesses."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import run_cli
from recovery_directory.listing.problems import Problem

HERE = Path(__file__).resolve().parent
VALID = HERE / "listings" / "valid"
INVALID = HERE / "listings" / "invalid"
TODAY = {"RECOVERY_DIRECTORY_TODAY": "2026-11-01"}


def mixed_folder(tmp_path: Path, bad: list[str]) -> Path:
    folder = tmp_path / "organisations"
    folder.mkdir()
    for name in ("minimal", "every-field", "welsh-listing"):
        shutil.copy(VALID / f"{name}.yaml", folder)
    for name in bad:
        shutil.copy(INVALID / f"{name}.yaml", folder)
    return folder


def test_every_bad_file_is_reported_even_when_the_first_is_broken(tmp_path: Path) -> None:
    # "alias-bomb" sorts first and cannot even be parsed; the others still get checked.
    bad = ["alias-bomb", "not-utf8", "postcode-too-short", "website-javascript"]
    result = run_cli("validate", str(mixed_folder(tmp_path, bad)), env=TODAY)
    assert result.returncode == 1, result.stdout + result.stderr
    for name in bad:
        assert re.search(rf"{name}\.yaml:\d+:\d+: ", result.stdout), name
    assert "4 of 7 listings have problems" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "minimal.yaml" not in result.stdout


def test_all_good_exits_zero(tmp_path: Path) -> None:
    result = run_cli("validate", str(mixed_folder(tmp_path, [])), env=TODAY)
    assert result.returncode == 0, result.stdout
    assert "All 3 listings are valid." in result.stdout


def test_a_missing_path_fails(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "no such file" in result.stderr


def test_line_and_column_point_at_the_mistake(tmp_path: Path) -> None:
    result = run_cli("validate", str(INVALID / "postcode-too-short.yaml"), env=TODAY)
    where = "tests/listings/invalid/postcode-too-short.yaml:19:15: locations[0].postcode: "
    assert where + '"HX1 1A" is not a UK postcode' in result.stdout


def test_github_annotations_are_escaped() -> None:
    problem = Problem("a,b:c.yaml", 3, 5, "phones[0].number", 'Line one: 100% wrong,\r\nline two')
    assert problem.github_annotation() == (
        "::error file=a%2Cb%3Ac.yaml,line=3,col=5,title=Listing problem%3A phones[0].number"
        "::Line one: 100%25 wrong,%0D%0Aline two"
    )


def test_github_format_prints_one_annotation_per_problem() -> None:
    result = run_cli("validate", "--format", "github", str(INVALID / "several-problems.yaml"), env=TODAY)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 3
    assert annotations[1].startswith("::error file=tests/listings/invalid/several-problems.yaml,line=19,col=15,")
    assert 'title=Listing problem%3A locations[0].postcode::"HX1 1A" is not a UK postcode.' in annotations[1]


def write_settings(tmp_path: Path) -> Path:
    settings = tmp_path / "settings.py"
    (tmp_path / "content").mkdir()
    settings.write_text(f"PATH = {str(tmp_path / 'content')!r}\n", encoding="utf-8")
    return settings


def fill_placeholders(text: str) -> str:
    """What a volunteer does: replace every CHANGE ME with real (here fictional) details."""
    by_field = {"postcode": "HX1 1RE", "town": "Halifax", "address": "12 Example Street", "name": "The Café"}
    text = re.sub(r"https://example\.org/CHANGE-ME", "https://example.org/cafe", text)
    text = text.replace("CHANGE-ME@example.org", "hello@example.org").replace("[CHANGE ME]", "[Calderdale]")
    text = text.replace("[CHANGE-ME-github-username]", "[example-cafe-team]")
    text = re.sub(r'"CHANGE ME: [^"]*"', '"Peer-led café and drop-in for anyone in recovery."', text)
    text = re.sub(
        r"^(\s*-?\s*)(\w+): CHANGE ME.*$",
        lambda m: f"{m.group(1)}{m.group(2)}: {by_field[m.group(2)]}",
        text,
        flags=re.MULTILINE,
    )
    return text.replace("CHANGE ME: who you are", "Who we are")


def test_new_writes_a_starter_that_validates_once_filled(tmp_path: Path) -> None:
    settings = write_settings(tmp_path)
    result = run_cli("new", "example-recovery-cafe", "--settings", str(settings))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "content" / "organisations" / "example-recovery-cafe.yaml"
    starter = path.read_text(encoding="utf-8")
    unfilled = run_cli("validate", str(path), "--settings", str(settings))
    assert unfilled.returncode == 1 and "CHANGE ME placeholder" in unfilled.stdout
    path.write_text(fill_placeholders(starter), encoding="utf-8")
    values = [line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines()]
    assert not [line for line in values if "CHANGE" in line.upper()]
    filled = run_cli("validate", str(path), "--settings", str(settings))
    assert filled.returncode == 0, filled.stdout


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    settings = write_settings(tmp_path)
    path = tmp_path / "content" / "organisations" / "taken.yaml"
    path.parent.mkdir()
    path.write_text("name: mine\n", encoding="utf-8")
    result = run_cli("new", "taken", "--settings", str(settings))
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert path.read_text(encoding="utf-8") == "name: mine\n"


def test_new_rejects_a_bad_slug(tmp_path: Path) -> None:
    settings = write_settings(tmp_path)
    result = run_cli("new", "My Café", "--settings", str(settings))
    assert result.returncode == 2
    assert 'Rename the file to "my-caf.yaml"' in result.stderr
    assert not (tmp_path / "content" / "organisations").exists()


def test_pre_commit_hook_checks_changed_listings_only() -> None:
    import yaml

    config = yaml.safe_load((HERE.parent / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "recovery-directory-validate")
    files = re.compile(hook["files"])
    assert files.search("content/organisations/calder-valley-recovery-cafe.yaml")
    assert files.search("content/organisations/x.yml")
    assert not files.search("content/pages/about.md")
    assert not files.search("tests/listings/invalid/duplicate-key.yaml")
    assert hook["entry"].split()[1:] == ["validate"]  # pre-commit appends the changed file names


def test_a_missing_settings_file_is_a_plain_message_not_a_traceback(tmp_path):
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "No settings file pelicanconf.py here" in result.stderr
    assert "Traceback" not in result.stderr
