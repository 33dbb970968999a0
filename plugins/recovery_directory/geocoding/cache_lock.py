"""One process at a time makes a piece of the machine cache; the others wait for it and use it.

Each piece (a letter of the ONS index, the lookup files) is written to a temporary folder renamed
into place, so racing processes were always safe, but each one did the whole work: on a fresh
machine a parallel build's reading workers converted the same letters side by side, and three
test workers generated the lookup files three times. An advisory lock (flock) beside the piece
lets the first do it while the rest wait, then find it made.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

try:
    import fcntl
except ImportError:  # not POSIX: every process makes its own, as before (still safe)
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
ABANDONED_SECONDS = 600  # making any piece takes seconds: a scratch folder untouched this long is dead
_SCRATCH_SUFFIX = re.compile(r"[0-9a-f]{32}")  # in_scratch_folder's names after their prefix


@contextlib.contextmanager
def making(piece: Path) -> Iterator[None]:
    """Hold the lock for making `piece` (a folder in the cache) for the duration of the block.
    Where the lock can't be taken (a read-only cache, no flock), the block runs unlocked."""
    handle = None
    if fcntl is not None:
        try:
            piece.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(piece.parent / f".{piece.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed, even by a crash
        except OSError:
            if handle is not None:
                os.close(handle)
            handle = None
    try:
        yield
    finally:
        if handle is not None:
            os.close(handle)


def in_scratch_folder(parent: Path, prefix: str, work: Callable[[Path], T]) -> T:
    """`work(folder)` on a new hidden folder in `parent` (where its result is renamed into place),
    deleted afterwards whatever happens, a stop included.

    A stop (SIGTERM, which a helper turns into SystemExit; Ctrl+C) raises at whatever line of
    Python runs next. With tempfile.mkdtemp that could be the line right after it made the folder,
    before any `try` held its name: a helper stopped there left its folder in the cache for good.
    So the name is chosen first and the folder made inside the `try`. Blocking the signals instead
    would not do: only the calling thread's are blocked, and numpy's import starts another thread."""
    _sweep_abandoned(parent, prefix)
    scratch = parent / f"{prefix}{secrets.token_hex(16)}"  # 128 random bits: no other folder has it
    try:
        scratch.mkdir(mode=0o700)
        return work(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _sweep_abandoned(parent: Path, prefix: str) -> None:
    """Delete scratch folders that processes stopped during their clean-up left: a second stop
    (Ctrl+C reaches a helper, then the build stops it), or a kill. Only this prefix's, named as
    in_scratch_folder names them, and only those unchanged for ABANDONED_SECONDS."""
    cutoff = time.time() - ABANDONED_SECONDS
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and _SCRATCH_SUFFIX.fullmatch(name[len(prefix):])):
            continue
        try:
            if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue
