"""Work spread over forked workers (forked.py) gives the serial build's bytes, results in task
order, and a worker's warning or stop reaches the build as if it had happened in it."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from recovery_directory import fatal_warnings, forked
from site_tools import build_site
from temp_project import make_project
from test_rebuild import assert_same_site

TODAY = {"RECOVERY_DIRECTORY_TODAY": "2026-12-01"}


def test_a_parallel_build_equals_a_serial_build(tmp_path: Path):
    settings = make_project(tmp_path / "project", settings={"BUILD_CACHE_PATH": ""})
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build_site(serial, settings=settings, env=TODAY, extra=["-e", "BUILD_PROCESSES=1"])
    build_site(parallel, settings=settings, env=TODAY, extra=["-e", "BUILD_PROCESSES=2"])
    assert_same_site(parallel, serial)


def _square_in_worker(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_results_come_back_in_task_order_from_other_processes():
    results = forked.run(_square_in_worker, list(range(20)), 2)
    assert [square for square, _ in results] == [n * n for n in range(20)]
    assert {pid for _, pid in results} - {os.getpid()}, "nothing ran in a worker"
    assert forked.run(_square_in_worker, [3], 1) == [(9, os.getpid())]  # one process: no fork


def _warn_or_stop(task: str) -> str:
    if task == "stop":
        raise SystemExit(3)
    logging.getLogger("recovery_directory.test").warning("worker warning %s", task)
    return task


def test_a_worker_warning_reaches_the_fatal_summary_and_a_stop_stops(monkeypatch: pytest.MonkeyPatch):
    collector = fatal_warnings._Collector(logging.WARNING)
    monkeypatch.setattr(fatal_warnings, "_collector", collector)
    assert forked.run(_warn_or_stop, ["a", "b"], 2) == ["a", "b"]
    assert {"worker warning a", "worker warning b"} <= set(collector.messages)
    with pytest.raises(SystemExit) as stop:
        forked.run(_warn_or_stop, ["a", "stop"], 2)
    assert stop.value.code == 3


def test_build_processes_setting():
    assert forked.processes({"BUILD_PROCESSES": 3}) == 3
    assert 1 <= forked.processes({"BUILD_PROCESSES": 0}) <= forked.MAX_PROCESSES
    assert 1 <= forked.processes({}) <= forked.MAX_PROCESSES


def test_two_files_for_one_address_stop_the_build(tmp_path: Path):
    settings = make_project(tmp_path / "project", settings={"BUILD_CACHE_PATH": ""})
    listing = next((tmp_path / "project" / "content" / "organisations").glob("*.yaml"))
    listing.with_suffix(".yml").write_bytes(listing.read_bytes())
    result = build_site(tmp_path / "site", settings=settings, env=TODAY, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{listing.stem}.yml:1:1: Another listing file" in result.stderr
    assert not (tmp_path / "site" / "organisations").exists()
