"""On a machine whose cache has no postcode lookup files, a build makes them in a helper process
while it reads listings (outputs/postcode_lookup.py), and its own publishing waits for them; a
helper stopped half-way leaves nothing half-made behind."""

from __future__ import annotations

import filecmp
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from recovery_directory import background
from recovery_directory.geocoding import cache_lock, ons_files, ons_index, ons_postcodes, site_lookup
from recovery_directory.outputs import postcode_lookup


@pytest.fixture
def empty_lookup_cache(tmp_path, monkeypatch) -> Path:
    """A machine cache without lookup files, sharing this machine's postcode index (converting
    every letter again would add ~5 s that this test is not about)."""
    shared_index = ons_files.index_folder()
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("RECOVERY_DIRECTORY_CACHE", str(cache))
    (cache / shared_index.name).symlink_to(shared_index, target_is_directory=True)
    return cache


def generator(processes: int) -> SimpleNamespace:
    return SimpleNamespace(settings={"BUILD_PROCESSES": processes})


def test_the_helper_makes_the_files_and_publishing_uses_them(empty_lookup_cache, tmp_path):
    assert postcode_lookup.start(generator(1)) is None  # no core to spare: publishing makes them
    pid = postcode_lookup.start(generator(2))
    assert pid is not None
    site = tmp_path / "site"
    postcode_lookup.write(SimpleNamespace(output_path=str(site)), None)  # waits for the helper's lock
    assert _exit_code(pid) == 0  # the helper did its job (the build would have made the files anyway)
    assert site_lookup.cached()
    published = {path.name for path in (site / site_lookup.LOOKUP_FOLDER).iterdir()}
    assert len(published) > 3000 and "HX1.json" in published
    cached_file = site_lookup.ensure_cached() / site_lookup.LOOKUP_FOLDER / "HX1.json"
    assert (site / site_lookup.LOOKUP_FOLDER / "HX1.json").stat().st_ino == cached_file.stat().st_ino  # linked
    assert postcode_lookup.start(generator(2)) is None  # made: nothing to start


