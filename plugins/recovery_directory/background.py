"""A helper process doing one job beside the build while it reads listings: forked, waited for,
stopped if it outlives its use. Two jobs use it, each only when a cache is empty and the build
has cores to spare: compiling the theme's templates (theme_templates.py) and, on a fresh
machine, making the postcode lookup files (outputs/postcode_lookup.py).

A helper only fills a cache. Whatever it fails to do, the build does itself where it needs it,
and reports any mistake there, so a helper's failure never changes the site.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable
from typing import Any

WAIT_SECONDS = 60.0  # far beyond any helper's job (~0.3-5 s): only one that hung is stopped
KILL_AFTER = 2.0  # a helper asked to stop has this long to clean up before it is killed


def start(job: Callable[[], bool]) -> int | None:
    """Fork a process running `job` (True: done) that leaves with status 0, or 1 if the job
    failed or raised, without running the parent's exit handlers; its pid, or None where no
    process could be made (the build then does the job itself, where it needs it)."""
    if not hasattr(os, "fork"):  # not POSIX: no helper, the build does each job itself
        return None
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:
        done = False
        try:
            signal.signal(signal.SIGTERM, _stopped)  # `finally` blocks still run: temporary files go
            done = job()
        finally:
            os._exit(0 if done else 1)
    return pid


def _stopped(signum: int, frame: Any) -> None:
    raise SystemExit(1)


def finish(pid: int | None, *, stop: bool = False, seconds: float = WAIT_SECONDS) -> None:
    """Wait for a helper and reap it. `stop`: ask it to stop first (SIGTERM). One still running
    after `seconds` is asked to stop, and one still running KILL_AFTER after that is killed."""
    if pid is None:
        return
    escalation = [signal.SIGTERM, signal.SIGKILL]
    if stop:
        _send(pid, escalation.pop(0))
        seconds = KILL_AFTER
    deadline = time.monotonic() + seconds
    pause = 0.001
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped already
            return
        if done:
            return
        if time.monotonic() >= deadline:
            _send(pid, escalation.pop(0))
            deadline = time.monotonic() + KILL_AFTER if escalation else float("inf")  # a killed one ends
        time.sleep(pause)
        pause = min(pause * 2, 0.02)


def _send(pid: int, which: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, which)
