"""A problem found in a listing, and the ways we print it (terminal and GitHub annotations)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .positions import in_words


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, at a 1-based line and column, in plain English."""

    path: str
    line: int
    column: int
    field: str  # "locations[0].postcode", or "" for the file as a whole
    message: str

    @property
    def place(self) -> str:
        """The field in words: `"postcode" in the first location`."""
        return in_words(self.field) if self.field else ""

    @property
    def explanation(self) -> str:
        return f"{self.place}: {self.message}" if self.field else self.message

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.column}: {one_line(self.explanation)}"

    def github_annotation(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
        title = f"Listing problem: {self.place}" if self.field else "Listing problem"
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
        return one_line(path.resolve().relative_to(Path.cwd().resolve()).as_posix())
    except ValueError:
        return one_line(path.as_posix())


# Line breaks and other control characters, as a message may quote them from a listing's value or
# file name. Printed raw, a quoted "\n::error::…" would start a line GitHub Actions runs as a
# workflow command (a forged annotation, or ::stop-commands:: hiding the real ones) in the
# pull-request check, which runs on anyone's pull request.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` on one line: each control character written as Python would escape it (\\n)."""
    return _CONTROL.sub(lambda found: repr(found[0])[1:-1], text)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def count_sentence(failed: int, total: int) -> str:
    """ "1 listing has problems", "2 of 5 listings have problems": the build's and validate's summary."""
    verb = "has" if failed == 1 else "have"
    if failed == total:
        return f"{failed} {'listing' if failed == 1 else 'listings'} {verb} problems"
    return f"{failed} of {total} listings {verb} problems"


def all_valid_sentence(total: int) -> str:
    return "1 listing is valid." if total == 1 else f"All {total} listings are valid."
