"""Copy the self-hosted browser libraries (vendor.py lists them) into output/vendor/."""

from __future__ import annotations

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
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
