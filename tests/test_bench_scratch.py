"""make bench never deletes files while it times anything (benchmarks/scratch.py)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.scratch import QUIET_SECONDS, SET_ASIDE, empty, set_aside, wait_until_quiet


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
    empty(tmp_path)
    assert not (tmp_path / SET_ASIDE).exists()
    empty(tmp_path)  # nothing set aside: no error


def test_a_run_deletes_an_interrupted_runs_leftovers_then_waits_out_the_minute(tmp_path: Path) -> None:
    set_aside(_folder(tmp_path / "n10" / "plain-out"), tmp_path)
    waits: list[float] = []
    assert wait_until_quiet(tmp_path, sleep=waits.append) == QUIET_SECONDS
    assert not (tmp_path / SET_ASIDE).exists()
    assert waits == [QUIET_SECONDS] and QUIET_SECONDS > 60  # the kernel's 60 s, and a margin
