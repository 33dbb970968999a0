"""Copy the browser libraries the site self-hosts from node_modules/ into output/vendor/.

Nothing third-party is committed or loaded from a CDN: `npm ci` fetches the pinned versions
(package-lock.json) and the build copies only the files pages use.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

ORDER = 10

# package -> files or folders (relative to the package) the site serves as /vendor/<package>/...
VENDOR_FILES = {
    "leaflet": ["dist/leaflet.js", "dist/leaflet.css", "dist/images"],
    "leaflet.markercluster": [
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ],
    "minisearch": ["dist/umd/index.js"],
}


class MissingAssets(RuntimeError):
    pass


def node_modules(settings: dict[str, Any]) -> Path:
    return Path(settings.get("NODE_MODULES_PATH") or Path(settings["PATH"]).parent / "node_modules")


def vendor_url(package: str, file: str) -> str:
    """Site-relative URL of a vendored file, e.g. vendor/leaflet/leaflet.js."""
    return f"vendor/{package}/{Path(file).name}"


def write(generator: Any, writer: Any) -> None:
    source_root = node_modules(generator.settings)
    target_root = Path(generator.output_path) / "vendor"
    for package, files in VENDOR_FILES.items():
        for file in files:
            source = source_root / package / file
            if not source.exists():
                raise MissingAssets(
                    f"{source} is missing. Run `npm ci` (or `make deps`) to install the site's "
                    "browser libraries, then build again."
                )
            target = target_root / package / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copyfile(source, target)
