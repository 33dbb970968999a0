"""Run the longest test files first, so that no worker is left with a long file at the end.

`make test` runs each file in one worker (pytest-xdist's loadfile). By default xdist hands out the
files with the most tests first, which put the files holding one long test (a fresh install, a
site built five ways) last, and two workers then sat idle while the third finished them. Here the
files are ordered by how long each took in a recorded run (tests/durations.json), longest first;
a file not recorded yet counts as the longest, so a new file is never the one left at the end.
The order changes nothing a test sees: only when it runs.

After adding or reshaping test files, record the times again (commit the result):
    .venv/bin/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder --record-durations
"""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict
from pathlib import Path

import pytest

DURATIONS = Path(__file__).with_name("durations.json")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-durations",
        action="store_true",
        help="write each test file's total time to tests/durations.json, which orders later runs",
    )


def recorded() -> dict[str, float]:
    """The recorded times; a damaged file or value is left out, never an error (it only orders)."""
    try:
        seconds = json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(seconds, dict):
        return {}
    found = {}
    for name, value in seconds.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                if math.isfinite(number := float(value)):
                    found[name] = number
            except OverflowError:  # an integer too large for a float
                continue
    return found


def file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(trylast=True)  # after any hook that filters or reorders the tests
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    longest_first(items, recorded())


def longest_first(items: list, seconds: dict[str, float]) -> None:
    """Sort the tests (anything with a nodeid) by their file's recorded time, longest first, and
    the files not recorded before all of them."""
    longest = max(seconds.values(), default=0.0) + 1
    # A stable sort: the tests of one file stay together and in their own order.
    items.sort(key=lambda item: -float(seconds.get(file_of(item.nodeid), longest)))


class DurationRecorder:
    """Sums each file's setup, call and teardown times as the reports arrive."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[file_of(report.nodeid)] += report.duration

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) or not self.seconds:
            return  # an interrupted run's times would mislead the next one (a failed test's are true)
        if session.shouldstop or session.shouldfail:
            return  # stopped early (-x, --maxfail): the files not run yet have no times
        # Files not run this time (deleted ones go) keep their times.
        present = {f"tests/{path.name}" for path in DURATIONS.parent.glob("test_*.py")}
        merged = {name: total for name, total in recorded().items() if name in present}
        merged.update(self.seconds)
        ordered = {name: round(total, 1) for name, total in sorted(merged.items())}
        scratch = DURATIONS.with_name(f".{DURATIONS.name}.{os.getpid()}")
        scratch.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")
        os.replace(scratch, DURATIONS)  # whole, for a run reading it meanwhile


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--record-durations") or hasattr(config, "workerinput"):
        return  # recorded by the process that sees every report: the xdist controller, or pytest alone
    option = config.option
    narrowing = {"-k": option.keyword, "-m": option.markexpr, "--deselect": getattr(option, "deselect", None),
                 "--lf": getattr(option, "lf", False), "--sw": getattr(option, "stepwise", False),
                 "--sw-skip": getattr(option, "stepwise_skip", False)}
    partial = [flag for flag, value in narrowing.items() if value]
    here = config.invocation_params.dir
    given = {(here / arg).resolve() for arg in config.args}
    if given != {(config.rootpath / path).resolve() for path in config.getini("testpaths")}:
        partial.append("file or test arguments")
    if partial:
        raise pytest.UsageError(
            "--record-durations needs a full run: each file's time is the sum of all its tests "
            f"(run without {', '.join(partial)})."
        )
    config.pluginmanager.register(DurationRecorder(), "recovery-directory-durations")
