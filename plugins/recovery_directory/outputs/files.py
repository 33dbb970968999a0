"""Writing many small files (a handout and a listing.json per listing): plain `open` on a path
string, the folder made only when the first write finds it missing. Per file that is one system
call fewer than `mkdir(parents=True, exist_ok=True)` and no pathlib objects (10,000 of each per
output at 10,000 listings)."""

from __future__ import annotations

import os
from collections.abc import Iterable


def write_each(root: str | os.PathLike[str], files: Iterable[tuple[str, bytes]]) -> None:
    """Write each (site-relative path, content) under `root`, replacing what was there."""
    base = os.fspath(root)
    for path, content in files:
        target = os.path.join(base, path)
        try:
            handle = open(target, "wb")  # noqa: SIM115 - closed below; the retry needs the open outside `with`
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            handle = open(target, "wb")  # noqa: SIM115
        with handle:
            handle.write(content)
