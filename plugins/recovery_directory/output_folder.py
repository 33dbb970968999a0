"""The output folder: check it can be written before anything is read, and clear it only once
every listing has passed its checks.

Pelican itself would (1) print a long traceback on the first page it can't write, after writing
part of the site, and (2) with --delete-output-directory (`make build`, publishconf.py) empty the
folder before reading any content, so an invalid listing left no site at all. Here the folder is
probed when the build starts, and the deletion Pelican was asked for waits until
every listing has passed and no warning stops the build (`__init__.on_generators_finalized`): a
failed build leaves the previous site untouched.

Without --delete-output-directory (`make build`, `make serve`: a rebuild keeps unchanged pages), a
build still leaves the files a build into an empty folder would make: the pages it no longer
makes go (output_records.prune, output_manifest.py), and so does an earlier theme/<hash>/ folder
here.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from pelican.utils import clean_output_dir

from .fingerprints import HASH_LENGTH, PELICAN_DEFAULT_STATIC_DIR

DELETE_AFTER_CHECKS = "RECOVERY_DIRECTORY_DELETE_OUTPUT_AFTER_CHECKS"  # set at start-up, not by users


def stop_unless_writable(pelican: Any) -> None:
    """SystemExit(1) with a plain message if the output folder can't be created or written."""
    folder = Path(pelican.output_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".write-check-")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        print(
            f"Build stopped: the output folder {folder} can't be written ({error.strerror or error}). "
            "Check that the disk isn't full or read-only and that you may write there, or build "
            "somewhere else with `-o FOLDER`. Nothing was written.",
            file=sys.stderr,
        )
        raise SystemExit(1) from None  # not an Exception: Pelican would print a traceback


def defer_deletion(pelican: Any) -> None:
    """Take over --delete-output-directory so it happens after the listings are checked."""
    if pelican.delete_outputdir:
        pelican.delete_outputdir = False
        pelican.settings[DELETE_AFTER_CHECKS] = True


def delete_if_asked(settings: dict[str, Any], output_path: str) -> None:
    """Empty the output folder as Pelican would have (keeping OUTPUT_RETENTION, and never when
    the folder holds the content), now that the build is known to go ahead."""
    if settings.get(DELETE_AFTER_CHECKS) and not holds_content(settings, output_path):
        clean_output_dir(output_path, settings.get("OUTPUT_RETENTION", []))


def holds_content(settings: dict[str, Any], output_path: str) -> bool:
    """Whether the content folder is the output folder or inside it: nothing is deleted there."""
    output, content = os.path.realpath(output_path), os.path.realpath(settings["PATH"])
    return os.path.commonpath([output]) == os.path.commonpath([output, content])


THEME_FOLDER = re.compile(f"[0-9a-f]{{{HASH_LENGTH}}}")  # fingerprints.py's theme/<hash>


def remove_earlier_theme_folders(settings: dict[str, Any], output_path: str) -> None:
    """After a theme edit, the theme's files go to a new theme/<hash>/ (fingerprints.py) and every
    page links there: delete the folders earlier builds copied them to. Only folders named as ours
    are, and only when this build's folder is one of ours."""
    prefix, _, current = str(settings.get("THEME_STATIC_DIR", "")).partition("/")
    if prefix != PELICAN_DEFAULT_STATIC_DIR or not THEME_FOLDER.fullmatch(current):
        return
    parent = Path(output_path) / PELICAN_DEFAULT_STATIC_DIR
    try:
        with os.scandir(parent) as entries:
            earlier = [entry.path for entry in entries if entry.name != current and THEME_FOLDER.fullmatch(entry.name)
                       and entry.is_dir(follow_symlinks=False)]
    except OSError:
        return  # no theme folder yet
    for path in earlier:
        shutil.rmtree(path, ignore_errors=True)
