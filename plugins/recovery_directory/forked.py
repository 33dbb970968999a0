"""Run a build's independent tasks in BUILD_PROCESSES processes (this one and forked workers), so
a build uses every core it is given.

Workers are forked when `run` is called, so they start with everything the parent has loaded
(settings, templates, schema, the directory) without pickling it; only each task's small result
travels back. Results come back in the order of `tasks`, whatever order workers finish in, so
the build's output does not depend on scheduling. With one process (or one task) the tasks run
here, in order, with no fork: the serial build the parallel one must equal (tests/test_parallel.py).

A warning logged in a worker is printed there as usual and also sent back, so `--fatal warnings`
still stops the build on it (fatal_warnings.collect).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from . import fatal_warnings

MAX_PROCESSES = 4  # past this, start-up and copying memory cost more than they save on a build this size


def processes(settings: dict[str, Any]) -> int:
    """How many workers: BUILD_PROCESSES, or 0 for one per core (at most MAX_PROCESSES)."""
    wanted = int(settings.get("BUILD_PROCESSES") or 0)
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, wanted if wanted > 0 else min(available, MAX_PROCESSES))


_task: Callable[[Any], Any] | None = None  # the function workers run: set before forking, inherited


def run(function: Callable[[Any], Any], tasks: Sequence[Any], workers: int) -> list[Any]:
    """[function(task) for task in tasks], spread over `workers` processes: this one and
    `workers - 1` forked ones, each taking the next task when it is free.

    This process works too, rather than waiting for `workers` forked ones: each forked worker
    copies the pages of this process's heap that its tasks touch (reading an object writes its
    reference count), which at N = 10,000 is most of the listings, ~100 MB a worker."""
    workers = min(workers, len(tasks))
    if workers <= 1 or multiprocessing.current_process().daemon:
        return [function(task) for task in tasks]
    global _task
    _task = function
    give_back_freed_memory()  # else each forked worker starts sharing (and may copy) it
    answers: dict[int, Any] = {}
    lock = threading.Lock()
    taken = 0
    sent: list[tuple[int, Any]] = []  # (task index, its AsyncResult) for the forked workers' tasks

    def take() -> int | None:
        nonlocal taken
        if taken >= len(tasks):
            return None
        taken += 1
        return taken - 1

    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:

            def send(_: Any = None) -> None:
                """Give a forked worker the next task (called again as each of its tasks ends)."""
                with lock:
                    if (index := take()) is not None:
                        sent.append((index, pool.apply_async(_run_one, (tasks[index],), callback=send)))

            for _ in range(workers - 1):
                send()
            while True:
                with lock:
                    index = take()
                if index is None:
                    break
                answers[index] = _run_one(tasks[index], function)
            waited = 0
            while True:
                with lock:  # `send` adds to `sent` under the lock, so nothing is missed here
                    if waited == len(sent):
                        break
                    index, result = sent[waited]
                answers[index] = result.get()
                waited += 1
    finally:
        _task = None
    results = []
    for index in range(len(tasks)):
        stopped, result, warnings = answers[index]
        fatal_warnings.collect(warnings)
        if stopped:  # a task ended the build with its own plain message: end it here too
            raise SystemExit(result)
        results.append(result)
    return results


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _run_one(task: Any, function: Callable[[Any], Any] | None = None) -> tuple[bool, Any, list[str]]:
    """(stopped, result or exit code, warnings). SystemExit is sent back, not raised: it would end
    the worker without an answer and leave the pool waiting for one. `function`: this process's
    (a forked worker runs `_task`, set before the fork)."""
    handler = _Warnings()
    logging.getLogger().addHandler(handler)
    try:
        run_it = function or _task
        assert run_it is not None  # set by run() before the fork
        return False, run_it(task), handler.messages
    except SystemExit as stop:
        return True, stop.code, handler.messages
    finally:
        logging.getLogger().removeHandler(handler)
        give_back_freed_memory()  # what the task made and freed need not stay this process's


def give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim; nowhere else). Freed
    objects larger than Python's small-object pools (a listing's 4.7 kB pickle, page text) stay
    the process's memory otherwise: at N = 10,000 the parent kept ~80 MB of them after reading."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def _libc_malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


_malloc_trim = _libc_malloc_trim()
