"""`recovery-directory import`: bring listings in from other directories and keep them in sync.

One module per source format, each with `KIND` (the command's word for it), `HELP` and
`read(source, settings) -> Parsed`: the records it found, as listings (plain dicts in our
schema's shape), the problems with the records it couldn't use, and the values it had to change
to fit (`changes`). Adding a format is adding a module here. `sync.py` then matches them with the
listings already in the content folder, merges, validates and writes them.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any


@dataclass
class Record:
    """One listing's worth of source data."""

    id: str  # the record's id at the source (stable from one import to the next)
    label: str  # how messages name it, e.g. 'group "Hope Group"' or 'row 4'
    listing: dict[str, Any]  # our schema's fields, without `source`
    raw: Any  # the source data it came from: its hash tells whether the source changed
    slug: str = ""  # the file name the source suggests (a new listing gets it if it is free)


@dataclass
class Problem:
    """A record (or part of one) that couldn't be imported: where, which field, what to do."""

    source: str
    record: str
    field: str
    message: str
    record_id: str = ""  # the listing record it belongs to, if known (it then hasn't vanished)

    def __str__(self) -> str:
        where = f"{self.record}, field {self.field}" if self.field else self.record
        return f"{self.source}: {where}: {self.message}"


@dataclass
class Parsed:
    source: str  # the web address or file, as recorded in each listing's source block
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    read: int = 0  # source records read (meetings, services, rows)
    # values imported, but not exactly as the source gave them (shortened, given https://): said,
    # so a person checks them, never changed silently
    changes: list[Problem] = field(default_factory=list)


@functools.cache  # sync asks for every listing and record: the package is scanned once
def source_modules() -> dict[str, ModuleType]:
    """KIND -> module, for every module in this package that reads a format."""
    modules = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "KIND"):
            modules[module.KIND] = module
    return modules
