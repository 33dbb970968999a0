"""The browser libraries the site self-hosts, copied from node_modules/ to output/vendor/ (outputs/assets.py).

Nothing third-party is committed or loaded from a CDN: `npm ci` fetches the pinned versions
(package-lock.json) and the build copies only the files pages use, into
vendor/<package>-<version>/ so a new version gets new URLs and browsers may cache them for a
year (headers.LONG_CACHE_PATHS). Templates and maps.py get the URLs from `vendor_url`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

# package -> files or folders (relative to the package) the site serves as /vendor/<package>-<version>/...
VENDOR_FILES = {
    "leaflet": ["dist/leaflet.js", "dist/leaflet.css", "dist/images"],
    "leaflet.markercluster": [
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ],
    "minisearch": ["dist/umd/index.js"],
    "qr": ["index.js"],  # the shortlist handout's QR code, drawn in the browser (no imports)
    # The listing editor: JSON Schema checks without eval (CSP-safe), and YAML written correctly.
    "@cfworker/json-schema": ["dist/esm"],
    "yaml": ["browser/dist"],
}


class MissingAssets(RuntimeError):
    pass


def node_modules(settings: dict[str, Any]) -> Path:
    return Path(settings.get("NODE_MODULES_PATH") or Path(settings["PATH"]).parent / "node_modules")


VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]*$")  # semver's characters: safe in a URL path


def package_version(modules: Path, package: str) -> str:
    """The installed version of `package`, from its package.json."""
    manifest = modules / package / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version", "")
    except (OSError, ValueError):
        version = None
    if not isinstance(version, str) or not VERSION.match(version):
        raise MissingAssets(
            f"{manifest} is missing or has no version. Run `npm ci` (or `make deps`) to install the "
            "site's browser libraries, then build again."
        )
    return version


def folder_name(package: str, version: str) -> str:
    """leaflet-1.9.4; a scoped package flattened: @cfworker/json-schema -> cfworker-json-schema-4.1.6."""
    return f"{package.lstrip('@').replace('/', '-')}-{version}"


def vendor_folders(settings: dict[str, Any]) -> dict[str, str]:
    """package -> its site-relative folder, e.g. leaflet -> vendor/leaflet-1.9.4."""
    modules = node_modules(settings)
    return {package: f"vendor/{folder_name(package, package_version(modules, package))}" for package in VENDOR_FILES}


def served_names() -> list[str]:
    """Every vendored file or folder as package/name: what `vendor_url` may link to."""
    return [f"{package}/{Path(entry).name}" for package, entries in VENDOR_FILES.items() for entry in entries]


def _url(folders: dict[str, str], package: str, file: str) -> str:
    if f"{package}/{file.split('/', 1)[0]}" not in served_names():
        raise ValueError(
            f"vendor_url({package!r}, {file!r}): the build doesn't copy that file. It copies "
            f"{', '.join(served_names())} (vendor.VENDOR_FILES)."
        )
    return f"{folders[package]}/{file}"


def vendor_url(settings: dict[str, Any], package: str, file: str) -> str:
    """Site-relative URL of a vendored file, e.g. vendor/leaflet-1.9.4/leaflet.js."""
    return _url(vendor_folders(settings), package, file)


def template_vendor_url(settings: dict[str, Any]) -> Callable[[str, str], str]:
    """`vendor_url(package, file)` for templates, with the versions read once per build (on first
    use, so a build with invalid listings reports those before any missing library)."""
    folders: dict[str, str] = {}

    def url(package: str, file: str) -> str:
        if not folders:
            folders.update(vendor_folders(settings))
        return _url(folders, package, file)

    return url


def esbuild_path(settings: dict[str, Any]) -> Path:
    """esbuild, which bundles the search page's scripts (outputs/scripts.py)."""
    path = node_modules(settings) / ".bin" / "esbuild"
    if not path.exists():
        raise MissingAssets(
            f"{path} is missing. Run `npm ci` (or `make deps`) to install the site's browser "
            "libraries and the bundler, then build again."
        )
    return path


def vendor_copies(settings: dict[str, Any]) -> list[tuple[Path, str]]:
    """(source in node_modules, site-relative target) for every vendored file or folder."""
    source_root = node_modules(settings)
    folders = vendor_folders(settings)
    copies = []
    for package, files in VENDOR_FILES.items():
        for file in files:
            source = source_root / package / file
            if not source.exists():
                raise MissingAssets(
                    f"{source} is missing. Run `npm ci` (or `make deps`) to install the site's "
                    "browser libraries, then build again."
                )
            copies.append((source, f"{folders[package]}/{source.name}"))
    return copies
