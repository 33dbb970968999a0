"""A rebuild that uses the build cache (build_cache.py) and skips unchanged listing pages
(output_records.py) makes exactly what a full build without the cache makes, and the cache never
serves a listing a full build would read differently (edited, invalid, another day, other code)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from recovery_directory import build_cache
from recovery_directory.listing.read import read_listing
from site_tools import build_site
from temp_project import ROOT, listing_paths, make_project

LISTING = "calder-valley-recovery-cafe"  # last_verified 2026-10-01, reviewed every 12 months
BEFORE_DUE, AFTER_DUE = "2027-09-30", "2027-10-02"


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def assert_same_site(built: Path, expected: Path) -> None:
    got, want = tree(built), tree(expected)
    assert sorted(got) == sorted(want), "different files"
    differing = [name for name in want if got[name] != want[name]]
    assert not differing, f"files differ from a full build: {differing[:10]}"


def build(settings: Path, output: Path, *, today: str, fresh: bool, check: bool = True, extra: tuple = ()):
    """A full build (output deleted first) or a rebuild into the folder as it is."""
    env = {"RECOVERY_DIRECTORY_TODAY": today}
    arguments = ["-e", *extra] if extra else []
    if fresh:
        return build_site(output, settings=settings, env=env, check=check, extra=arguments)
    # build_site always deletes the output first; a rebuild (as `make serve` does) keeps it.
    command = [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output), *arguments]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env}, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def edit_summary(settings: Path, text: str) -> Path:
    path = next(p for p in listing_paths(settings.parent) if p.stem == LISTING)
    source = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^summary: .*$", f"summary: {text}", source, count=1, flags=re.MULTILINE), "utf-8")
    return path


def test_rebuild_after_an_edit_equals_a_full_build_and_rewrites_only_that_page(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    build(project, site, today=BEFORE_DUE, fresh=True)
    other = site / "organisations" / "old-town-recovery-cafe" / "index.html"
    untouched = other.stat().st_mtime_ns
    # Site-wide pages that don't show the edited listing are not written again either (KeptPages).
    elsewhere = ["areas/city-of-edinburgh/index.html", "embed/areas/city-of-edinburgh/index.html",
                 "posters/city-of-edinburgh/index.html", "feeds/areas/city-of-edinburgh.atom.xml"]
    showing = ["areas/calderdale/index.html", "embed/areas/calderdale/index.html", "feeds/all.atom.xml"]
    stamps = {name: (site / name).stat().st_mtime_ns for name in elsewhere + showing}
    edit_summary(project, "An edited summary for the rebuild test.")

    build(project, site, today=BEFORE_DUE, fresh=False)
    full = tmp_path / "full"
    build(project, full, today=BEFORE_DUE, fresh=True, extra=('BUILD_CACHE_PATH=""', "BUILD_PROCESSES=1"))

    assert_same_site(site, full)
    page = (site / "organisations" / LISTING / "index.html").read_text(encoding="utf-8")
    assert "An edited summary for the rebuild test." in page
    assert other.stat().st_mtime_ns == untouched, "an unchanged listing's page was written again"
    assert [name for name in elsewhere if (site / name).stat().st_mtime_ns != stamps[name]] == []
    assert [name for name in showing if (site / name).stat().st_mtime_ns == stamps[name]] == []
    assert "An edited summary for the rebuild test." in (site / showing[0]).read_text(encoding="utf-8")


def test_kept_parts_follow_edits_of_name_phone_and_hours_and_a_deleted_listing_leaves(project: Path, tmp_path: Path):
    """The site-wide outputs' kept parts (output_parts.py: feed entries, export rows, cards, embed
    items, the map's script) and the handouts written beside listing pages: a rebuild after these
    edits makes the same feeds, open data, search files, indexes and map as a full build."""
    site = tmp_path / "site"
    build(project, site, today=BEFORE_DUE, fresh=True)
    path = next(p for p in listing_paths(project.parent) if p.stem == LISTING)
    source = path.read_text(encoding="utf-8")
    edited = source.replace("name: Calder Valley Recovery Café (sample", "name: Zed Valley Café (sample")
    edited = edited.replace('"0808 157 0101"', '"0808 157 0199"')
    edited = edited.replace('opens: "10:00", closes: "16:00"', 'opens: "09:00", closes: "16:30"')
    assert edited.count("0199") == 1 and "09:00" in edited and "Zed Valley" in edited
    path.write_text(edited, encoding="utf-8")
    gone = next(p for p in listing_paths(project.parent) if p.stem == "old-town-recovery-cafe")
    gone.unlink()

    build(project, site, today=BEFORE_DUE, fresh=False, extra=("BUILD_PROCESSES=1",))
    full = tmp_path / "full"
    build(project, full, today=BEFORE_DUE, fresh=True, extra=('BUILD_CACHE_PATH=""', "BUILD_PROCESSES=1"))

    for name in ("feeds/all.atom.xml", "data/organisations.json", "data/openreferral.json", "search/index.json",
                 "organisations/index.html", "map/directory-map.js", f"organisations/{LISTING}/handout.json"):
        assert (site / name).read_bytes() == (full / name).read_bytes(), name
    for name in ("feeds/all.atom.xml", "data/organisations.csv", "organisations/index.html", "map/directory-map.js"):
        text = (site / name).read_text(encoding="utf-8")
        assert "Zed Valley" in text and "Calder Valley Recovery Café (sample" not in text, name
    assert "0808 157 0199" in (site / "data/organisations.csv").read_text(encoding="utf-8")
    assert "old-town-recovery-cafe" not in (site / "data/organisations.json").read_text(encoding="utf-8")
    assert "old-town-recovery-cafe" not in (site / "feeds/all.atom.xml").read_text(encoding="utf-8")
    # A rebuild without --delete-output-directory (`make build`) also deletes what no build makes
    # any more: the deleted listing's page and its area's pages (output_records.prune).
    assert not (site / "organisations" / "old-town-recovery-cafe").exists()
    assert not (site / "areas" / "city-of-edinburgh").exists()
    assert_same_site(site, full)


def test_a_rebuild_deletes_only_what_a_build_of_ours_left_in_its_own_folders(project: Path, tmp_path: Path):
    """A file in one of the site's folders that no build makes goes; anything else in the output
    folder (a .git, another site's folder, a file of one's own) is never touched, as Pelican
    deletes nothing unasked; a page of a deleted listing that someone changed since stays."""
    site = tmp_path / "site"
    build(project, site, today=BEFORE_DUE, fresh=True)
    own = {site / "notes.txt": "a maintainer's own file", site / ".git" / "HEAD": "ref: refs/heads/main\n",
           site / "blog" / "index.html": "another site's page"}
    for path, text in own.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    stray = site / "areas" / "stray.html"
    stray.write_text("left by a build that stopped", encoding="utf-8")
    gone = [p for p in listing_paths(project.parent) if p.stem in ("old-town-recovery-cafe", LISTING)]
    assert len(gone) == 2
    for path in gone:
        path.unlink()
    changed = site / "organisations" / LISTING / "index.html"
    changed.write_text(changed.read_text(encoding="utf-8") + "<!-- changed by hand -->", encoding="utf-8")

    build(project, site, today=BEFORE_DUE, fresh=False)
    # More of their own files after a build that listed the first ones (as a git commit adds objects).
    own |= {site / ".git" / "objects" / "ab" / "cdef": "an object", site / "blog" / "new.html": "a new post",
            site / "notes-2.txt": "more notes"}
    for path, text in own.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    build(project, site, today=BEFORE_DUE, fresh=False)
    full = tmp_path / "full"
    build(project, full, today=BEFORE_DUE, fresh=True, extra=('BUILD_CACHE_PATH=""', "BUILD_PROCESSES=1"))

    assert {path: path.read_text(encoding="utf-8") for path in own} == own
    assert not stray.exists()
    assert changed.exists(), "a page changed since the build wrote it was deleted"
    assert not (site / "organisations" / "old-town-recovery-cafe").exists()
    assert not (site / "organisations" / LISTING / "listing.json").exists()  # unchanged: deleted
    got, want = tree(site), tree(full)
    assert [name for name in want if got.get(name) != want[name]] == []
    assert sorted(name for name in got if name not in want) == sorted(
        [path.relative_to(site).as_posix() for path in own] + [f"organisations/{LISTING}/index.html"])


def test_a_rebuild_equals_a_full_build_after_a_stopped_build_a_lost_cache_or_a_deleted_page(tmp_path: Path):
    """What the last finished build left is listed (output_manifest.py): a build that stopped
    part-way, a build without the cache and a deleted cache leave nothing behind, and neither
    does a deleted content page or static file (Pelican's own files)."""
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    project = make_project(tmp_path / "project", settings={"THEME": str(theme)})
    site, full = tmp_path / "site", tmp_path / "full"

    def same_as_a_full_build() -> None:
        shutil.rmtree(full, ignore_errors=True)
        build(project, full, today=BEFORE_DUE, fresh=True, extra=('BUILD_CACHE_PATH=""', "BUILD_PROCESSES=1"))
        assert_same_site(site, full)

    static = project.parent / "content" / "extra" / "hello.txt"  # a static file (STATIC_PATHS)
    static.parent.mkdir()
    static.write_text("hello", encoding="utf-8")
    article = project.parent / "content" / "articles" / "news.md"  # an article (ARTICLE_PATHS)
    article.parent.mkdir()
    article.write_text("Title: News\nDate: 2026-11-01\n\nSome news.\n", encoding="utf-8")
    build(project, site, today=BEFORE_DUE, fresh=True)
    assert (site / "extra" / "hello.txt").exists()
    # A listing in an area no other serves, and a template that fails after the area pages are written.
    source = next(p for p in listing_paths(project.parent) if p.stem == LISTING)
    extra = source.with_name("fife-extra-listing.yaml")
    text = source.read_text(encoding="utf-8")
    extra.write_text(re.sub(r"(?ms)^areas_served:.*?(?=^\S)", "areas_served:\n  - Fife\n", text, count=1), "utf-8")
    template = theme / "templates" / "organisations.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% block content %}", "{% block content %}{{ no_such_thing.attribute }}"),
                        encoding="utf-8")
    assert build(project, site, today=BEFORE_DUE, fresh=False, check=False).returncode != 0
    assert (site / "areas" / "fife" / "index.html").exists()
    template.write_text(good, encoding="utf-8")
    extra.unlink()
    build(project, site, today=BEFORE_DUE, fresh=False)
    same_as_a_full_build()

    # A build without the cache adds a listing's pages; the next cached build, without it, has none.
    extra.write_text(text.replace(f"{LISTING}", "another-sample-listing"), "utf-8")
    build(project, site, today=BEFORE_DUE, fresh=False, extra=('BUILD_CACHE_PATH=""',))
    extra.unlink()
    build(project, site, today=BEFORE_DUE, fresh=False)
    same_as_a_full_build()

    # The cache deleted, then a listing: with nothing to say what the folder holds, nothing is
    # deleted (Pelican deletes nothing unasked) and the build says so; the next build is exact.
    shutil.rmtree(project.parent / "cache")
    next(p for p in listing_paths(project.parent) if p.stem == "old-town-recovery-cafe").unlink()
    result = build(project, site, today=BEFORE_DUE, fresh=False)
    assert "holds files from a build this build cache doesn't know of" in result.stderr
    assert "make clean" in result.stderr and "Traceback" not in result.stderr
    assert (site / "organisations" / "old-town-recovery-cafe" / "index.html").exists()
    shutil.rmtree(site)
    build(project, site, today=BEFORE_DUE, fresh=False)
    same_as_a_full_build()

    # Pelican's own files: a content page and a static file deleted.
    page = project.parent / "content" / "pages" / "privacy.md"
    assert (site / "privacy" / "index.html").exists()
    made = set(tree(site))
    page.unlink()
    static.unlink()
    article.unlink()
    build(project, site, today=BEFORE_DUE, fresh=False)
    assert not (site / "privacy").exists() and not (site / "extra").exists()
    assert [name for name in made - set(tree(site)) if "news" in name], "the article was never written"
    same_as_a_full_build()


