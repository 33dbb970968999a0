"""The project's settings: Pelican's, plus our defaults for anything pelicanconf.py leaves out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "ORGANISATIONS_PATH": "organisations",
    "GEOCODE_CACHE_PATH": "geocoding/cache.json",
    "GEOCODE_ONLINE": False,
    "GEOCODE_ALLOW_MISSING": False,
    "GEOCODE_TIMEOUT": 10,
    "GEOCODE_RATE_LIMIT_SECONDS": 1.0,
    "POSTCODES_IO_URL": "https://api.postcodes.io",
    "NOMINATIM_URL": "https://nominatim.openstreetmap.org",
    "GEOCODER_USER_AGENT": "recovery-directory/0.1 (+https://github.com/recovery-directory/recovery-directory)",
    # What visitors' browsers may contact besides this site: map tiles only (the postcode lookup
    # is the site's own /postcodes/ files).
    "MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "MAP_TILE_ATTRIBUTION": (
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    ),
    "MAP_MAX_ZOOM": 19,
    # "Directions" on listing pages and the printed list: ordinary links to a map provider's
    # route planner (nothing of theirs is loaded by our pages). {lat}/{lon} for a location with
    # a pin; {address} (URL-encoded) for one without.
    "DIRECTIONS_URL": "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}#map=17/{lat}/{lon}",
    "DIRECTIONS_ADDRESS_URL": "https://www.openstreetmap.org/directions?to={address}",
    "DIRECTIONS_PROVIDER": "OpenStreetMap",
    "REPOSITORY_URL": "https://github.com/recovery-directory/recovery-directory",
    "REPOSITORY_BRANCH": "main",
    # Atom entry ids are tag: URIs (RFC 4151) so they survive a change of address. Set once,
    # before the site goes live, and never change them: readers would see every entry as new.
    "FEED_ID_AUTHORITY": "recovery-directory.github.io",
    "FEED_ID_DATE": "2026",
    # A waiting-room poster lists at most this many organisations (to fit one A4 page), then
    # sends readers to the area page through its QR code.
    "POSTER_MAX_LISTINGS": 12,
    # Which websites may show the embeddable lists (/embed/*) in an iframe: * for any, or
    # space-separated origins. Every other page can't be framed (frame-ancestors 'none').
    "EMBED_FRAME_ANCESTORS": "*",
    # Which websites' scripts may read the open-data files (/data/*): * for any (Open Referral UK
    # asks for this), or one origin. No other file gets an Access-Control-Allow-Origin header.
    "OPEN_DATA_ALLOW_ORIGIN": "*",
    # `recovery-directory import`: how it fetches a source given as a web address, and names
    # for sources used often (IMPORT_SOURCES = {"aa-leeds": "https://…/meetings.json"}).
    "IMPORT_USER_AGENT": "recovery-directory-import/0.1 (+https://github.com/recovery-directory/recovery-directory)",
    "IMPORT_TIMEOUT": 30,
    "IMPORT_RETRIES": 3,
    "IMPORT_RETRY_WAIT": 2.0,
    "IMPORT_SOURCES": {},
    # .github/CODEOWNERS: who reviews everything, besides each listing's own maintainers.
    "CODEOWNERS_DEFAULT_OWNERS": ["@recovery-directory/maintainers"],
    # The open-data files' build_date (YYYY-MM-DD). None: the newest last_verified, so the same
    # listings always give byte-identical files (docs/open-data.md).
    "BUILD_DATE": None,
    # The build's cache of read listings and of what each listing page was written from
    # (build_cache.py), relative to the project folder; "" builds without it.
    "BUILD_CACHE_PATH": "cache/build",
    # Worker processes for reading listings and writing pages: 0 for one per core (at most 4).
    "BUILD_PROCESSES": 0,
}


def apply_defaults(settings: dict[str, Any]) -> dict[str, Any]:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings


def load_settings(path: str | Path = "pelicanconf.py") -> dict[str, Any]:
    """Pelican's settings from `path` (PATH etc. made absolute by Pelican) with our defaults."""
    from pelican.settings import read_settings  # imported late: the validator doesn't need Pelican

    if not Path(path).is_file():
        raise SettingsNotFound(
            f"No settings file {path} here. Run this from the project folder (where pelicanconf.py "
            "is), or name the settings file with --settings PATH."
        )
    return apply_defaults(read_settings(str(path)))


class SettingsNotFound(Exception):
    """The settings file named on the command line doesn't exist."""


def derived_settings_source(base: str | Path, overrides: dict[str, Any], doc: str = "") -> str:
    """Python source for a settings file that takes every setting from `base` (loaded by path,
    so a different `pelicanconf` module already imported in this process can't stand in for
    it) and then applies `overrides`. Used by tests and benchmarks to build other content."""
    lines = [f'"""{doc}"""' if doc else "", "import runpy", ""]
    lines.append(
        f"globals().update({{k: v for k, v in runpy.run_path({str(base)!r}).items() if k.isupper()}})"
    )
    lines += [f"{key} = {value!r}" for key, value in overrides.items()]
    return "\n".join(lines).lstrip() + "\n"