def _exit_code(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def few_letters(monkeypatch, letters: list[str]) -> None:
    """Lookup files for these letters only: all 23 take ~3 s to make, in every test."""
    monkeypatch.setattr(ons_postcodes, "shard_letters", lambda: letters)
    monkeypatch.setattr(postcode_lookup, "shard_letters", lambda: letters)


def test_the_helper_alone_makes_every_letter_and_the_whole_folder(empty_lookup_cache, monkeypatch):
    few_letters(monkeypatch, ["H", "Y", "Z"])
    pid = postcode_lookup.start(generator(2))
    assert pid is not None and _exit_code(pid) == 0
    assert site_lookup.cached()
    letters = sorted(path.name for path in site_lookup.letters_folder().iterdir() if path.is_dir())
    assert letters == ons_postcodes.shard_letters()
    whole = site_lookup.cache_folder() / site_lookup.LOOKUP_FOLDER
    assert sum(len(os.listdir(site_lookup.letters_folder() / letter)) for letter in letters) == len(os.listdir(whole))


def test_a_build_that_made_letters_keeps_none_of_the_index_mapped(empty_lookup_cache, tmp_path):
    """Writing a letter's files reads every page of its index (numpy's maps): the build lets them
    go after making its letters, or they stay its memory until it ends. In a fresh process, with
    two letters to make."""
    code = (
        "import os, sys; from types import SimpleNamespace; "
        "from recovery_directory.geocoding import ons_files, ons_postcodes; "
        "from recovery_directory.outputs import postcode_lookup; "
        "ons_postcodes.shard_letters = postcode_lookup.shard_letters = lambda: ['Y', 'Z']; "
        "postcode_lookup.write(SimpleNamespace(output_path=sys.argv[1]), None); "
        "folder = os.path.realpath(ons_files.index_folder()); "
        "print(len(os.listdir(os.path.join(sys.argv[1], 'postcodes'))), "
        "len([line for line in open('/proc/self/maps') if folder in line]))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "site")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    published, mapped = map(int, done.stdout.split())
    assert published > 0 and mapped == 0


def test_a_helper_stopped_half_way_leaves_no_scratch_folder(empty_lookup_cache, tmp_path):
    """Stopped while writing a letter's files: no temporary folder stays, no whole folder is made,
    and each letter's folder it left is complete (what making that letter alone writes)."""
    pid = postcode_lookup.start(generator(2))
    letters = site_lookup.letters_folder()

    def writing() -> bool:  # a letter's temporary folder (".A." and a random suffix, as mkdtemp names it)
        return letters.is_dir() and any(
            path.name.startswith(".") and not path.name.endswith(".lock") for path in letters.iterdir()
        )

    while not writing():
        assert os.waitpid(pid, os.WNOHANG) == (0, 0), "the helper ended before it began writing"
        time.sleep(0.01)
    background.finish(pid, stop=True)
    left = sorted(path.name for path in empty_lookup_cache.iterdir() if not path.name.endswith(".lock"))
    assert left == sorted([ons_files.index_folder().name, letters.name])  # no whole lookup folder
    kept = [path for path in letters.iterdir() if not path.name.endswith(".lock")]
    assert all(not path.name.startswith(".") for path in kept), kept  # no half-written letter
    for folder in kept:
        alone = tmp_path / "alone" / folder.name
        alone.mkdir(parents=True)
        site_lookup._write_letter(ons_index.letter_index(folder.name), alone)
        assert _same_files(folder, alone)


def _same_files(first: Path, second: Path) -> bool:
    """The same file names, each with the same bytes."""
    names = sorted(path.name for path in first.iterdir())
    if names != sorted(path.name for path in second.iterdir()):
        return False
    _, differing, unreadable = filecmp.cmpfiles(first, second, names, shallow=False)
    return not differing and not unreadable


def test_letters_made_by_the_build_alone_equal_the_files_made_in_one_go(empty_lookup_cache, tmp_path, monkeypatch):
    """With no helper (one process), publishing makes each letter's files from Z back, then links
    them into the whole folder: the same files, byte for byte, as generating them straight; each
    published file is a link to its letter's file (no second copy on disk)."""
    few_letters(monkeypatch, ["B", "H", "Y", "Z"])  # Northern Ireland's Irish grid among them
    site = tmp_path / "site"
    postcode_lookup.write(SimpleNamespace(output_path=str(site), settings={"BUILD_PROCESSES": 1}), None)
    straight = tmp_path / "straight"
    count = site_lookup.generate(straight)
    published = site / site_lookup.LOOKUP_FOLDER
    assert count > 300 and _same_files(published, straight)
    letter_file = site_lookup.letters_folder() / "H" / "HX1.json"
    assert (published / "HX1.json").stat().st_ino == letter_file.stat().st_ino


def test_the_whole_folder_is_copied_where_links_fail_and_letters_stay_as_made(empty_lookup_cache, monkeypatch):
    made = site_lookup.lookup_letter("Z")
    before = {path.name: path.read_bytes() for path in made.iterdir()}
    target = empty_lookup_cache / "whole"
    target.mkdir()

    def link_one_then_fail(source, destination):
        first = sorted(os.listdir(source))[0]
        os.link(source / first, destination / first)
        raise OSError("no more links")

    monkeypatch.setattr(site_lookup, "_link_all", link_one_then_fail)
    site_lookup._link_or_copy_all(made, target)
    assert _same_files(made, target)
    assert all(path.stat().st_nlink == 1 for path in target.iterdir())  # copies, none linked
    assert {path.name: path.read_bytes() for path in made.iterdir()} == before


def test_a_letter_made_by_another_process_meanwhile_is_used(empty_lookup_cache, monkeypatch):
    """Where no lock can be taken, two processes may make one letter side by side: the one that
    loses the rename uses the winner's folder."""
    import contextlib

    made = site_lookup.lookup_letter("Z")
    copy = empty_lookup_cache / "winner"
    os.rename(made, copy)  # as if not made yet, when this process looked
    rename = os.rename

    def lose_the_race(source, target):
        if Path(target) == made:
            rename(copy, made)  # the other process renames its folder into place first
        return rename(source, target)

    monkeypatch.setattr(site_lookup.os, "rename", lose_the_race)
    monkeypatch.setattr(site_lookup, "making", lambda piece: contextlib.nullcontext())
    assert site_lookup.lookup_letter("Z") == made
    assert not [path for path in made.parent.iterdir() if path.name.startswith(".Z.") and path.suffix != ".lock"]


def test_a_stop_the_moment_a_scratch_folder_is_made_still_removes_it(tmp_path, monkeypatch):
    """The stop the test above sends can land on the line right after a scratch folder is made,
    before anything holds its name (a loaded machine pauses a process just there): that left the
    folder in the cache for good. Here the stop arrives inside mkdir itself, every time, with a
    second thread running as in a real helper (numpy's import starts one), through the function
    every scratch folder is made by and through one of its callers."""
    real_mkdir = os.mkdir

    def mkdir_then_stop(path, *args, **kwargs):
        real_mkdir(path, *args, **kwargs)
        if os.path.basename(path).startswith("."):
            os.kill(os.getpid(), signal.SIGTERM)  # as background.finish(stop=True) sends it

    # A second thread, as numpy's import starts in a real helper: the first fix (blocking the
    # signals, which blocks only the calling thread's) leaked with one now and then.
    idle = threading.Event()
    other = threading.Thread(target=idle.wait, daemon=True)
    other.start()
    previous = signal.signal(signal.SIGTERM, background._stopped)  # a helper's own handler
    try:
        monkeypatch.setattr(os, "mkdir", mkdir_then_stop)
        with pytest.raises(SystemExit):
            cache_lock.in_scratch_folder(tmp_path, ".A.", lambda scratch: time.sleep(5))  # never reached
        damaged = tmp_path / "B"
        damaged.mkdir()
        with pytest.raises(SystemExit):
            ons_index._discard(damaged)  # moves it into a scratch folder to delete it
    finally:
        signal.signal(signal.SIGTERM, previous)
        idle.set()
    assert [path.name for path in tmp_path.iterdir()] == ["B"]  # stopped before it was moved


def test_scratch_folders_abandoned_by_a_killed_process_are_swept_and_no_other(tmp_path):
    """A second stop during clean-up (Ctrl+C reaches a helper, then the build stops it) or a kill
    can still leave a scratch folder: the next process making that piece deletes it once it has
    been left unchanged for ABANDONED_SECONDS, and nothing else beside it."""
    long_ago = time.time() - cache_lock.ABANDONED_SECONDS - 60
    abandoned = tmp_path / f".A.{'0' * 32}"
    recent = tmp_path / f".A.{'1' * 32}"  # another process's, still being written
    other_prefix = tmp_path / f".B.{'2' * 32}"
    not_ours = tmp_path / ".A.kept-by-someone"
    for folder in (abandoned, recent, other_prefix, not_ours):
        (folder / "part").mkdir(parents=True)
    for folder in (abandoned, other_prefix, not_ours):
        os.utime(folder, (long_ago, long_ago))
    seen = cache_lock.in_scratch_folder(tmp_path, ".A.", lambda scratch: scratch.name)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([recent.name, other_prefix.name, not_ours.name])
    assert seen.startswith(".A.") and not (tmp_path / seen).exists()
