"""The benchmark's old folders are set aside (renamed), never deleted, while anything is timed.

ext4 without a journal (the benchmark machine's disk) will not reuse an inode freed in the last
60 seconds, or 360 while its inode table block is unwritten (`recently_deleted` in the kernel's
fs/ext4/ialloc.c): every new file's inode is found by scanning past each of them. Deleting the
last run's outputs just before a timed build made that build pay for it: our 1,000-listing build
(~7,000 files, ~1,600 folders) took 6.2 s of system time straight after a deletion against
1.0–2.5 s on a quiet disk, and plain Pelican, timed later and writing a sixth of the files, paid
far less. A fresh CI or Netlify machine has nothing recently deleted, so neither build should pay.

So a run renames whatever it replaces into one folder, deletes that folder only after the last
measurement, and the next run waits until that deletion is a minute old before timing anything.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

SET_ASIDE = ".set-aside"  # inside the work folder: a rename there never crosses file systems
DELETED_AT = ".set-aside-deleted-at"  # when the last run emptied it (seconds since the epoch)
QUIET_SECONDS = 61.0  # the kernel's 60 s, once os.sync() has written the inode tables back


def set_aside(folder: Path, workdir: Path) -> None:
    """Move `folder` (if it exists) out of the way, to be deleted by `empty`."""
    if not folder.exists():
        return
    place = workdir / SET_ASIDE
    place.mkdir(parents=True, exist_ok=True)
    folder.rename(place / f"{time.time_ns()}-{folder.name}")


def empty(workdir: Path) -> None:
    """Delete everything set aside (after the last measurement), and note when."""
    place = workdir / SET_ASIDE
    if not place.exists():
        return
    shutil.rmtree(place)
    os.sync()
    (workdir / DELETED_AT).write_text(f"{time.time()}\n", encoding="utf-8")


def wait_until_quiet(workdir: Path, sleep=time.sleep) -> float:
    """Before timing: empty what an interrupted run left, then wait until the last deletion is
    QUIET_SECONDS old. Returns the seconds waited."""
    empty(workdir)
    try:
        deleted = float((workdir / DELETED_AT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0.0
    wait = deleted + QUIET_SECONDS - time.time()
    if wait <= 0:
        return 0.0
    print(
        f"Waiting {wait:.0f} s: files deleted in the last minute slow the next build's file creation "
        "(benchmarks/scratch.py).",
        file=sys.stderr,
        flush=True,
    )
    sleep(wait)
    return wait
