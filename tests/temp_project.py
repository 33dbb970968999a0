"""A throwaway copy of the project's content, with a settings file pointing at it, for tests
that add, break or delete listings (the real content/ and geocoding/ are never touched)."""

from __future__ import annotations

import json
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


def tiny_project(folder: Path, settings: str = "") -> Path:
    """An empty project for command tests: content/organisations/ and a settings file whose PATH
    is content/, plus `settings` (Python lines). Returns the settings file; add listings with
    `write_listing`."""
    (folder / "content" / "organisations").mkdir(parents=True)
    path = folder / "settings.py"
    path.write_text(f"PATH = {str(folder / 'content')!r}\n{settings}", encoding="utf-8")
    return path


def write_listing(folder: Path, slug: str, extra: str = "", *, last_verified: str = "2026-10-01",
                  name: str | None = None) -> None:
    """A minimal valid listing `folder/<slug>.yaml`, plus `extra` YAML lines."""
    title = name or slug.replace("-", " ").title() + " (sample listing)"
    folder.joinpath(f"{slug}.yaml").write_text(
        f"name: {json.dumps(title)}\n"
        "types: [lero]\n"
        "summary: A fictional listing used to test the project's commands.\n"
        f"last_verified: {last_verified}\n{extra}\n",
        encoding="utf-8",
    )
