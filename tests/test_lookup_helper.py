"""On a machine whose cache has no postcode lookup files, a build makes them in a helper process
while it reads listings (outputs/postcode_lookup.py), and its own publishing waits for them; a
helper stopped half-way leaves nothing half-made behind."""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from recovery_directory import background
from recovery_directory.geocoding import ons_files, site_lookup
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
    background.finish(pid)
    assert site_lookup.cached()
    published = {path.name for path in (site / site_lookup.LOOKUP_FOLDER).iterdir()}
    assert len(published) > 3000 and "HX1.json" in published
    cached_file = site_lookup.ensure_cached() / site_lookup.LOOKUP_FOLDER / "HX1.json"
    assert (site / site_lookup.LOOKUP_FOLDER / "HX1.json").stat().st_ino == cached_file.stat().st_ino  # linked
    assert postcode_lookup.start(generator(2)) is None  # made: nothing to start


def test_a_helper_stopped_half_way_leaves_no_scratch_folder(empty_lookup_cache):
    pid = postcode_lookup.start(generator(2))
    scratch = f".{site_lookup.cache_folder().name}."  # then a random suffix, as mkdtemp names it
    while not any(path.name.startswith(scratch) and path.suffix != ".lock" for path in empty_lookup_cache.iterdir()):
        assert os.waitpid(pid, os.WNOHANG) == (0, 0), "the helper ended before it began writing"
        time.sleep(0.01)
    background.finish(pid, stop=True)
    left = sorted(path.name for path in empty_lookup_cache.iterdir() if not path.name.endswith(".lock"))
    assert left == [ons_files.index_folder().name]  # the shared index only: no lookup, whole or half
