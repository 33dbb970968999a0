"""A problem found in a listing, and the ways we print it (terminal and GitHub annotations)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, at a 1-based line and column, in plain English."""

    path: str
    line: int
    column: int
    field: str  # "locations[0].postcode", or "" for the file as a whole
    message: str

    def __str__(self) -> str:
        where = f"{display_path(self.path)}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
        title = f"Listing problem: {self.field}" if self.field else "Listing problem"
        params = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", display_path(self.path)),
                ("line", self.line),
                ("col", self.column),
                ("title", title),
            )
        )
        return f"::error {params}::{_escape_data(self.message)}"


def display_path(path: str | os.PathLike[str]) -> str:
    """The path relative to the working directory when it is inside it, so messages stay short."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
