"""Copy the self-hosted browser libraries (vendor.py lists them) into output/vendor/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from ..vendor import vendor_copies

ORDER = 10


def write(generator: Any, writer: Any) -> None:
    for source, target_path in vendor_copies(generator.settings):
        target = Path(generator.output_path) / target_path
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True, copy_function=copy_unless_copied)
        else:
            shutil.copyfile(source, target)


def copy_unless_copied(source: str, target: str) -> str:
    """shutil.copy2, unless `target` is already its copy: copy2 gave it the source's size and
    modification time to the nanosecond (a rebuild copied 115 unchanged files again, ~0.05 s)."""
    try:
        have, want = os.stat(target), os.stat(source)
    except OSError:
        return shutil.copy2(source, target)
    if (have.st_size, have.st_mtime_ns) == (want.st_size, want.st_mtime_ns):
        return target
    return shutil.copy2(source, target)
