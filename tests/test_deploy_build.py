"""The deploy build (`pelican --fatal warnings`, as Netlify and CI run it) ends any warning with our
plain summary: every problem named with what to do, exit status 1, no Pelican traceback, and the
previous site left as it was when the warning came before anything was written."""

from __future__ import annotations

from pathlib import Path

from site_tools import build_site
from temp_project import make_project

UNCACHED = """\
name: {name} (sample listing)
types: [mutual_aid]
summary: A fictional listing whose address is not in the geocode cache yet.
areas_served: [Leeds]
locations:
  - town: Leeds
    address: {address}
last_verified: 2026-10-01
"""


def deploy_build(settings: Path, output: Path):
    result = build_site(output, settings=settings, extra=["--fatal", "warnings"], check=False)
    text = result.stdout + result.stderr
    assert result.returncode == 1, text
    assert "Traceback" not in text and "RuntimeError" not in text and "Warning or error encountered" not in text
    return result.stderr


def add_listing(project: Path, slug: str, name: str, address: str) -> None:
    """A location with an address and no postcode: the one kind the offline postcode data can't
    place, so it needs a geocode cache entry (a real postcode would build green)."""
    listing = project / "content" / "organisations" / f"{slug}.yaml"
    listing.write_text(UNCACHED.format(name=name, address=address), encoding="utf-8")


def test_missing_pins_end_in_one_plain_summary_naming_each_listing(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    add_listing(tmp_path / "project", "uncached-one", "Uncached One", "Hut 1")
    add_listing(tmp_path / "project", "uncached-two", "Uncached Two", "Hut 2")
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the site as last published", encoding="utf-8")

    stderr = deploy_build(settings, output)

    summary = stderr[stderr.index("Build stopped: 2 problems must be fixed") :]
    for slug, query in (("uncached-one", "Hut 1, Leeds"), ("uncached-two", "Hut 2, Leeds")):
        item = next(line for line in summary.splitlines() if f"{slug}.yaml" in line)
        assert item.startswith("  - ") and repr(query) in item
        assert f"recovery-directory geocode {item.split()[1].rstrip(':')}" in item  # the command that fixes it
    assert "GEOCODE_ALLOW_MISSING" in summary and "docs/settings.md" in summary
    assert [p.name for p in output.iterdir()] == ["index.html"]  # stopped before writing or clearing
    assert (output / "index.html").read_text(encoding="utf-8") == "the site as last published"


def test_a_warning_while_writing_pages_also_ends_in_the_summary(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    page = tmp_path / "project" / "content" / "pages" / "broken-link.md"
    page.write_text("Title: Broken link\n\nSee [the guide]({filename}/pages/no-such-page.md).\n", encoding="utf-8")

    stderr = deploy_build(settings, tmp_path / "output")

    summary = stderr[stderr.index("Build stopped: 1 problem must be fixed") :]
    assert "  - Unable to find '/pages/no-such-page.md'" in summary


def test_without_fatal_warnings_the_same_gap_only_warns(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    add_listing(tmp_path / "project", "uncached-one", "Uncached One", "Hut 1")
    result = build_site(tmp_path / "output", settings=settings, check=False)
    assert result.returncode == 0, result.stderr
    assert "uncached-one.yaml" in result.stdout + result.stderr and "Build stopped" not in result.stderr
