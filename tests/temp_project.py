"""A throwaway copy of the project's content, with a settings file pointing at it, for tests
that add, break or delete listings (the real content/ and geocoding/ are never touched)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from recovery_directory.settings import derived_settings_source

ROOT = Path(__file__).resolve().parents[1]


def make_project(folder: Path, *, extra_listings: list[Path] = (), settings: dict[str, Any] | None = None) -> Path:
    """Copy content/ (listings and pages) and the geocode cache into `folder`, add
    `extra_listings`, and write a settings file that imports pelicanconf.py and overrides the
    paths (plus `settings`). Returns the settings file's path."""
    shutil.copytree(ROOT / "content", folder / "content")
    (folder / "geocoding").mkdir()
    shutil.copyfile(ROOT / "geocoding" / "cache.json", folder / "geocoding" / "cache.json")
    for listing in extra_listings:
        shutil.copy(listing, folder / "content" / "organisations" / listing.name)
    return write_settings(folder, settings)


def write_settings(folder: Path, overrides: dict[str, Any] | None = None) -> Path:
    values = {
        "PATH": str(folder / "content"),
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "NODE_MODULES_PATH": str(ROOT / "node_modules"),
        "GEOCODE_CACHE_PATH": str(folder / "geocoding" / "cache.json"),
        **(overrides or {}),
    }
    # Not named pelicanconf.py: Pelican imports the settings file under its own module name.
    path = folder / "pelicanconf_test_project.py"
    path.write_text(derived_settings_source(ROOT / "pelicanconf.py", values), encoding="utf-8")
    return path


def listing_paths(folder: Path) -> list[Path]:
    return sorted((folder / "content" / "organisations").glob("*.yaml"))
