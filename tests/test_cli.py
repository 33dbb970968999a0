"""`recovery-directory validate` and `new` as real subprocesses."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli
from recovery_directory.listing.problems import Problem

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
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
    assert f"{tmp_path / 'nope.yaml'}:1:1: There is no such file." in result.stdout
    assert "1 listing has problems" in result.stdout and "valid" not in result.stdout


def test_an_empty_folder_fails_and_says_nothing_was_checked(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.strip() == "No listing files were found to check."


def test_line_and_column_point_at_the_mistake(tmp_path: Path) -> None:
    result = run_cli("validate", str(INVALID / "postcode-too-short.yaml"), env=TODAY)
    where = 'tests/listings/invalid/postcode-too-short.yaml:19:15: "postcode" in the first location: '
    assert where + '"HX1 1A" is not a UK postcode' in result.stdout


def test_github_annotations_are_escaped() -> None:
    problem = Problem("a,b:c.yaml", 3, 5, "phones[0].number", 'Line one: 100% wrong,\r\nline two')
    assert problem.github_annotation() == (
        '::error file=a%2Cb%3Ac.yaml,line=3,col=5,title=Listing problem%3A "number" in the first phone number'
        "::Line one: 100%25 wrong,%0D%0Aline two"
    )


def test_github_format_prints_one_annotation_per_problem() -> None:
    result = run_cli("validate", "--format", "github", str(INVALID / "several-problems.yaml"), env=TODAY)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 3
    assert annotations[1].startswith("::error file=tests/listings/invalid/several-problems.yaml,line=19,col=15,")
    assert 'title=Listing problem%3A "postcode" in the first location::"HX1 1A" is not a UK postcode.' in annotations[1]


def test_a_listings_text_cannot_start_a_workflow_command_in_the_pull_request_check(tmp_path: Path) -> None:
    """The check runs on anyone's pull request: a value quoted in a message ("x\n::notice::…", an
    area, a file name) must not put a line of its own in the log, where GitHub Actions would run it
    as a command (a forged annotation, or ::stop-commands:: hiding the real ones)."""
    text = (VALID / "minimal.yaml").read_text(encoding="utf-8")
    listing = tmp_path / "injected.yaml"
    listing.write_text(
        text + 'email: "x\\n::notice::FORGED"\nareas_served: ["Cardif\\n::stop-commands::pause"]\n', encoding="utf-8"
    )
    result = run_cli("validate", "--format", "github", str(listing), env=TODAY)
    assert result.returncode == 1
    lines = (result.stdout + result.stderr).splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::")]  # the runner trims leading spaces
    assert commands and all(line.startswith("::error ") for line in commands), commands
    assert "FORGED" in result.stdout and "stop-commands" in result.stdout  # quoted, on the problem's own line
    assert r"\n::notice::FORGED" in result.stdout


def write_settings(tmp_path: Path) -> Path:
    settings = tmp_path / "settings.py"
    (tmp_path / "content").mkdir()
    settings.write_text(f"PATH = {str(tmp_path / 'content')!r}\n", encoding="utf-8")
    return settings


# What a volunteer writes in place of each CHANGE ME (fictional details), by field name.
REAL_VALUES = {
    "name": "Example Recovery Café (sample listing)", "types": "lero", "description": "Who we are.\n",
    "summary": "Peer-led café and drop-in for anyone in or seeking recovery.", "lived_experience_led": True,
    "website": "https://example.org/cafe", "email": "hello@example.org", "number": "0113 496 0123",
    "audiences": "adults", "substances": "alcohol", "cost": "free", "attendance": "in_person", "open_24_7": False,
    "self": True, "professional": False, "how": "Phone or walk in.", "areas_served": "Calderdale",
    "address": "12 Example Street", "town": "Halifax", "postcode": "HX1 1RE", "accessibility": "hearing_loop",
    "days": "tue", "opens": "18:30", "closes": "20:00", "last_verified": "2026-10-01",
    "maintainers": "example-cafe-team",
}


def leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def set_at(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def real_value(path):
    key = next(part for part in reversed(path) if isinstance(part, str))
    if key == "description" and "phones" in path:
        return "Mon–Fri 9am–5pm"
    if key == "name" and "locations" in path:
        return "The Café"
    return REAL_VALUES[key]


def test_new_writes_a_starter_that_claims_nothing(tmp_path: Path) -> None:
    """Every value that describes the service is a placeholder, and each one alone fails the checks:
    the starter can't go live with a detail nobody wrote (a hall with steps listed as step-free)."""
    import copy

    import yaml
    from recovery_directory.listing.loader import load_listing
    from recovery_directory.listing.validate import check_bytes

    settings = write_settings(tmp_path)
    result = run_cli("new", "example-recovery-cafe", "--settings", str(settings), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "content" / "organisations" / "example-recovery-cafe.yaml"
    starter = path.read_text(encoding="utf-8")
    assert str(tmp_path) not in starter + result.stdout, "no absolute paths"
    assert "recovery-directory validate content/organisations/example-recovery-cafe.yaml" in starter

    data = load_listing(path).data
    unchanged = {(("review_every_months",), 12)}  # how often to re-check: a default, not a claim
    placeholders = [path_ for path_, value in leaves(data) if (path_, value) not in unchanged]
    assert all("CHANGE" in str(value).upper() for path_, value in leaves(data) if path_ in placeholders)
    filled = copy.deepcopy(data)
    for where in placeholders:
        set_at(filled, where, real_value(where))
    assert check_bytes(path, yaml.safe_dump(filled, allow_unicode=True).encode()).ok
    for where in placeholders:
        one_left = copy.deepcopy(filled)
        set_at(one_left, where, dict(leaves(data))[where])
        problems = check_bytes(path, yaml.safe_dump(one_left, allow_unicode=True).encode()).problems
        assert [p.message for p in problems if "CHANGE ME placeholder" in p.message], where
        # One message for the one mistake: not the placeholder's and then "not a UK postcode" too.
        assert len(problems) == 1, (where, [p.message for p in problems])

    unfilled = run_cli("validate", str(path), "--settings", str(settings), env=TODAY)
    assert unfilled.returncode == 1 and "CHANGE ME placeholder" in unfilled.stdout
    assert "Traceback" not in unfilled.stdout + unfilled.stderr


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


def test_a_command_loads_only_its_own_module() -> None:
    """`validate` of one file (a pull request's check) doesn't import geopy or the importers, which
    only `geocode` and `import` need: ~0.3 s of its ~0.85 s CPU."""
    sample = sorted((ROOT / "content" / "organisations").glob("*.yaml"))[0]
    code = (
        "import sys; from recovery_directory.cli import main; "
        f"code = main(['validate', {str(sample)!r}]); "
        "print(code, *(name in sys.modules for name in ('geopy', 'recovery_directory.importers.sync', "
        "'recovery_directory.commands.geocode')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert found.stdout.split()[-4:] == ["0", "False", "False", "False"], found.stdout


def test_help_and_mistyped_commands_still_list_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from recovery_directory.cli import main

    for argv in (["--help"], ["valdiate"]):
        with pytest.raises(SystemExit):
            main(argv)
        shown = capsys.readouterr()
        commands = ("codeowners", "geocode", "import", "stale", "validate")
        assert all(name in shown.out + shown.err for name in commands), argv


ADDRESS_ONLY = """\
name: Bangor Recovery Walk (sample listing)
types: [lero]
summary: A weekly walking group for people in recovery.
areas_served: [Gwynedd]
locations:
  - name: Meeting point
    address: Quay Street
    town: Bangor
last_verified: 2026-10-01
"""


@pytest.mark.parametrize("how", ["not in the cache", "in the cache", "allowed missing"])
def test_a_place_the_build_cannot_map_fails_validate_as_it_fails_the_deploy_build(tmp_path: Path, how: str) -> None:
    """A place with no postcode, no coordinates and no geocoding cache entry stops a deploy build
    (`--fatal warnings`); validate, the pull-request check, must not call it valid."""
    from temp_project import write_settings

    folder = tmp_path / "content" / "organisations"
    folder.mkdir(parents=True)
    (folder / "bangor-recovery-walk.yaml").write_text(ADDRESS_ONLY, encoding="utf-8")
    cache = tmp_path / "geocoding" / "cache.json"
    cache.parent.mkdir()
    entry = '{"date": "2026-10-01", "lat": 53.23, "lon": -4.13, "provider": "nominatim"}'
    cache.write_text('{\n  "Quay Street, Bangor": ' + entry + "\n}\n" if how == "in the cache" else "{}\n")
    settings = write_settings(tmp_path, {"GEOCODE_ALLOW_MISSING": how == "allowed missing"})
    result = run_cli("validate", "--settings", str(settings), env=TODAY)
    if how == "not in the cache":
        assert result.returncode == 1, result.stdout
        where = "bangor-recovery-walk.yaml:6:5: the first location: "
        assert where + "The site can't put “Quay Street, Bangor” on its map" in result.stdout
        assert "Add its postcode" in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert "1 listing is valid." in result.stdout
