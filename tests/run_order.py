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
    try:
        seconds = json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return seconds if isinstance(seconds, dict) else {}


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
        ordered = {name: round(total, 1) for name, total in sorted(self.seconds.items())}
        DURATIONS.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    # Only the process that sees every report: the xdist controller, or pytest without xdist.
    if config.getoption("--record-durations") and not hasattr(config, "workerinput"):
        config.pluginmanager.register(DurationRecorder(), "recovery-directory-durations")
