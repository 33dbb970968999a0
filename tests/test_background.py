"""Helpers forked beside the build (background.py): their exit status says whether the job was
done, one asked to stop still cleans up, and one that hangs or ignores being asked is stopped
rather than waited on for ever."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from recovery_directory import background


def exit_code(pid: int) -> int:
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def raises() -> bool:
    raise RuntimeError("a job that failed")


@pytest.mark.parametrize(("job", "code"), [(lambda: True, 0), (lambda: False, 1), (raises, 1)])
def test_the_exit_status_says_whether_the_job_was_done(job, code):
    pid = background.start(job)
    assert pid is not None
    assert exit_code(pid) == code


def wait_for_file(path: Path, pid: int) -> None:
    while not path.exists():
        assert os.waitpid(pid, os.WNOHANG) == (0, 0), "the helper ended before it started its job"
        time.sleep(0.01)


def test_a_helper_asked_to_stop_runs_its_finally_blocks(tmp_path: Path):
    started, cleaned = tmp_path / "started", tmp_path / "cleaned"

    def job() -> bool:
        started.touch()
        try:
            while True:  # stands for making the lookup files into a temporary folder
                time.sleep(0.01)
        finally:
            cleaned.touch()

    pid = background.start(job)
    wait_for_file(started, pid)
    background.finish(pid, stop=True)
    assert cleaned.exists()
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(pid, os.WNOHANG)


def test_a_helper_that_hangs_is_stopped_and_one_that_ignores_it_is_killed(tmp_path: Path):
    for ignores in (False, True):
        started = tmp_path / f"started-{ignores}"
        pid = os.fork()
        if pid == 0:  # stands for a job that never ends
            if ignores:
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            started.touch()
            time.sleep(60)
            os._exit(0)
        wait_for_file(started, pid)
        began = time.monotonic()
        background.finish(pid, seconds=0.2)
        assert time.monotonic() - began < 0.2 + background.KILL_AFTER + 5
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_nothing_to_wait_for():
    background.finish(None)
    background.finish(None, stop=True)