def test_a_rebuild_after_a_theme_edit_keeps_only_the_new_theme_folder(tmp_path: Path):
    """The theme's files move to theme/<new hash>/ (fingerprints.py); the old folder goes."""
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    settings = make_project(tmp_path / "project", settings={"THEME": str(theme)})
    site = tmp_path / "site"
    build(settings, site, today=BEFORE_DUE, fresh=True)
    (before,) = [path.name for path in (site / "theme").iterdir()]
    stylesheet = next((theme / "static").rglob("*.css"))
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    (site / "theme" / "not-ours").mkdir()  # not named as our folders are: left alone

    build(settings, site, today=BEFORE_DUE, fresh=False)
    full = tmp_path / "full"
    build(settings, full, today=BEFORE_DUE, fresh=True, extra=('BUILD_CACHE_PATH=""', "BUILD_PROCESSES=1"))

    folders = sorted(path.name for path in (site / "theme").iterdir())
    assert before not in folders and len(folders) == 2 and "not-ours" in folders
    shutil.rmtree(site / "theme" / "not-ours")
    assert_same_site(site, full)


def test_kept_parts_are_used_only_for_the_same_inputs(tmp_path: Path):
    from types import SimpleNamespace

    from recovery_directory.output_parts import ListingParts, kept_value

    settings = {"PATH": str(tmp_path / "content"), "BUILD_CACHE_PATH": str(tmp_path / "cache")}
    org = SimpleNamespace(slug="a")

    def generator(digest: str) -> SimpleNamespace:
        return SimpleNamespace(settings=settings, output_path=str(tmp_path / "out"), listing_digests={"a": digest},
                               build_fingerprint="f" + digest)

    first = ListingParts(generator("1"), "kind")
    assert first.get(org, lambda: "made for 1") == "made for 1"
    first.save()
    assert ListingParts(generator("1"), "kind").get(org, lambda: "made again") == "made for 1"
    assert ListingParts(generator("1"), "kind").get(org, lambda: "other", "variant") == "other"
    assert ListingParts(generator("2"), "kind").get(org, lambda: "made for 2") == "made for 2"
    assert ListingParts(generator(""), "kind").get(org, lambda: "no digest") == "no digest"
    assert kept_value(generator("1"), "value", b"x", lambda: 1) == 1
    assert kept_value(generator("1"), "value", b"x", lambda: 2) == 1
    assert kept_value(generator("1"), "value", b"y", lambda: 3) == 3
    assert kept_value(generator("2"), "value", b"y", lambda: 4) == 4  # another build fingerprint


