"""Each listing file's build-cache key with the stat it had, kept between builds, so a rebuild
reads and hashes only the files whose stat changed (reading and hashing 10,000 unchanged files
was ~0.3 s of a rebuild). The content hash stays the truth wherever a stat can't prove sameness:

- a file's key is reused only when its device, inode, size, mtime and ctime are all as recorded.
  ctime can't be set back from user space (touch, `cp -p`, tar and rsync set mtime, not ctime),
  and any write, rename over or `git checkout` changes it, so an edit that keeps the size and
  mtime is still seen;
- a stat is recorded only when the file's last change is SETTLED_NS older than the moment the
  build began taking stats: file times come from a coarse clock (a few milliseconds on Linux, 2 s
  on FAT), so a file changed moments before could change again within the same tick, same size,
  and keep its stat ("racy git"). Such a file is hashed again next build, then recorded.

Kept per cache fingerprint folder (build_cache.ListingCache's), with the project folder and the
working directory the paths were named from; a record made from any other is ignored.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

from .build_cache import load_file, write_atomically

NAME = "file-stats"
SETTLED_NS = 2_000_000_000  # coarser than any file system's timestamps the build may meet


def _signature(stat: os.stat_result) -> tuple[int, int, int, int, int]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


class FileStats:
    """`known(path)`: the file's stat now and its recorded key ("" if its stat changed or was
    never recorded); `record(path, stat, key)` after hashing; `save()` for the next build."""

    def __init__(self, folder: Path | None, project: str) -> None:
        self.path = folder / NAME if folder else None
        self.taken = time.time_ns()  # before any stat: a file changed after this is never recorded
        self.where = (project, os.getcwd())
        found = load_file(self.path)
        ok = isinstance(found, dict) and found.get("where") == self.where and isinstance(found.get("files"), dict)
        self.last: dict[str, tuple[tuple[int, ...], str]] = found["files"] if ok else {}
        self.now: dict[str, tuple[tuple[int, ...], str]] = {}

    def known(self, path: str) -> tuple[os.stat_result | None, str]:
        if self.path is None:  # no build cache: nothing to reuse a key for
            return None, ""
        try:
            stat = os.stat(path)
        except OSError:
            return None, ""
        recorded = self.last.get(path)
        if recorded is not None and recorded[0] == _signature(stat):
            return stat, recorded[1]
        return stat, ""

    def record(self, path: str, stat: os.stat_result | None, key: str) -> None:
        if stat is not None and key and max(stat.st_mtime_ns, stat.st_ctime_ns) < self.taken - SETTLED_NS:
            self.now[path] = (_signature(stat), key)

    def save(self) -> None:
        if self.path is not None and self.now != self.last:
            data = {"where": self.where, "files": self.now}
            write_atomically(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
