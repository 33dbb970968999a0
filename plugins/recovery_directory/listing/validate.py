"""Load and check listing files: the one entry point shared by the build, the CLI and the tests."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from .checks import PLACEHOLDER_MESSAGE, check_listing, check_slug
from .folder import LISTING_SUFFIXES, is_hidden, is_stray
from .loader import ListingLoadError, LoadedListing, load_listing, load_listing_bytes
from .problems import Problem
from .schema import load_schema

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

# jsonschema and schema_messages.py (which needs it) are imported only when a listing has problems:
# jsonschema-rs answers for valid ones, and importing jsonschema cost ~0.15 s in every build.


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
    """The reference validator: slow, but its errors carry what schema_messages.py needs."""
    from jsonschema import Draft202012Validator, FormatChecker

    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=["date"]))


@cache
def fast_schema_validator() -> jsonschema_rs.Draft202012Validator:
    """The same schema compiled by jsonschema-rs: ~100x faster, used only to say "valid" quickly.
    tests/test_fuzz.py checks that it agrees with the reference validator."""
    return jsonschema_rs.Draft202012Validator(load_schema(), validate_formats=True)


def schema_valid_fast(data: Any) -> bool:
    try:
        return fast_schema_validator().is_valid(data)
    except (ValueError, TypeError, OverflowError):  # e.g. a number too large for it: ask the reference
        return False


def check_file(path: str | Path) -> CheckResult:
    """Every problem in one listing file; never raises for anything wrong in the file itself."""
    path = path if isinstance(path, Path) else Path(path)  # a new Path costs more than a check
    try:
        listing = load_listing(path)
    except ListingLoadError as error:
        return _finish(CheckResult(path), None, [Problem(str(path), error.line, error.column, "", error.message)])
    return check_loaded(path, listing)


def check_bytes(path: str | Path, raw: bytes) -> CheckResult:
    """check_file() for content already in memory (`path` names it in messages and gives the slug)."""
    path = Path(path)
    try:
        listing = load_listing_bytes(raw)
    except ListingLoadError as error:
        return _finish(CheckResult(path), None, [Problem(str(path), error.line, error.column, "", error.message)])
    return check_loaded(path, listing)


def check_loaded(path: Path, listing: LoadedListing) -> CheckResult:
    name = str(path)
    problems = _schema_problems(listing, name)
    findings = list(check_listing(listing.data, placeholders=not listing.verbatim_without_placeholder))
    if not problems and not findings:
        return _finish(CheckResult(path), listing.data, _with_comments(listing, name, problems))
    from .schema_messages import field_name

    # A starter-file placeholder the schema rejects (`types: [CHANGE ME]`) is explained as one.
    placeholders = {field_name(where) for where, message in findings if message == PLACEHOLDER_MESSAGE}
    problems = [
        replace(problem, message=f"{PLACEHOLDER_MESSAGE} {problem.message}")
        if problem.field in placeholders else problem
        for problem in problems
    ]
    # A value the schema already rejected gets one message, not a second from checks.py. A group
    # of fields the schema found incomplete (a location without its town) still has its other
    # values checked: else their mistakes surfaced only in the next round of a pull request.
    rejected = {problem.field for problem in problems if not isinstance(_value_at(listing.data, problem.field), dict)}
    for where, message in findings:
        field = field_name(where)
        if field in placeholders and message != PLACEHOLDER_MESSAGE:
            continue  # `postcode: CHANGE ME`: the placeholder's message says it all, once
        if not _overlaps(field, rejected):
            problems.append(_problem(listing, name, where, False, message))
    return _finish(CheckResult(path), listing.data, _with_comments(listing, name, problems))


def _with_comments(listing: LoadedListing, name: str, problems: list[Problem]) -> list[Problem]:
    """Text cut off by a `#` read as a comment (comments.py): only a listing the reference path
    read can have any, so the usual listing pays one attribute lookup."""
    if not listing.comments_after_values:
        return problems
    from .comments import with_comment_problems

    return with_comment_problems(listing, name, problems)


def _finish(result: CheckResult, data: dict[str, Any] | None, problems: list[Problem]) -> CheckResult:
    if slug_problem := check_slug(result.path.stem):
        problems.append(Problem(str(result.path), 1, 1, "", slug_problem))
    result.problems = sorted(problems)
    result.data = None if result.problems else data
    return result


def _value_at(data: Any, field: str) -> Any:
    """The value a problem's field names ("locations[0].hours[1]"), or None."""
    for name, index in _FIELD_PART.findall(field):
        try:
            data = data[int(index)] if index else data[name]
        except (KeyError, IndexError, TypeError, ValueError):
            return None
    return data


_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _overlaps(field: str, rejected: set[str]) -> bool:
    return any(
        field == other or other.startswith((field + ".", field + "[")) or field.startswith((other + ".", other + "["))
        for other in rejected
    )


def _schema_problems(listing: LoadedListing, name: str) -> list[Problem]:
    if schema_valid_fast(listing.data):
        return []
    from .schema_messages import explain

    errors = schema_validator().iter_errors(listing.data)
    return [
        _problem(listing, name, where, at_key, message)
        for where, at_key, message in explain(errors, listing)
    ]


def _problem(listing: LoadedListing, name: str, where: tuple, at_key: bool, message: str) -> Problem:
    from .schema_messages import field_name

    line, column = listing.position(where, key=at_key)
    return Problem(name, line, column, field_name(where), message)


def listing_files(
    settings: dict[str, Any], paths: Iterable[str | Path] | None = None, strays: list[Path] | None = None
) -> list[Path]:
    """The listing files named (folders expanded), or every listing in the content folder; and in
    `strays`, any other file in those folders that would be left out (folder.is_stray)."""
    if not paths:
        paths = [organisations_dir(settings)]
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            # Sorted by name, then made Paths: sorting 10,000 Path objects (which compare part by
            # part) cost ~0.2 s of a rebuild, twice. One folder: the same order as sorting Paths.
            with os.scandir(path) as entries:
                files = [entry.name for entry in entries if not is_hidden(entry.name) and not entry.is_dir()]
            names = sorted(name for name in files if os.path.splitext(name)[1] in LISTING_SUFFIXES)
            found.extend(path / name for name in names)
            if strays is not None:
                strays.extend(path / name for name in sorted(files) if is_stray(name))
        elif strays is not None and is_stray(path.name) and path.is_file():
            strays.append(path)  # named on its own, it still isn't a file the build reads
        else:
            found.append(path)
    return found


def organisations_dir(settings: dict[str, Any]) -> Path:
    return Path(settings["PATH"]) / settings.get("ORGANISATIONS_PATH", "organisations")


def check_files(paths: Iterable[Path]) -> list[CheckResult]:
    return [check_file(path) for path in paths]