def test_a_rebuilds_few_new_parts_go_beside_the_full_set(tmp_path: Path):
    from types import SimpleNamespace

    from recovery_directory.output_parts import ListingParts

    settings = {"PATH": str(tmp_path / "content"), "BUILD_CACHE_PATH": str(tmp_path / "cache")}
    orgs = [SimpleNamespace(slug=f"listing-{n}") for n in range(20)]

    def build(digests: dict[str, str]) -> ListingParts:
        generator = SimpleNamespace(settings=settings, output_path=str(tmp_path / "out"), listing_digests=digests)
        parts = ListingParts(generator, "kind")
        for org in orgs:
            if org.slug in digests:
                assert parts.get(org, lambda org=org: f"{org.slug} from {digests[org.slug]}") == (
                    f"{org.slug} from {digests[org.slug]}"
                )
        parts.save()
        return parts

    digests = {org.slug: f"{org.slug} v1" for org in orgs}  # as listing_pages.inputs: one per listing
    full = build(digests).path
    before = full.stat().st_mtime_ns
    digests["listing-3"] = "listing-3 v2"  # one edit: only the side file is written
    parts = build(digests)
    assert full.stat().st_mtime_ns == before and parts.added.is_file() and parts.made == 1
    assert build(digests).made == 0  # the full set and the side file together have every part
    del digests["listing-4"]
    assert build(digests).made == 0
    for n in range(5, 15):  # many edits: the full set is written again, the side file goes
        digests[f"listing-{n}"] = f"listing-{n} v3"
    parts = build(digests)
    assert full.stat().st_mtime_ns != before and not parts.added.exists()
    assert build(digests).made == 0


