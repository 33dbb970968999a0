"""`pelican --fatal warnings` (Netlify's and CI's build) ending in a plain message, not a traceback.

Pelican makes its logger raise RuntimeError("Warning or error encountered") at the first warning
and prints that exception's traceback: nothing a volunteer can act on, and only the first
problem. When the build was started with --fatal, the plugin takes that over as it registers:
each warning is still printed as it happens and is also collected, and the build stops with one
summary naming every problem and what to do: before anything is written when the warnings came
while reading and placing listings, else once the pages are written (the deploy still stops).
"""

from __future__ import annotations

import logging
import sys

from pelican import log as pelican_log

SETTINGS_DOC = "docs/settings.md"


class _Collector(logging.Handler):
    """Keeps the text of every record at or above the fatal level."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_collector: _Collector | None = None


def take_over() -> None:
    """If Pelican was asked to fail on warnings (or errors), collect them instead of raising."""
    global _collector
    fatal_level = pelican_log.FatalLogger.fatal_lvl
    if _collector is not None or fatal_level > logging.ERROR:  # done already, or no --fatal
        return
    pelican_log.FatalLogger.fatal_lvl = logging.CRITICAL + 1  # Pelican no longer raises
    _collector = _Collector(fatal_level)
    logging.getLogger().addHandler(_collector)


def stop_if_any() -> None:
    """SystemExit(1) with the plain summary if a warning was logged under --fatal."""
    if _collector is None or not _collector.messages:
        return
    problems = list(dict.fromkeys(_collector.messages))  # each once, in the order they came
    count = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
    lines = [
        "",
        f"Build stopped: {count} must be fixed before this site is published. A deploy build "
        "(`pelican --fatal warnings`, as Netlify and CI run it) treats every warning as an error, "
        "so nothing half-built goes live:",
        *(f"  - {_one_line(problem)}" for problem in problems),
        "Fix each one as it says, then push again (or build again). Settings a deployment may "
        "change, such as GEOCODE_ALLOW_MISSING to publish listings without a map pin for now, "
        f"are described in {SETTINGS_DOC}.",
    ]
    print("\n".join(lines), file=sys.stderr)
    raise SystemExit(1)  # not an Exception: Pelican would print a traceback


def _one_line(message: str) -> str:
    return " ".join(message.split())


def collect(messages: list[str]) -> None:
    """Warnings a forked build worker logged (and printed): stop the build on them as on our own."""
    if _collector is not None:
        _collector.messages.extend(message for message in messages if message not in _collector.messages)
