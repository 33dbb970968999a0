"""Output modules: each writes one family of files after all listings are read.

A module here defines `write(generator, writer)` and may set `ORDER` (default 50; lower runs
first). It may also define `start(generator)`, called when the build begins, which returns the
pid of a helper it started (background.start) to fill a cache while listings are read, or None;
the build reaps it at the end, or stops it if the build fails. They are discovered, so adding an
output never means editing a shared list.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def output_modules() -> list[ModuleType]:
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    return sorted((m for m in modules if hasattr(m, "write")), key=lambda m: (getattr(m, "ORDER", 50), m.__name__))
