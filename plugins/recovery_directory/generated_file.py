"""A committed file the CLI generates (CODEOWNERS, netlify.toml's headers): `--check` compares it
and shows the difference, otherwise the file is written only if it changed."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Messages:
    """What to tell the user in each case, in the command's own words."""

    matches: str  # --check, nothing to do
    out_of_date: str  # --check, the file differs: say what to run
    written: str
    unchanged: str


def check_or_write(path: Path, current: str, expected: str, *, check: bool, messages: Messages) -> int:
    """With `check`, exit code 0 if `current` is `expected`, else print a diff and `out_of_date`
    and return 1 (never writing). Otherwise write `expected` to `path` if it differs; return 0."""
    if check:
        if current == expected:
            print(messages.matches)
            return 0
        diff = difflib.unified_diff(current.splitlines(True), expected.splitlines(True), str(path), "expected")
        sys.stdout.writelines(diff)
        print(f"\n{messages.out_of_date}", file=sys.stderr)
        return 1
    if current == expected:
        print(messages.unchanged)
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(expected, encoding="utf-8")
    print(messages.written)
    return 0
