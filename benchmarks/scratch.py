"""The benchmark's old folders are set aside (renamed), never deleted, while anything is timed.

ext4 without a journal (the benchmark machine's disk) will not reuse an inode freed in the last
60 seconds, or 360 while its inode table block is unwritten (`recently_deleted` in the kernel's
fs/ext4/ialloc.c): every new file's inode is found by scanning past each of them. Deleting the
last run's outputs just before a timed build made that build pay for it: our 1,000-listing build
(~7,000 files, ~1,600 folders) took 6.2 s of system time straight after a deletion against
1.0–2.5 s on a quiet disk, and plain Pelican, timed later and writing a sixth of the files, paid
far less. A fresh CI or Netlify machine has nothing recently deleted, so neither build should pay.

So a run renames whatever it replaces into one folder and deletes that folder only after the last
measurement; and it starts by writing back every deletion made before it, on any folder of the
disk, and waiting a minute.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

SET_ASIDE = ".set-aside"  # inside the work folder: a rename there never crosses file systems
QUIET_SECONDS = 61.0  # the kernel's 60 s, once os.sync() has written the inode tables back


def set_aside(folder: Path, workdir: Path) -> None:
    """Move `folder` (if it exists) out of the way, to be deleted by `empty`."""
    if not folder.exists():
        return
    place = workdir / SET_ASIDE
    place.mkdir(parents=True, exist_ok=True)
    folder.rename(place / f"{time.time_ns()}-{folder.name}")


def empty(workdir: Path) -> None:
    """Delete everything set aside (after the last measurement)."""
    place = workdir / SET_ASIDE
    if place.exists():
        shutil.rmtree(place)


def wait_until_quiet(workdir: Path, sleep: Callable[[float], None] = time.sleep) -> float:
    """Before timing: delete what an interrupted run left, write every deletion back, and wait out
    the kernel's minute. Any deletion on the disk counts, not only this benchmark's: `make clean`
    or an earlier site's output deleted just before a run would be paid by its first build.
    Returns the seconds waited."""
    empty(workdir)
    os.sync()
    print(
        f"Waiting {QUIET_SECONDS:.0f} s: files deleted in the last minute slow the next build's file "
        "creation (benchmarks/scratch.py).",
        file=sys.stderr,
        flush=True,
    )
    sleep(QUIET_SECONDS)
    return QUIET_SECONDS
