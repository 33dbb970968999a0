"""A rebuild reuses a listing file's cache key without reading the file only while its stat is
exactly as recorded, and records a stat only once the file has settled (file_stats.py): edits
that keep the size and mtime are still seen, and so is an edit made in the same clock tick."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from recovery_directory import file_stats, listing_reading
from temp_project import tiny_project, write_listing


def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled (else each waits SETTLED_NS after writing)."""
    monkeypatch.setattr(file_stats, "SETTLED_NS", -10**18)


def same_size_edit(path: Path, old: bytes, new: bytes) -> None:
    """Replace `old` by `new` (same length) and put the mtime back as it was."""
    before = path.stat()
    content = path.read_bytes()
    assert len(old) == len(new) and old in content
    path.write_bytes(content.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_an_unchanged_file_keeps_its_key_and_any_edit_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    settled(monkeypatch)
    path = tmp_path / "a.yaml"
    path.write_bytes(b"name: first\n")
    stats = file_stats.FileStats(tmp_path / "cache", "project")
    stat, key = stats.known(str(path))
    assert key == ""  # nothing recorded yet
    stats.record(str(path), stat, "key-a")
    stats.save()

    again = file_stats.FileStats(tmp_path / "cache", "project")
    assert again.known(str(path))[1] == "key-a"
    assert file_stats.FileStats(tmp_path / "cache", "another project").known(str(path))[1] == ""
    assert file_stats.FileStats(None, "project").known(str(path)) == (None, "")

    same_size_edit(path, b"first", b"FIRST")  # same size, same mtime: the ctime moved
    assert file_stats.FileStats(tmp_path / "cache", "project").known(str(path))[1] == ""


def test_a_file_changed_just_before_the_stats_were_taken_is_not_recorded(tmp_path: Path):
    """Within SETTLED_NS of the build's start, a second edit in the same clock tick could keep the
    whole stat (a coarse file-system clock): such a file is hashed again next build."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"name: first\n")
    stats = file_stats.FileStats(tmp_path / "cache", "project")
    stats.record(str(path), path.stat(), "key-a")  # changed just now
    assert stats.now == {}
    old = path.stat().st_ctime_ns - 2 * file_stats.SETTLED_NS
    stats.taken = old  # as if the build had started before the file was written
    stats.record(str(path), path.stat(), "key-a")
    assert stats.now == {}
    stats.taken = path.stat().st_ctime_ns + file_stats.SETTLED_NS + 1
    stats.record(str(path), path.stat(), "key-a")
    assert list(stats.now) == [str(path)]


def read_all(settings: dict, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, str], list[str]]:
    """Each listing's summary as read_all gives it, and which files it read."""
    opened: list[str] = []
    content = listing_reading._content

    def counted(path):  # noqa: ANN001, ANN202
        opened.append(Path(path).name)
        return content(path)

    monkeypatch.setattr(listing_reading, "_content", counted)
    found, _ = listing_reading.read_all(settings)
    monkeypatch.setattr(listing_reading, "_content", content)
    return {item.path.name: item.organisation.summary for item in found}, opened


def test_a_rebuild_reads_only_files_whose_stat_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    settled(monkeypatch)
    tiny_project(tmp_path)
    listings = tmp_path / "content" / "organisations"
    for slug in ("alpha", "bravo", "charlie"):
        write_listing(listings, slug)
    settings = {"PATH": str(tmp_path / "content"), "BUILD_CACHE_PATH": str(tmp_path / "cache"), "BUILD_PROCESSES": 1}
    summaries, opened = read_all(settings, monkeypatch)
    assert sorted(opened) == ["alpha.yaml", "bravo.yaml", "charlie.yaml"]
    assert read_all(settings, monkeypatch) == (summaries, [])

    same_size_edit(listings / "bravo.yaml", b"A fictional", b"An invented")
    summaries, opened = read_all(settings, monkeypatch)
    assert opened == ["bravo.yaml"] and summaries["bravo.yaml"].startswith("An invented listing")
    assert summaries["alpha.yaml"].startswith("A fictional listing")
    assert read_all(settings, monkeypatch) == (summaries, [])

    # A recorded key whose cache entry is gone: the file is read and hashed again.
    for bundle in (tmp_path / "cache").rglob("last-build*"):
        bundle.unlink()
    again, opened = read_all(settings, monkeypatch)
    assert again == summaries and sorted(opened) == ["alpha.yaml", "bravo.yaml", "charlie.yaml"]


def test_files_written_moments_ago_are_read_again_until_settled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    tiny_project(tmp_path)
    listings = tmp_path / "content" / "organisations"
    write_listing(listings, "alpha")
    settings = {"PATH": str(tmp_path / "content"), "BUILD_CACHE_PATH": str(tmp_path / "cache"), "BUILD_PROCESSES": 1}
    assert read_all(settings, monkeypatch)[1] == ["alpha.yaml"]
    assert read_all(settings, monkeypatch)[1] == ["alpha.yaml"]  # written under SETTLED_NS ago
    settled(monkeypatch)
    assert read_all(settings, monkeypatch)[1] == ["alpha.yaml"]  # now recorded
    assert read_all(settings, monkeypatch)[1] == []
