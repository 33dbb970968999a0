"""Load -> validate -> model for one listing file: the one way the build's reader, every command
and the tests turn a file into an Organisation (directory.load_directory does it for many)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .model import Organisation, build_organisation
from .validate import CheckResult, check_bytes, check_file


@dataclass
class ReadListing:
    check: CheckResult  # the checked data, or the problems to show the contributor
    organisation: Organisation | None  # None when the listing has problems

    @property
    def ok(self) -> bool:
        return self.organisation is not None


def read_listing(path: str | Path, project_root: str | Path, content: bytes | None = None) -> ReadListing:
    """`content`: the file's bytes if the caller has read them already (the build hashes them)."""
    result = check_file(path) if content is None else check_bytes(path, content)
    if not result.ok:
        return ReadListing(result, None)
    return ReadListing(result, build_organisation(result.data, result.slug, source_path(path, project_root)))


def source_path(path: str | Path, project_root: str | Path) -> str:
    """Repository-relative, e.g. content/organisations/foo.yaml. Plain path arithmetic: resolving
    every file's symlinks (a system call per folder) cost more than anything else the build's
    reader did apart from checking; relpath's own steps cost ~40 µs a file, so a file inside the
    project is cut by string. A file outside the project keeps the path it was given."""
    absolute, prefix = os.path.abspath(path), os.path.join(os.path.abspath(project_root), "")
    if os.sep == "/" and absolute.startswith(prefix):
        return absolute[len(prefix) :]
    relative = os.path.relpath(absolute, prefix)
    return Path(path).as_posix() if relative.startswith("..") else Path(relative).as_posix()
