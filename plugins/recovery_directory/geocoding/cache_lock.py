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
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: every process makes its own, as before (still safe)
    fcntl = None  # type: ignore[assignment]


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


STOPS = {signal.SIGTERM, signal.SIGINT}  # a helper asked to stop, Ctrl+C: both raise in Python


@contextlib.contextmanager
def scratch_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """A new hidden folder in `parent` (where its result is renamed into place), deleted on the way
    out whatever happens, a stop included. A stop raises at the next line of Python, which could
    be the one right after mkdtemp made the folder and before any `try` held its name: a helper
    stopped then left its scratch folder in the cache for good. So a stop waits (blocked) until
    the name is held."""
    scratch = None
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS) if hasattr(signal, "pthread_sigmask") else None
    try:
        try:
            scratch = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
        finally:
            if blocked is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a stop that came meanwhile raises now
        yield scratch
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
