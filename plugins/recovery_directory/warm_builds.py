"""Builds for `make serve`'s watch (preview.py) from a process that has Pelican and this plugin
imported already: each build is a fork of it, so a rebuild after an edit doesn't pay the imports
again (measured in docs/benchmarks.md, "make serve's rebuild").

The warm process is a child of the preview, started with `python -m recovery_directory.warm_builds`.
It imports, then waits on its standard input: each line asks for one build, which a forked child
runs exactly as `python -m pelican -s SETTINGS -o OUTPUT` would (its messages go to the terminal).
The warm process itself never builds, so every build starts from freshly imported modules.

What it imported is only as new as the files were when it started, so the preview starts it again
after any change outside the content folder (code, templates, settings, schema): `WarmBuilder`
is only ever reused for edits of listings and pages, which each build reads afresh anyway.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any


class WarmBuilder:
    """`build()` builds the site once, in a fork of the warm process, and returns the build's exit
    status with the CPU seconds it used; `restart()` after code may have changed; `stop()`."""

    module = __name__  # what the warm process runs

    def __init__(self, settings: Path, output: Path, extra: Sequence[str] = (), log: IO[Any] | None = None) -> None:
        self.arguments = ["-s", str(settings), "-o", str(output), *(["-e", *extra] if extra else [])]
        self.log = log  # where the builds' messages go (None: this terminal)
        self.process: subprocess.Popen[bytes] | None = None
        self.answers: Any = None
        self.started = False  # whether the warm process has said it is ready

    def start(self) -> None:
        read, write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", self.module, str(write), *self.arguments],
                stdin=subprocess.PIPE, pass_fds=(write,), stdout=self.log, stderr=self.log and subprocess.STDOUT,
            )
        finally:
            os.close(write)
        self.answers = os.fdopen(read, "rb")
        self.started = False

    def ready(self) -> bool:
        """Wait until the warm process has imported everything; False if it ended instead."""
        if not self.started and self.answers is not None:
            self.started = self.answers.readline().strip() == b"ready"
        return self.started

    def build(self) -> tuple[int, float]:
        """(exit status, CPU seconds of the build and its workers). A warm process that has ended
        is started again; one that can't answer (it failed to import: the code has a mistake)
        gives way to a plain `pelican` build, which explains the mistake."""
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.start()
        assert self.process is not None and self.process.stdin is not None
        answer = []
        try:
            if self.ready():
                self.process.stdin.write(b"build\n")
                self.process.stdin.flush()
                answer = self.answers.readline().split()
        except OSError:  # it ended while asked (a broken pipe)
            pass
        if len(answer) == 2:
            return int(answer[0]), float(answer[1])
        self.stop()
        before = os.times()
        command = [sys.executable, "-m", "pelican", *self.arguments]
        code = subprocess.run(command, check=False, stdout=self.log, stderr=self.log and subprocess.STDOUT).returncode
        after = os.times()
        return code, (after.children_user - before.children_user) + (after.children_system - before.children_system)

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        if self.process is not None:
            if self.process.stdin is not None:
                with contextlib.suppress(OSError):
                    self.process.stdin.close()  # the warm process ends when its input does
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.answers is not None:
            self.answers.close()
            self.answers = None


def preload() -> None:
    """Import what a build imports: Pelican, the plugin, its stages and every output module."""
    import pelican  # noqa: F401

    from . import build  # noqa: F401
    from .outputs import output_modules

    output_modules()
    for name in ("listing.read", "listing_reading", "kept_pages", "theme_templates", "output_folder"):
        importlib.import_module(f"{__package__}.{name}")
    import phonenumbers  # noqa: F401 - an edited listing's phone numbers are checked again


def _build(arguments: list[str]) -> int:
    """One build, as `python -m pelican ARGUMENTS` would run it, in this forked child."""
    from pelican import main

    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C stops the build at once, quietly
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the requests are the warm process's, not the build's
    os.close(devnull)
    sys.argv = ["pelican", *arguments]
    try:
        main(arguments)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return code


def main(argv: list[str]) -> int:
    answers, arguments = int(argv[0]), argv[1:]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the preview, which ends this
    preload()
    os.write(answers, b"ready\n")
    for _ in sys.stdin.buffer:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _build(arguments)
            finally:
                os._exit(code)
        _, status, usage = os.wait4(pid, 0)
        os.write(answers, f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime:.3f}\n".encode())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
