"""The build cache's bundle of read listings (build_cache.ListingCache): a rebuild's few new
entries go to a small side file instead of the whole bundle being written again, and every entry
of both files is found."""

from __future__ import annotations

from pathlib import Path

from recovery_directory import build_cache


def test_a_few_new_entries_go_beside_the_bundle_and_many_rewrite_it(tmp_path: Path):
    settings = {"PATH": str(tmp_path / "content"), "BUILD_CACHE_PATH": str(tmp_path / "cache")}
    entries = {f"key-{n}": f"listing {n}".encode() for n in range(20)}
    build_cache.ListingCache(settings).bundle(entries)
    cache = build_cache.ListingCache(settings)
    bundle, added = cache.path / cache.BUNDLE, cache.path / cache.ADDED
    written = bundle.stat().st_mtime_ns, bundle.read_bytes()
    assert all(cache.get(key) == value for key, value in entries.items()) and not added.exists()

    edited = {**{key: value for key, value in entries.items() if key != "key-3"}, "key-3b": b"listing 3, edited"}
    cache.bundle(edited)  # one new entry of 20: only the side file is written
    assert (bundle.stat().st_mtime_ns, bundle.read_bytes()) == written and added.exists()
    again = build_cache.ListingCache(settings)
    assert all(again.get(key) == value for key, value in edited.items())

    again.bundle(edited)  # the same entries: nothing written
    assert (bundle.stat().st_mtime_ns, bundle.read_bytes()) == written

    many = {f"new-{n}": b"x" for n in range(20)}
    again.bundle(many)  # mostly new: the whole bundle is written and the side file goes
    assert not added.exists()
    last = build_cache.ListingCache(settings)
    assert all(last.get(key) == value for key, value in many.items()) and last.get("key-0") is None
