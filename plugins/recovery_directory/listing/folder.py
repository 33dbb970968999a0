"""The listings folder as a whole: which files in it are listings, and the mistakes no single
listing shows. Shared by `recovery-directory validate` (the pull-request check) and the build, so
the check never passes what the build then stops on.

- A file that isn't read as a listing (`my-cafe.yaml.txt`: Windows Notepad adds ".txt" and hides
  it; `My-Cafe.YAML`) would be left out of the site without a word: it is a problem, with the name
  to rename it to (or, when a listing has that name already, as a copy to move out). Hidden files,
  READMEs, the files editors keep beside an open file (`foo.yaml~`, Emacs's `#foo.yaml#` and
  `.#foo.yaml`) and the ones Windows and macOS make by themselves are left alone, never read.
- Two files with one name (`foo.yaml` beside `foo.yml`) would both be published at
  organisations/foo/, one over the other.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from .checks import slug_suggestion
from .problems import Problem, display_path

LISTING_SUFFIXES = (".yaml", ".yml")
_NOT_LISTINGS = frozenset({"thumbs.db", "desktop.ini"})  # made by Windows itself
# What a listing's file name was meant to be: everything before its first .yaml or .yml, or else
# before a last ending such as ".txt".
_MEANT = re.compile(r"(?i)(.+?)\.ya?ml\b.*|(.+?)(?:\.[a-z0-9]{1,4})?")


def is_listing_name(name: str) -> bool:
    return os.path.splitext(name)[1] in LISTING_SUFFIXES


def is_hidden(name: str) -> bool:
    """Hidden files, and the ones editors keep beside a file while it is open (Emacs's `.#foo.yaml`
    lock, `#foo.yaml#` autosave; `foo.yaml~` backups): never read as listings, never problems."""
    return name.startswith((".", "#")) or name.endswith("~")


def is_stray(name: str) -> bool:
    """A file in the listings folder that looks like someone's listing but isn't read as one."""
    return not (
        is_listing_name(name)
        or is_hidden(name)
        or name.upper().startswith("README")
        or name.lower() in _NOT_LISTINGS
    )


def suggested_name(name: str) -> str:
    """What to rename a stray file to: the name it was meant to have, as a listing's name must be."""
    found = _MEANT.fullmatch(name.strip())
    return slug_suggestion((found[1] or found[2]) if found else name) + ".yaml"


def stray_problem(path: Path) -> Problem:
    name, rename = path.name, suggested_name(path.name)
    ending = os.path.splitext(name)[1]
    if ending.strip().lower() in LISTING_SUFFIXES:
        why = f'its name must end in ".yaml", in small letters, with nothing after it, not "{ending}"'
    elif ending.lower() == ".txt" and re.search(r"(?i)\.ya?ml", name):
        why = f'its name ends in "{ending}", not ".yaml" (some editors add "{ending}" without showing it)'
    elif re.search(r"(?i)\.ya?ml", name):
        why = f'its name ends in "{ending}", not ".yaml"'
    else:
        why = 'only listing files, whose names end in ".yaml", belong in this folder'
    taken = [path.with_name(rename[: -len(".yaml")] + suffix) for suffix in LISTING_SUFFIXES]
    if existing := next((other for other in taken if other.is_file()), None):  # a copy or a backup
        fix = f"It looks like a copy or backup of {display_path(existing)}: move it out of this folder."
    else:
        fix = f'If it is a listing, rename it to "{rename}"; if it is not, move it out of this folder.'
    message = f"This file is not read as a listing, so it would be left out of the site: {why}. {fix}"
    return Problem(str(path), 1, 1, "", message)


def same_name_problems(paths: Iterable[Path], *, on_disk: bool = False) -> list[Problem]:
    """A problem for each listing that shares its name with another (foo.yaml and foo.yml), naming
    the other. `on_disk`: also look beside each file for one not among `paths` (a check of only
    the files a pull request changed)."""
    paths = list(paths)
    by_name: dict[tuple[str, str], list[Path]] = {}
    for path in paths:
        by_name.setdefault((os.path.dirname(path), path.stem), []).append(path)
    if on_disk:
        for (folder, stem), group in by_name.items():
            group += [other for suffix in LISTING_SUFFIXES
                      if (other := Path(folder, stem + suffix)) not in group and other.is_file()]
    checked = set(paths)
    return [
        Problem(
            str(path), 1, 1, "",
            f"Another listing file, {display_path(other)}, has the same name, so both would be published "
            "at the same address. Delete or rename one of them.",
        )
        for group in by_name.values() if len(group) > 1
        for path in sorted(group) if path in checked
        for other in sorted(group) if other != path
    ]
