"""make bench never deletes files while it times anything (benchmarks/scratch.py)."""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.scratch import DELETED_AT, QUIET_SECONDS, SET_ASIDE, empty, set_aside, wait_until_quiet


def _folder(path: Path) -> Path:
    (path / "inner").mkdir(parents=True)
    (path / "inner" / "page.html").write_text("old", encoding="utf-8")
    return path


def test_set_aside_moves_the_folder_away_whole_and_empty_deletes_it_later(tmp_path: Path) -> None:
    out = _folder(tmp_path / "n10" / "out")
    set_aside(out, tmp_path)
    set_aside(tmp_path / "n10" / "never-made", tmp_path)  # nothing to move: no error
    assert not out.exists()
    (kept,) = (tmp_path / SET_ASIDE).iterdir()
    assert (kept / "inner" / "page.html").read_text(encoding="utf-8") == "old"

    before = time.time()
    empty(tmp_path)
    assert not (tmp_path / SET_ASIDE).exists()
    assert before <= float((tmp_path / DELETED_AT).read_text(encoding="utf-8")) <= time.time()


def test_a_run_waits_until_the_last_deletion_is_a_minute_old(tmp_path: Path) -> None:
    waits: list[float] = []
    assert wait_until_quiet(tmp_path, sleep=waits.append) == 0.0  # never deleted anything
    assert waits == []

    (tmp_path / DELETED_AT).write_text(f"{time.time() - 20}\n", encoding="utf-8")
    waited = wait_until_quiet(tmp_path, sleep=waits.append)
    assert waits == [waited]
    assert QUIET_SECONDS - 21 < waited <= QUIET_SECONDS - 20

    (tmp_path / DELETED_AT).write_text(f"{time.time() - QUIET_SECONDS - 1}\n", encoding="utf-8")
    assert wait_until_quiet(tmp_path, sleep=waits.append) == 0.0


def test_an_interrupted_runs_leftovers_are_deleted_and_then_waited_for(tmp_path: Path) -> None:
    set_aside(_folder(tmp_path / "n10" / "plain-out"), tmp_path)
    waits: list[float] = []
    waited = wait_until_quiet(tmp_path, sleep=waits.append)
    assert not (tmp_path / SET_ASIDE).exists()
    assert waits == [waited]
    assert QUIET_SECONDS - 5 < waited <= QUIET_SECONDS