def test_the_build_names_the_ons_provider_as_geocoding_does():
    from recovery_directory import build
    from recovery_directory.geocoding import offline

    assert build.ONS_PROVIDER == offline.PROVIDER


def test_a_new_day_reaches_cached_listings_and_unchanged_pages(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    build(project, site, today=BEFORE_DUE, fresh=True)
    assert "Not verified since" not in (site / "organisations" / LISTING / "index.html").read_text("utf-8")

    build(project, site, today=AFTER_DUE, fresh=False)
    full = tmp_path / "full"
    build(project, full, today=AFTER_DUE, fresh=True, extra=('BUILD_CACHE_PATH=""',))

    assert "Not verified since" in (site / "organisations" / LISTING / "index.html").read_text("utf-8")
    assert_same_site(site, full)


def test_a_cached_listing_made_invalid_stops_the_build_and_publishes_nothing(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    build(project, site, today=BEFORE_DUE, fresh=True)
    before = tree(site)
    path = edit_summary(project, "")  # an empty summary: the schema asks for one

    result = build(project, site, today=BEFORE_DUE, fresh=False, check=False)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path.name}:" in result.stderr and "Build stopped" in result.stderr
    assert tree(site) == before, "a failed rebuild changed the published site"


def test_cache_entries_are_keyed_by_code_schema_and_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", BEFORE_DUE)
    today = build_cache.listings_fingerprint()
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", AFTER_DUE)
    assert build_cache.listings_fingerprint() != today

    schema = tmp_path / "schema"
    schema.mkdir()
    for file in build_cache.SCHEMA.iterdir():
        (schema / file.name).write_bytes(file.read_bytes())
    code = build_cache.code_fingerprint()
    monkeypatch.setattr(build_cache, "SCHEMA", schema)
    build_cache.code_fingerprint.cache_clear()
    try:
        assert build_cache.code_fingerprint() == code
        first = next(schema.glob("*.json"))
        first.write_bytes(first.read_bytes() + b"\n")
        build_cache.code_fingerprint.cache_clear()
        assert build_cache.code_fingerprint() != code
    finally:
        build_cache.code_fingerprint.cache_clear()


def test_a_damaged_entry_is_a_miss_and_an_unwritable_cache_only_slows(tmp_path: Path):
    settings = {"PATH": str(tmp_path / "content"), "BUILD_CACHE_PATH": str(tmp_path / "cache")}
    cache = build_cache.ListingCache(settings)
    assert build_cache.load(cache.get("missing")) is None  # nothing kept yet
    cache.bundle({"k": b"not a pickle", "other": b"only in the bundle"})
    again = build_cache.ListingCache(settings)
    assert again.get("k") == b"not a pickle" and again.get("other") == b"only in the bundle"
    assert build_cache.load(again.get("k")) is None  # a damaged entry loads as a miss
    assert build_cache.ListingCache({**settings, "BUILD_CACHE_PATH": ""}).get("k") is None
    (cache.path / cache.BUNDLE).write_bytes(b"damaged")
    assert build_cache.ListingCache(settings).get("other") is None  # a damaged bundle: every key a miss

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    build_cache.ListingCache({**settings, "BUILD_CACHE_PATH": str(blocked)}).bundle({"k": b"x"})  # no error


def test_the_cache_key_follows_the_file_bytes(project: Path):
    path = next(p for p in listing_paths(project.parent) if p.stem == LISTING)
    read = read_listing(path, project.parent)
    assert read.ok
    key = build_cache.listing_key("content/organisations/x.yaml", path.read_bytes())
    assert key != build_cache.listing_key("content/organisations/x.yaml", path.read_bytes() + b"\n")
    assert key != build_cache.listing_key("content/organisations/y.yaml", path.read_bytes())


def test_every_setting_but_how_the_build_runs_is_an_input_of_listing_pages(monkeypatch: pytest.MonkeyPatch):
    from recovery_directory.listing_pages import fingerprint
    from recovery_directory.settings import load_settings

    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", BEFORE_DUE)
    settings = load_settings(Path(__file__).resolve().parents[1] / "pelicanconf.py")
    common = fingerprint(settings)
    for unrelated in ({"BUILD_PROCESSES": 1}, {"DELETE_OUTPUT_DIRECTORY": True}, {"BUILD_CACHE_PATH": ""}):
        assert fingerprint({**settings, **unrelated}) == common, unrelated
    assert fingerprint({**settings, "SITENAME": "Another name"}) != common
    assert fingerprint({**settings, "THEME_STATIC_DIR": "theme/0123456789"}) != common
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", AFTER_DUE)
    assert fingerprint(settings) != common


def test_postcode_lookup_files_are_linked_again_unless_still_the_same(tmp_path: Path):
    from recovery_directory.geocoding import site_lookup

    target = site_lookup.publish(tmp_path)
    source = site_lookup.ensure_cached() / site_lookup.LOOKUP_FOLDER
    name = sorted(os.listdir(source))[0]
    assert os.stat(target / name).st_ino == os.stat(source / name).st_ino
    before = os.stat(target).st_ino
    site_lookup.publish(tmp_path)  # a rebuild: the same links, left as they are
    assert os.stat(target).st_ino == before

    (target / name).unlink()
    (target / name).write_text("something else", encoding="utf-8")
    (target / "stray.json").write_text("{}", encoding="utf-8")
    site_lookup.publish(tmp_path)
    assert (target / name).read_bytes() == (source / name).read_bytes()
    assert sorted(os.listdir(target)) == sorted(os.listdir(source))


def test_postcode_lookup_files_are_copied_where_they_cannot_be_linked(tmp_path: Path, monkeypatch):
    """Another file system (a cache on one disk, the output on another): os.link fails with EXDEV."""
    import errno

    from recovery_directory.geocoding import site_lookup

    source = site_lookup.ensure_cached() / site_lookup.LOOKUP_FOLDER

    def cross_device(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    target = site_lookup.publish(tmp_path)
    names = sorted(os.listdir(source))
    assert sorted(os.listdir(target)) == names
    assert os.stat(target / names[0]).st_ino != os.stat(source / names[0]).st_ino  # a copy
    assert (target / names[-1]).read_bytes() == (source / names[-1]).read_bytes()


def test_the_readers_fast_source_path_is_source_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from recovery_directory.listing.read import source_path
    from recovery_directory.listing_reading import _source_path

    project = tmp_path / "project"
    (project / "content" / "organisations").mkdir(parents=True)
    monkeypatch.chdir(project)
    prefix = os.path.join(os.path.abspath(project), "")
    for path in (project / "content/organisations/a.yaml", Path("content/organisations/b.yaml"),
                 project / "content/../content/organisations/c.yaml", tmp_path / "elsewhere.yaml",
                 tmp_path / "project-sibling" / "d.yaml"):
        assert _source_path(path, str(project), prefix) == source_path(path, str(project)), path


def test_nothing_is_deleted_from_an_output_folder_that_holds_the_content(project: Path):
    """Built into the project folder itself (the content inside it), a build cleans nothing there,
    even in folders the site makes (as Pelican never empties such a folder)."""
    folder = project.parent
    build(project, folder, today=BEFORE_DUE, fresh=False)
    mine = folder / "areas" / "mine.txt"
    mine.write_text("not the build's", encoding="utf-8")
    build(project, folder, today=BEFORE_DUE, fresh=False)
    assert mine.read_text(encoding="utf-8") == "not the build's"
    assert listing_paths(folder), "the content is still there"


def test_the_output_listing_reads_again_exactly_the_folders_whose_entries_may_have_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """output_manifest.files_in reuses a folder's names while it is the same folder with the
    change time it had when read (creating, deleting or renaming an entry moves it, and nothing can
    set it back), and reads again a folder whose time was too close to the reading to tell a later
    change from it."""
    from recovery_directory import output_manifest
    from recovery_directory.output_manifest import files_in

    site = tmp_path / "site"
    for name in ("index.html", "a/index.html", "a/b/index.html", "c/index.html"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(name)
    found, fresh = files_in(str(site))
    assert found == {"index.html", "a/index.html", "a/b/index.html", "c/index.html"}
    assert all(entry[0] is None for entry in fresh.values())  # just made: not settled, read again next time
    (site / "a" / "new.html").write_text("")  # the folder's time may not move within the clock's step
    assert "a/new.html" in files_in(str(site), fresh)[0]

    monkeypatch.setattr(output_manifest, "SETTLED_NS", 0)  # as if the folders were made long ago
    found, settled = files_in(str(site))
    assert all(entry[0] is not None for entry in settled.values())
    # What SETTLED_NS guards against, done by hand: the changes below must get later change times
    # than those just read, and file times advance in clock steps (~4 ms before Linux 6.13).
    probe, newest = tmp_path / "probe", max(entry[0][1] for entry in settled.values())
    while True:
        probe.write_text(str(time.time_ns()))
        if os.stat(probe).st_ctime_ns > newest:
            break
        time.sleep(0.001)
    read = []
    real_scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: read.append(path[len(str(site)):]) or real_scandir(path))
    assert files_in(str(site), settled)[0] == found and read == []  # nothing changed: no folder read

    (site / "c" / "late.html").write_text("")
    again, _ = files_in(str(site), settled)
    assert again == found | {"c/late.html"} and read == ["/c/"]  # only the folder that changed
    # A folder's modification time put back (copytree, `cp -a`, rsync) doesn't hide a change.
    made = os.stat(site / "a")
    (site / "a" / "copied.html").write_text("")
    os.utime(site / "a", ns=(made.st_atime_ns, made.st_mtime_ns))
    # Every change to the entries is seen: a deleted file, a new folder in a folder reused itself.
    (site / "a" / "b" / "index.html").unlink()
    (site / "a" / "b" / "d").mkdir()
    (site / "a" / "b" / "d" / "page.html").write_text("")
    again, _ = files_in(str(site), settled)
    assert again == found - {"a/b/index.html"} | {"c/late.html", "a/copied.html", "a/b/d/page.html"}
    # A kept listing of another shape is read again, not trusted.
    assert output_manifest._recorded_folders({"folders": {"": (1,), "a/": [1, "x", ""]}}) == {}
