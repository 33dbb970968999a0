"""Content pages read through Markdown once and kept in the build cache (kept_pages.py): kept
only for the same file bytes, path and settings, and never without a build cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import read_settings
from recovery_directory import kept_pages

ROOT = Path(__file__).resolve().parents[1]


def reader(tmp_path: Path, **override) -> kept_pages.KeptMarkdownReader:
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(tmp_path / "content"), "BUILD_CACHE_PATH": str(tmp_path / "cache"),
        "THEME": str(ROOT / "theme"), "NODE_MODULES_PATH": str(ROOT / "node_modules"), **override,
    })
    return kept_pages.KeptMarkdownReader(settings)


def test_a_page_is_kept_for_the_same_bytes_and_settings_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    page = tmp_path / "content" / "pages" / "about.md"
    page.parent.mkdir(parents=True)
    page.write_text("Title: About\nSlug: about\n\nSome **text**.\n", encoding="utf-8")
    converted: list[str] = []
    original = MarkdownReader.read

    def counted(self, source_path):  # noqa: ANN001, ANN202
        converted.append(source_path)
        return original(self, source_path)

    monkeypatch.setattr(MarkdownReader, "read", counted)
    first = reader(tmp_path).read(str(page))
    assert first[0] == "<p>Some <strong>text</strong>.</p>" and first[1]["title"] == "About"
    assert reader(tmp_path).read(str(page)) == first and len(converted) == 1  # kept

    page.write_text("Title: About\nSlug: about\n\nOther **text**.\n", encoding="utf-8")
    assert reader(tmp_path).read(str(page))[0] == "<p>Other <strong>text</strong>.</p>" and len(converted) == 2

    assert reader(tmp_path, SITENAME="Another name").read(str(page))[0].startswith("<p>Other") and len(converted) == 3
    reader(tmp_path, BUILD_CACHE_PATH="").read(str(page))
    reader(tmp_path, BUILD_CACHE_PATH="").read(str(page))
    assert len(converted) == 5  # no cache: read every time
