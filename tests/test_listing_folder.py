"""The listings folder as a whole (listing/folder.py): a file that isn't read as a listing and two
files with one name are problems for `recovery-directory validate` (the pull-request check) and
the build alike, so the check never passes what the build then stops on, and no listing is left
out of the site without a word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from recovery_directory.listing.folder import is_stray, suggested_name
from site_tools import build_site
from temp_project import listing_paths, make_project

TODAY = {"RECOVERY_DIRECTORY_TODAY": "2026-11-01"}


@pytest.mark.parametrize(
    ("name", "rename"),
    [
        ("my-cafe.yaml.txt", "my-cafe.yaml"),  # Windows Notepad's hidden ".txt"
        ("My Cafe.yml.TXT", "my-cafe.yaml"),
        ("x-upper.YAML", "x-upper.yaml"),
        ("foo.yaml ", "foo.yaml"),
        ("notes.txt", "notes.yaml"),
        ("no-ending", "no-ending.yaml"),
        ("??.txt", "my-organisation.yaml"),
    ],
)
def test_a_file_the_build_would_leave_out_is_named_with_the_name_to_give_it(name: str, rename: str) -> None:
    assert is_stray(name)
    assert suggested_name(name) == rename


@pytest.mark.parametrize("name", ["good.yaml", "good.yml", ".gitkeep", ".DS_Store", "README.md", "readme.txt",
                                  "good.yaml~", "Thumbs.db", "desktop.ini", "#good.yaml#", ".#good.yaml"])
def test_listings_and_files_nobody_means_as_a_listing_are_left_alone(name: str) -> None:
    assert not is_stray(name)


def problem_lines(output: str, root: Path) -> list[str]:
    """The file:line:col lines, paths relative to the project, whichever command printed them."""
    return sorted(line.replace(f"{root}/", "") for line in output.splitlines() if ".ya" in line.split(":", 1)[0]
                  or line.startswith(f"{root}/content/organisations/"))


def test_validate_and_the_build_stop_on_the_same_folder_mistakes(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    root = settings.parent
    folder = root / "content" / "organisations"
    first, second = listing_paths(root)[:2]
    shutil.copy(first, first.with_suffix(".yml"))  # the same name twice
    shutil.copy(second, folder / "My New Cafe.yaml.txt")  # saved by Notepad
    (folder / "notes.md").write_text("a maintainer's notes", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")  # left alone, as are README files and backups
    (folder / "README.md").write_text("Listings go here.", encoding="utf-8")

    checked = run_cli("validate", "--settings", str(settings))
    built = build_site(tmp_path / "site", settings=settings, check=False)

    assert checked.returncode == 1 and built.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr + built.stderr
    said = problem_lines(checked.stdout, root)
    assert said == problem_lines(built.stderr, root)
    assert len(said) == 4, "\n".join(said)
    assert any(f"content/organisations/{first.name}:1:1: Another listing file" in line
               and first.with_suffix(".yml").name in line for line in said)
    assert any(line.startswith(f"content/organisations/{first.stem}.yml:1:1: Another listing file") for line in said)
    assert any(line.startswith("content/organisations/My New Cafe.yaml.txt:1:1: This file is not read as a listing")
               and 'ends in ".txt", not ".yaml"' in line and 'rename it to "my-new-cafe.yaml"' in line
               for line in said)
    assert any(line.startswith("content/organisations/notes.md:1:1:") for line in said)
    assert not (tmp_path / "site" / "index.html").exists()


def test_each_file_named_on_its_own_is_checked_against_its_folder(tmp_path: Path) -> None:
    """As the pre-commit hook runs it, on the changed files only: the clash with an unchanged file
    is still found, and a stray file gets the stray's message, not a file-name rule's."""
    folder = tmp_path / "organisations"
    folder.mkdir()
    source = Path(__file__).parent / "listings" / "valid" / "minimal.yaml"
    shutil.copy(source, folder / "minimal.yaml")
    shutil.copy(source, folder / "minimal.yml")
    shutil.copy(source, folder / "my-cafe.yaml.txt")

    result = run_cli("validate", str(folder / "minimal.yml"), str(folder / "my-cafe.yaml.txt"), env=TODAY)

    assert result.returncode == 1
    assert f"{folder / 'minimal.yml'}:1:1: Another listing file, {folder / 'minimal.yaml'}, has the same name" \
        in result.stdout
    assert 'rename it to "my-cafe.yaml"' in result.stdout and "my-cafe-yaml" not in result.stdout
    assert "2 listings have problems" in result.stdout
    assert run_cli("validate", str(folder / "minimal.yaml"), env=TODAY).returncode == 1  # the other side too


def test_files_editors_keep_beside_an_open_listing_are_never_read(tmp_path: Path) -> None:
    """`make serve` while a listing is open in an editor: Emacs's lock (a dangling link named
    .#foo.yaml) and autosave (#foo.yaml#) and a ~ backup are neither listings nor problems."""
    folder = tmp_path / "organisations"
    folder.mkdir()
    source = Path(__file__).parent / "listings" / "valid" / "minimal.yaml"
    shutil.copy(source, folder / "minimal.yaml")
    (folder / ".#minimal.yaml").symlink_to("root@host.1234:1700000000")
    shutil.copy(source, folder / "#minimal.yaml#")
    shutil.copy(source, folder / "minimal.yaml~")
    result = run_cli("validate", str(folder), env=TODAY)
    assert result.returncode == 0, result.stdout
    assert "1 listing is valid." in result.stdout


def test_a_copy_beside_its_listing_is_not_to_be_renamed_onto_it(tmp_path: Path) -> None:
    folder = tmp_path / "organisations"
    folder.mkdir()
    source = Path(__file__).parent / "listings" / "valid" / "minimal.yaml"
    shutil.copy(source, folder / "minimal.yaml")
    shutil.copy(source, folder / "minimal.yaml.orig")  # git mergetool's backup
    result = run_cli("validate", str(folder), env=TODAY)
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if "minimal.yaml.orig:1:1:" in line)
    assert 'its name ends in ".orig", not ".yaml".' in line and "editors add" not in line
    assert f"It looks like a copy or backup of {folder / 'minimal.yaml'}: move it out of this folder." in line
    assert "rename" not in line
