"""The comparison sites: the synthetic listings' own text as N Markdown articles for plain Pelican
(default settings and theme) and as N Markdown pages for Hugo (a minimal layout of our own, since
Hugo without a theme renders no pages at all)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from recovery_directory.listing.loader import load_listing

PLAIN_SETTINGS = """\
# Plain Pelican, default settings and theme: only what it needs to find the articles.
PATH = {content!r}
SITENAME = "Plain Pelican benchmark"
SITEURL = ""
TIMEZONE = "Europe/London"
"""

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Hugo benchmark"
languageCode = "en-gb"
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html>\n<html lang="en-GB">\n<head><meta charset="utf-8"><title>{{ .Title }}</title></head>\n'
        "<body><main>{{ block \"main\" . }}{{ end }}</main></body>\n</html>\n"
    ),
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}{{ end }}\n',
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>\n<ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}\n'
    ),
}


def listing_texts(listings: Path) -> list[tuple[str, str, str, str]]:
    """(slug, name, summary, description) of every listing, in file order."""
    found = []
    for path in sorted(listings.glob("*.yaml")):
        data = load_listing(path).data
        found.append((path.stem, data["name"], data["summary"], data.get("description", "")))
    return found


def write_plain_pelican(texts: list[tuple[str, str, str, str]], root: Path) -> Path:
    """N Markdown articles and a default-settings file; returns the settings file."""
    content = _fresh(root / "content")
    for slug, name, summary, description in texts:
        (content / f"{slug}.md").write_text(
            f"Title: {name}\nDate: 2026-01-01 10:00\nSlug: {slug}\nSummary: {summary}\n\n{summary}\n\n{description}",
            encoding="utf-8",
        )
    settings = root / "plainconf.py"
    settings.write_text(PLAIN_SETTINGS.format(content=str(content)), encoding="utf-8")
    return settings


def write_hugo(texts: list[tuple[str, str, str, str]], root: Path) -> Path:
    """A Hugo site of N Markdown pages; returns its folder."""
    content = _fresh(root / "content" / "organisations")
    for slug, name, summary, description in texts:
        front = f"---\ntitle: {json.dumps(name, ensure_ascii=False)}\ndate: 2026-01-01T10:00:00Z\n---\n"
        (content / f"{slug}.md").write_text(f"{front}{summary}\n\n{description}", encoding="utf-8")
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder
