"""Content-addressed URLs for the theme's static files, so netlify.toml can let browsers cache
/theme/* for a year (headers.LONG_CACHE_PATHS) and still never serve stale CSS or JavaScript.

Pelican copies theme/static/ into the output folder named by THEME_STATIC_DIR and templates
link to `{{ SITEURL }}/{{ THEME_STATIC_DIR }}/...`. Unless the site sets its own folder, we make
it theme/<hash of every static file's path and bytes>: any edit gives every theme file a new URL
(ES modules import each other relatively, so they stay together in one folder).
The vendored libraries get their version in their URL instead (vendor.py).
"""

from __future__ import annotations

import hashlib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

PELICAN_DEFAULT_STATIC_DIR = "theme"  # pelican.settings.DEFAULT_CONFIG["THEME_STATIC_DIR"]
HASH_LENGTH = 10  # hex digits: 40 bits, plenty to tell one theme edit from another


def theme_static_files(settings: dict[str, Any]) -> list[tuple[str, Path]]:
    """(name, file) for every file Pelican will copy from THEME_STATIC_PATHS, in a fixed order,
    skipping IGNORE_FILES as Pelican's copy does."""
    theme = Path(settings["THEME"])
    ignored = settings.get("IGNORE_FILES", [])
    found = []
    for static in settings.get("THEME_STATIC_PATHS", ["static"]):
        source = theme / static
        files = [source] if source.is_file() else sorted(path for path in source.rglob("*") if path.is_file())
        for file in files:
            name = f"{static}/{file.relative_to(source).as_posix()}" if file != source else static
            if not any(fnmatch(part, pattern) for part in Path(name).parts for pattern in ignored):
                found.append((name, file))
    return found


def theme_static_hash(settings: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    for name, file in theme_static_files(settings):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:HASH_LENGTH]


def fingerprint_theme_static_dir(settings: dict[str, Any]) -> None:
    """Set THEME_STATIC_DIR to theme/<hash> when the site leaves it at Pelican's default.

    Computed once per Pelican instance: `pelican --autoreload` keeps the folder while the theme
    is edited, which is harmless there because its development server sends no cache headers.
    """
    if settings.get("THEME_STATIC_DIR", PELICAN_DEFAULT_STATIC_DIR) == PELICAN_DEFAULT_STATIC_DIR:
        settings["THEME_STATIC_DIR"] = f"{PELICAN_DEFAULT_STATIC_DIR}/{theme_static_hash(settings)}"
