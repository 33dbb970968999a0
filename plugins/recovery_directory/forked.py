"""Run a build's independent tasks in forked worker processes (BUILD_PROCESSES), so a build uses
every core it is given.

Workers are forked when `run` is called, so they start with everything the parent has loaded
(settings, templates, schema, the directory) without pickling it; only each task's small result
travels back. Results come back in the order of `tasks`, whatever order workers finish in, so
the build's output does not depend on scheduling. With one process (or one task) the tasks run
here, in order, with no fork: the serial build the parallel one must equal (tests/test_parallel.py).

A warning logged in a worker is printed there as usual and also sent back, so `--fatal warnings`
still stops the build on it (fatal_warnings.collect).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
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
    """[function(task) for task in tasks], spread over `workers` forked processes."""
    workers = min(workers, len(tasks))
    if workers <= 1 or multiprocessing.current_process().daemon:
        return [function(task) for task in tasks]
    global _task
    _task = function
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # One task at a time: tasks are few and uneven (a chunk of pages, one output module).
            answers = pool.map(_run_one, tasks, chunksize=1)
    finally:
        _task = None
    results = []
    for stopped, result, warnings in answers:
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


def _run_one(task: Any) -> tuple[bool, Any, list[str]]:
    """(stopped, result or exit code, warnings). SystemExit is sent back, not raised: it would end
    the worker without an answer and leave the pool waiting for one."""
    handler = _Warnings()
    logging.getLogger().addHandler(handler)
    try:
        assert _task is not None  # set by run() before the fork
        return False, _task(task), handler.messages
    except SystemExit as stop:
        return True, stop.code, handler.messages
    finally:
        logging.getLogger().removeHandler(handler)
