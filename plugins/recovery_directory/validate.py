"""Load and check listing files: the one entry point shared by the build, the CLI and the tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from .checks import check_listing, check_slug
from .loader import ListingLoadError, LoadedListing, load_listing
from .problems import Problem
from .schema import load_schema
from .schema_messages import explain, field_name

LISTING_SUFFIXES = (".yaml", ".yml")


@dataclass
class CheckResult:
    path: Path
    data: dict[str, Any] | None = None  # the checked, normalised listing; None if it has problems
    problems: list[Problem] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.path.stem

    @property
    def ok(self) -> bool:
        return not self.problems


@cache
def schema_validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=["date"]))


def check_file(path: str | Path) -> CheckResult:
    """Every problem in one listing file; never raises for anything wrong in the file itself."""
    path = Path(path)
    result = CheckResult(path)
    name = str(path)
    if slug_problem := check_slug(path.stem):
        result.problems.append(Problem(name, 1, 1, "", slug_problem))
    try:
        listing = load_listing(path)
    except ListingLoadError as error:
        result.problems.append(Problem(name, error.line, error.column, "", error.message))
        return result
    result.problems.extend(_schema_problems(listing, name))
    for where, message in check_listing(listing.data):
        result.problems.append(_problem(listing, name, where, False, message))
    result.problems.sort()
    if not result.problems:
        result.data = listing.data
    return result


def _schema_problems(listing: LoadedListing, name: str) -> list[Problem]:
    errors = schema_validator().iter_errors(listing.data)
    return [
        _problem(listing, name, where, at_key, message)
        for where, at_key, message in explain(errors, listing)
    ]


def _problem(listing: LoadedListing, name: str, where: tuple, at_key: bool, message: str) -> Problem:
    line, column = listing.position(where, key=at_key)
    return Problem(name, line, column, field_name(where), message)


def listing_files(settings: dict[str, Any], paths: Iterable[str | Path] | None = None) -> list[Path]:
    """The listing files named (folders expanded), or every listing in the content folder."""
    if not paths:
        paths = [organisations_dir(settings)]
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(p for p in sorted(path.iterdir()) if p.suffix in LISTING_SUFFIXES)
        else:
            found.append(path)
    return found


def organisations_dir(settings: dict[str, Any]) -> Path:
    return Path(settings["PATH"]) / settings.get("ORGANISATIONS_PATH", "organisations")


def check_files(paths: Iterable[Path]) -> list[CheckResult]:
    return [check_file(path) for path in paths]
