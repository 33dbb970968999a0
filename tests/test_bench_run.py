"""make bench times small sites several times, alternately with plain Pelican, and reports the
median runs and every run's time, and a fresh machine's build (benchmarks/run.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import run


def _run(seconds: float, wall: float = 1.0) -> run.Run:
    return run.Run(seconds=seconds, wall=wall, peak_mb=0.0, returncode=0, log=Path("log"))


def test_the_median_run_is_the_middle_one_by_cpu_time() -> None:
    runs = [_run(5.2), _run(7.4), _run(4.9)]
    assert run.median_run(runs).seconds == 5.2
    assert run.median_run([_run(3.0), _run(1.0)]).seconds == 1.0  # the lower middle of two
    assert run.median_run([_run(2.0)]).seconds == 2.0


@pytest.mark.slow
def test_a_small_site_is_timed_alternately_and_its_medians_reported(tmp_path: Path) -> None:
    results = run.bench_size(6, tmp_path, seed=3, hugo=None, repeats=3)
    assert len(results["ours_runs"]) == len(results["plain_runs"]) == len(results["rebuild_runs"]) == 3
    ours, plain = results["ours"], results["plain"]
    assert ours.seconds == sorted(r.seconds for r in results["ours_runs"])[1]
    assert plain.seconds == sorted(r.seconds for r in results["plain_runs"])[1]
    assert results["ratio_plain"] == pytest.approx(ours.seconds / plain.seconds)
    assert results["same_as_full"] is True
    # make serve's rebuilds (its warm process): as many, each showing its edit, the folder then
    # equal to a full build (same_as_full is checked after them).
    assert len(results["warm_rebuild_runs"]) == 3 and all(r.seconds > 0 for r in results["warm_rebuild_runs"])
    assert results["ratio_warm_rebuild"] == pytest.approx(results["warm_rebuild"].seconds / ours.seconds)
    assert results["fresh_same"] is True  # an empty machine cache (ONS index, lookup files) changes no byte
    assert results["ratio_fresh"] == pytest.approx(results["fresh"].seconds / plain.seconds)
    logs = {path.name for path in (tmp_path / "n6" / "logs").iterdir()}
    assert {"ours-1.log", "ours-3.log", "plain-2.log", "rebuild-3.log", "rebuild-warm.log"} <= logs
    table = run.table([results], {})
    row = next(line for line in table.splitlines() if line.startswith("| every timed run"))
    cell = row.split("|")[2]
    assert cell.count("/") == 2 and len(cell.split()) == 3 * 3 + 2  # three runs each, two slashes
    assert "N = 6 (median of 3)" in table
    assert "| the same rebuild in `make serve` (its warm process), CPU (wall) s |" in table
    assert "| fresh machine's site = our build's, byte for byte | yes, byte for byte | yes |" in table
