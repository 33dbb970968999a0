"""`make serve`'s builds from a warm process (warm_builds.py): the same site as `pelican` makes,
the build's exit status, and a build of its own when the warm process is gone."""

from __future__ import annotations

from pathlib import Path

from recovery_directory.preview import changed_names
from recovery_directory.warm_builds import WarmBuilder
from site_tools import build_site
from temp_project import listing_paths, make_project
from watchfiles import Change


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_warm_build_makes_what_pelican_makes_and_says_how_it_ended(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    site, expected = tmp_path / "site", tmp_path / "expected"
    builder = WarmBuilder(settings, site)
    builder.start()
    try:
        code, cpu = builder.build()
        assert code == 0 and cpu > 0
        build_site(expected, settings=settings)
        assert files(site) == files(expected)

        broken = listing_paths(settings.parent)[0]
        broken.write_text(broken.read_text(encoding="utf-8").replace("\nname: ", "\nnmae: ", 1), encoding="utf-8")
        code, _ = builder.build()
        assert code == 1
        assert files(site) == files(expected), "a failed build changed the site"

        builder.process.kill()  # ended: started again
        builder.process.wait()
        code, cpu = builder.build()
        assert code == 1 and cpu > 0
    finally:
        builder.stop()
    assert builder.process is None


def test_a_warm_process_that_cannot_start_gives_way_to_a_plain_build(tmp_path: Path, capfd) -> None:
    """As when an edit leaves a mistake in the plugin's code: the plain build explains it."""
    settings = make_project(tmp_path / "project")
    broken = listing_paths(settings.parent)[0]
    broken.write_text(broken.read_text(encoding="utf-8").replace("\nname: ", "\nnmae: ", 1), encoding="utf-8")
    builder = WarmBuilder(settings, tmp_path / "site")
    builder.module = "recovery_directory.no_such_module"
    try:
        code, cpu = builder.build()
    finally:
        builder.stop()
    assert code == 1 and cpu > 0
    assert f"{broken.name}:" in capfd.readouterr().err and not (tmp_path / "site" / "index.html").exists()


def test_an_editors_temporary_file_is_not_named_as_changed() -> None:
    changes = {(Change.added, "/p/content/.listing.yaml.swx1"), (Change.deleted, "/p/content/.listing.yaml.swx1"),
               (Change.modified, "/p/content/listing.yaml"), (Change.deleted, "/p/content/gone.yaml")}
    assert changed_names(changes) == ["gone.yaml", "listing.yaml"]
