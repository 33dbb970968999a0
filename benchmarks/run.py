"""`make bench`: build N synthetic listings with our site, plain Pelican and Hugo in the same run,
time a one-listing rebuild and the validator, and print the figures as a Markdown table.

    python -m benchmarks.run                    # N = 1,000 and 10,000
    python -m benchmarks.run --n 1000           # or BENCH_N=1000 make bench
    python -m benchmarks.run --report docs/benchmarks.md   # also write the results there

Up to SMALL_N listings, our full build, plain Pelican's and the rebuild are timed SMALL_REPEATS
times, alternately (`--repeats`), and the median runs are reported, with every run's CPU time.

Times are seconds of whole commands, start-up included, as a contributor sees them: CPU time
(user + system, from os.wait4) and wall-clock time. Ratios use CPU time, which stays meaningful on
a shared, busy machine where wall time mostly measures the queue for a core; Hugo's CPU time is
the sum over its threads (its wall time is shown too); a build's CPU time includes its forked
workers' (wait4 counts every child the build waited for). Memory is measured in a second run of
each build, untimed (sampling slows what it watches), every 50 ms from /proc, two ways: the whole
process tree's proportional set size (PSS: shared pages split between the processes sharing
them, so the sum is the memory the tree really holds), and the largest
single process's peak (VmHWM). Not wait4's ru_maxrss: it survives fork and exec, so a command
started from this (large) process reports at least this process's own peak (checked: `python -c
pass` reports 14 MB from a small parent, 314 MB from one holding 300 MB), and for a tree it is the
largest process, not the sum (a 200 MB parent forking two +300 MB children reports 510 MB).
The map and search
figures come from benchmarks/map.py and benchmarks/search.py when they exist: each may define
`measure(site: Path) -> dict[str, object]`, called on the largest build's output folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import filecmp
import importlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recovery_directory.listing.validate import check_file
from recovery_directory.warm_builds import WarmBuilder

from .corpora import listing_texts, write_hugo, write_plain_pelican
from .invariants import check_site
from .scratch import empty, set_aside, wait_until_quiet
from .synthetic import generate

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORKDIR = Path(os.environ.get("BENCH_DIR", "/tmp/recovery-directory-bench"))  # noqa: S108 - scratch
EDIT_MARKER = "Edited for the rebuild benchmark"
# Files that may legitimately differ between a rebuild and a full build of the same content
# (none today: build dates come from the listings, not the clock).
BUILD_TIME_FILES: frozenset[str] = frozenset()
# Small sites are timed several times, alternately with plain Pelican, and the medians reported:
# at 1,000 listings plain Pelican's own time varied 4.7–7.4 s between runs on the same machine.
SMALL_N, SMALL_REPEATS = 2_000, 3


@dataclass
class Run:
    seconds: float  # CPU, user + system, its waited-for children included
    wall: float
    peak_mb: float  # the largest single process's peak resident set (VmHWM), sampled
    returncode: int
    log: Path
    tree_mb: float = 0.0  # the whole process tree's PSS at its sampled peak
    system: float = 0.0  # of `seconds`, the kernel's share (files, page faults, forks)


def timed(
    command: list[str], log: Path, cwd: Path = PROJECT_ROOT, *, memory: bool = False, env: dict[str, str] | None = None
) -> Run:
    """Run a command to completion; its CPU and wall time, and with `memory` its peak memory (see
    the docstring). Memory is sampled in runs of its own (`memory_of`), never in the timed ones: the
    sampler reads each process's page tables 20 times a second from this process, which took a
    core from a two-process build and held up its page faults (N = 1,000: 4.0–4.3 s wall
    unsampled, 4.4–5.7 s sampled, docs/benchmarks.md)."""
    # Files written or deleted before (earlier builds, ~1.5 GB at 10,000 listings) are flushed
    # first, so the kernel's writeback isn't timed as part of this command.
    os.sync()
    with log.open("w") as out:
        start = time.perf_counter()
        environment = {**os.environ, **env} if env else None
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=environment)
        sampler = TreeMemory(process.pid)
        if memory:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if memory:
            sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    run = Run(usage.ru_utime + usage.ru_stime, wall, sampler.largest_kb / 1024, process.returncode, log)
    run.tree_mb, run.system = sampler.peak_kb / 1024, usage.ru_stime
    return run


class TreeMemory(threading.Thread):
    """Samples a process and all its descendants every 50 ms (Linux /proc): the peak of their
    summed PSS, and the largest peak resident set (VmHWM) of any one of them."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.largest_kb, self.done = pid, 0, 0, threading.Event()

    def stop(self) -> None:
        self.done.set()
        self.join()

    def run(self) -> None:
        while not self.done.wait(0.05):
            tree = _tree(self.pid)
            self.peak_kb = max(self.peak_kb, sum(_status_kb(pid, "Pss:", "smaps_rollup") for pid in tree))
            self.largest_kb = max([self.largest_kb] + [_status_kb(pid, "VmHWM:", "status") for pid in tree])


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _status_kb(pid: int, field: str, file: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def memory_of(timed_run: Run, command: list[str], log: Path, what: str) -> None:
    """Run the timed command again, sampled, into the timed run's memory fields."""
    sampled = checked(timed(command, log, memory=True), f"{what} (memory run)")
    timed_run.peak_mb, timed_run.tree_mb = sampled.peak_mb, sampled.tree_mb


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        tail = run.log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{what} failed (exit {run.returncode}); log {run.log}:\n{tail}")
    return run


def pelican(settings: Path, output: Path, *, delete: bool = True, extra: tuple[str, ...] = ()) -> list[str]:
    command = [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output)]
    command += ["--delete-output-directory"] if delete else []
    return command + (["-e", *extra] if extra else [])


def bench_size(n: int, workdir: Path, seed: int, hugo: str | None, repeats: int = 1) -> dict[str, Any]:
    """`repeats`: how many times our full build, plain Pelican's and the rebuild are timed
    (alternately); the table shows each one's median run, and every run's CPU time."""
    root = workdir / f"n{n}"
    logs = root / "logs"
    # Every build starts from empty folders, as on a fresh CI or Netlify machine. The last run's
    # are set aside, not deleted (benchmarks/scratch.py: deleting them made the next build slower);
    # deleting them inside the timed build (--delete-output-directory) also timed ~19 s of system
    # time at 10,000 (docs/benchmarks.md).
    cache = root / "build-cache"  # empty: the full build pays for everything (and fills it)
    listings, outputs = root / "site" / "content" / "organisations", ("out", "plain-out", "hugo-out", "out-full")
    memory = root / "memory"  # the memory runs' outputs and cache
    fresh = root / "fresh"  # a fresh machine's build: its output, build cache and machine cache
    for folder in (listings, root / "plain", root / "hugo", cache, memory, fresh, *(root / name for name in outputs)):
        set_aside(folder, workdir)
    settings = generate(n, root / "site", seed)
    logs.mkdir(exist_ok=True)
    texts = listing_texts(root / "site" / "content" / "organisations")
    plain_settings = write_plain_pelican(texts, root / "plain")
    results: dict[str, Any] = {"n": n}

    command = pelican(settings, root / "out", extra=(f"BUILD_CACHE_PATH={json.dumps(str(cache))}",))
    ours_runs, plain_runs = [], []
    for attempt in range(repeats):  # alternately, so a slow minute on the machine falls on both
        if attempt:  # each full build from empty folders again; the last one's stay for the rebuild
            for folder in (cache, root / "out", root / "plain-out"):
                set_aside(folder, workdir)
        ours_runs.append(checked(timed(command, logs / f"ours-{attempt + 1}.log"), "Our build"))
        lost = check_site(root / "out", root / "site" / "content" / "organisations")
        if lost:  # a fast build that drops listings is no result at all
            raise SystemExit(f"N = {n:,}: the build lost or miscounted listings:\n" + "\n".join(lost))
        plain_command = pelican(plain_settings, root / "plain-out")
        plain_runs.append(checked(timed(plain_command, logs / f"plain-{attempt + 1}.log"), "Plain Pelican"))
    ours, plain = median_run(ours_runs), median_run(plain_runs)
    results.update(ours=ours, plain=plain, ours_runs=ours_runs, plain_runs=plain_runs, repeats=repeats)
    # Ratios of the medians: CPU of the median-CPU runs, wall of the median-wall runs.
    results["ratio_plain"] = ours.seconds / plain.seconds
    results["wall_plain"] = median_wall(ours_runs) / median_wall(plain_runs)
    results.update(fresh_machine_figures(settings, fresh, root / "out", logs))
    results["ratio_fresh"] = results["fresh"].seconds / plain.seconds
    results["wall_fresh"] = results["fresh"].wall / median_wall(plain_runs)
    hugo_command: list[str] = []
    if hugo:
        site = write_hugo(texts, root / "hugo")
        hugo_command = [hugo, "--quiet", "--source", str(site), "--cleanDestinationDir", "--destination"]
        hugo_run = checked(timed([*hugo_command, str(root / "hugo-out")], logs / "hugo.log"), "Hugo")
        results.update(hugo=hugo_run, ratio_hugo=ours.seconds / hugo_run.seconds)

    results.update(rebuild_figures(settings, root, logs, cache, repeats))
    results["ratio_rebuild"] = results["rebuild"].seconds / ours.seconds
    results["ratio_warm_rebuild"] = results["warm_rebuild"].seconds / ours.seconds
    results["wall_rebuild"] = median_wall(results["rebuild_runs"]) / median_wall(ours_runs)
    results.update(validator_figures(root / "site" / "content" / "organisations"))
    # Memory: each build again, sampled, into folders of its own (the same empty-cache full build).
    memory_cache = f"BUILD_CACHE_PATH={json.dumps(str(memory / 'build-cache'))}"
    memory_of(ours, pelican(settings, memory / "out", extra=(memory_cache,)), logs / "ours-memory.log", "Our build")
    memory_of(plain, pelican(plain_settings, memory / "plain-out"), logs / "plain-memory.log", "Plain Pelican")
    if hugo:
        memory_of(results["hugo"], [*hugo_command, str(memory / "hugo-out")], logs / "hugo-memory.log", "Hugo")
    results["ratio_memory"] = ours.tree_mb / plain.tree_mb if plain.tree_mb else None
    results["output"] = root / "out"
    return results


def fresh_machine_figures(settings: Path, fresh: Path, built: Path, logs: Path) -> dict[str, Any]:
    """Our full build once more, with the machine cache (RECOVERY_DIRECTORY_CACHE: the ONS
    postcode index, the postcode lookup files) empty as well, as on every Netlify deploy; its site
    must equal the full build's, byte for byte."""
    command = pelican(settings, fresh / "out", extra=(f"BUILD_CACHE_PATH={json.dumps(str(fresh / 'build-cache'))}",))
    machine_cache = {"RECOVERY_DIRECTORY_CACHE": str(fresh / "machine-cache")}
    run = checked(timed(command, logs / "fresh-machine.log", env=machine_cache), "Our build on a fresh machine")
    differing = different_files(fresh / "out", built) - BUILD_TIME_FILES
    if differing:
        raise SystemExit(f"The fresh machine's build differs in {len(differing)} files: {sorted(differing)[:10]}")
    return {"fresh": run, "fresh_same": True}


def rebuild_figures(settings: Path, root: Path, logs: Path, cache: Path, repeats: int = 1) -> dict[str, Any]:
    """One listing edited and the site rebuilt into the full build's folder with its build cache
    (as `make serve` does), `repeats` times (a new edit each time); the edited page must show each
    edit, and the whole folder must then equal, byte for byte, a full build of the edited content
    made without the cache."""
    listings = sorted((root / "site" / "content" / "organisations").glob("*.yaml"))
    listing = listings[len(listings) // 2]
    output = root / "out"
    cached = f"BUILD_CACHE_PATH={json.dumps(str(cache))}"
    runs = []
    for attempt in range(repeats):
        stamp = edit_summary(listing)
        command = pelican(settings, output, delete=False, extra=(cached,))
        runs.append(checked(timed(command, logs / f"rebuild-{attempt + 1}.log"), "Rebuild"))
        page = (output / "organisations" / listing.stem / "index.html").read_text(encoding="utf-8")
        if stamp not in page:
            raise SystemExit(f"Rebuild did not update {listing.name}'s page: the build cache served a stale copy.")
    warm = warm_rebuilds(settings, output, listing, logs, cached, repeats)
    full = root / "out-full"
    no_cache = pelican(settings, full, extra=('BUILD_CACHE_PATH=""',))
    checked(timed(no_cache, logs / "full-edited.log"), "Full build of the edited content")
    differing = different_files(output, full) - BUILD_TIME_FILES
    if differing:
        raise SystemExit(f"The rebuild differs from a full build in {len(differing)} files: {sorted(differing)[:10]}")
    return {"rebuild": median_run(runs), "rebuild_runs": runs, "same_as_full": True,
            "warm_rebuild": median_run(warm), "warm_rebuild_runs": warm}


def edit_summary(listing: Path) -> str:
    """A new summary for the listing, with a stamp its page must then show."""
    stamp = f"{EDIT_MARKER} {time.time_ns()}"
    text = listing.read_text(encoding="utf-8")
    summary = re.search(r"^summary: .*$", text, re.MULTILINE)
    listing.write_text(f"{text[: summary.start()]}summary: {stamp}.{text[summary.end() :]}", encoding="utf-8")
    return stamp


def warm_rebuilds(settings: Path, output: Path, listing: Path, logs: Path, cached: str, repeats: int) -> list[Run]:
    """The same edit and rebuild as `make serve` makes them: from its warm process
    (warm_builds.py), started (and its imports made) before the edit, as when serving begins."""
    runs = []
    with (logs / "rebuild-warm.log").open("w") as log:
        builder = WarmBuilder(settings, output, (cached,), log)
        builder.start()
        try:
            if not builder.ready():
                raise SystemExit(f"make serve's warm process did not start: see {logs / 'rebuild-warm.log'}")
            for _ in range(repeats):
                stamp = edit_summary(listing)
                os.sync()
                start = time.perf_counter()
                code, seconds = builder.build()
                runs.append(checked(Run(seconds, time.perf_counter() - start, 0.0, code, logs / "rebuild-warm.log"),
                                    "make serve's rebuild"))
                page = (output / "organisations" / listing.stem / "index.html").read_text(encoding="utf-8")
                if stamp not in page:
                    raise SystemExit(f"make serve's rebuild did not update {listing.name}'s page.")
        finally:
            builder.stop()
    return runs


def median_wall(runs: list[Run]) -> float:
    return statistics.median(run.wall for run in runs)


def median_run(runs: list[Run]) -> Run:
    """The run whose CPU time is the median (the lower middle one of an even number)."""
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def different_files(first: Path, second: Path) -> set[str]:
    """Paths (relative) present in only one folder or with different bytes."""
    def files(folder: Path) -> dict[str, Path]:
        return {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}

    a, b = files(first), files(second)
    changed = {name for name in a.keys() & b.keys() if not filecmp.cmp(a[name], b[name], shallow=False)}
    return (a.keys() ^ b.keys()) | changed


def validator_figures(listings: Path) -> dict[str, Any]:
    paths = sorted(listings.glob("*.yaml"))
    check_file(paths[0])  # schema compiled, caches warm: the per-listing rate is what we measure
    start = time.process_time()  # CPU time of this process: a busy machine doesn't change it
    bad = sum(not check_file(path).ok for path in paths)
    seconds = time.process_time() - start
    if bad:
        raise SystemExit(f"{bad} synthetic listings failed validation: the generator is broken.")
    return {"validator_rate": len(paths) / seconds}


def external_figures(site: Path) -> dict[str, Any]:
    """benchmarks/map.py, search.py and geography.py's own measurements, when they exist."""
    found: dict[str, Any] = {}
    for name in ("map", "search", "geography"):
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"benchmarks.{name}":
                raise
            continue
        measure = getattr(module, "measure", None)
        if not callable(measure):
            found[f"{name}: no measure(site) function"] = "—"
            continue
        try:
            figures = measure(site)
            figures = dataclasses.asdict(figures) if dataclasses.is_dataclass(figures) else dict(figures)
            for key, value in figures.items():
                if isinstance(value, str | int | float):  # lists of per-run details stay in their own reports
                    found[f"{name}: {key}"] = value
        except Exception as error:  # one failing measurement must not hide the rest of the table
            found[f"{name}: failed"] = f"{type(error).__name__}: {error}"
    return found


def table(results: list[dict[str, Any]], extra: dict[str, Any]) -> str:
    def each(fmt: str, key: str, attribute: str | None = None) -> list[str]:
        values = []
        for r in results:
            value = r.get(key)
            value = getattr(value, attribute) if value is not None and attribute else value
            values.append("—" if value is None else format(value, fmt))
        return values

    def verdict(key: str, fmt: str, target: float, *, at_least: bool = False) -> list[str]:
        return _verdicts(each(fmt, key), results, key, target, at_least=at_least)

    def cpu_wall(key: str, fmt: str = ".1f") -> list[str]:
        return _pairs(each(fmt, key, "seconds"), each(fmt, key, "wall"))

    runs = [
        " / ".join(" ".join(f"{run.seconds:.1f}" for run in r.get(key, [])) or "—"
                   for key in ("ours_runs", "plain_runs", "rebuild_runs"))
        for r in results
    ]
    fresh_ratios = _pairs(each(".2f", "ratio_fresh"), each(".2f", "wall_fresh"))
    system = [f"{a} / {b}" for a, b in zip(each(".1f", "ours", "system"), each(".1f", "plain", "system"), strict=True)]
    largest = _triples(each(".0f", "ours", "peak_mb"), each(".0f", "plain", "peak_mb"), each(".0f", "hugo", "peak_mb"))
    rows = [
        ("our build (empty build cache), CPU (wall) s", cpu_wall("ours"), ""),
        ("plain Pelican, CPU (wall) s", cpu_wall("plain"), ""),
        ("of that CPU, system time: ours / plain Pelican, s", system, ""),
        ("Hugo build, CPU (wall) s", cpu_wall("hugo", ".2f"), ""),
        ("build CPU ratio vs plain Pelican", verdict("ratio_plain", ".2f", 0.8), "≤ 0.8"),
        ("build wall ratio vs plain Pelican", verdict("wall_plain", ".2f", 0.5), "≤ 0.5"),
        ("build CPU ratio vs Hugo", each(".1f", "ratio_hugo"), ""),
        ("first build on a fresh machine (machine cache empty too), CPU (wall) s", cpu_wall("fresh"), ""),
        ("fresh machine vs plain Pelican, CPU (wall) ratio", fresh_ratios, ""),
        ("fresh machine's site = our build's, byte for byte", [_yes(r.get("fresh_same")) for r in results], "yes"),
        ("peak memory, process tree PSS, ours (MB)", each(".0f", "ours", "tree_mb"), ""),
        ("peak memory, process tree PSS, plain Pelican (MB)", each(".0f", "plain", "tree_mb"), ""),
        ("memory ratio vs plain Pelican (tree PSS)", verdict("ratio_memory", ".2f", 1.0), "≤ 1.0"),
        ("peak memory, largest process (VmHWM): ours / plain / Hugo (MB)", largest, ""),
        ("rebuild after editing one listing (build cache), CPU (wall) s", cpu_wall("rebuild"), ""),
        ("rebuild CPU ratio (rebuild / our build)", verdict("ratio_rebuild", ".2f", 0.2), "≤ 0.2"),
        ("rebuild wall ratio (rebuild / our build)", each(".2f", "wall_rebuild"), ""),
        ("the same rebuild in `make serve` (its warm process), CPU (wall) s", cpu_wall("warm_rebuild", ".2f"), ""),
        ("`make serve` rebuild CPU ratio (/ our build)", each(".2f", "ratio_warm_rebuild"), ""),
        ("every timed run, CPU s: ours / plain Pelican / rebuild", runs, ""),
        ("rebuilt folder = full build of the edited content", [_yes(r.get("same_as_full")) for r in results], "yes"),
        ("validator, listings/s (1 core, CPU time)", verdict("validator_rate", ",.0f", 3000, at_least=True), "≥ 3,000"),
    ]
    columns = [f"N = {r['n']:,}" + (f" (median of {r['repeats']})" if r.get("repeats", 1) > 1 else "") for r in results]
    lines = ["| measure | " + " | ".join(columns) + " | target |", "| --- |" + " ---: |" * len(columns) + " --- |"]
    lines += [f"| {name} | " + " | ".join(values) + f" | {target} |" for name, values, target in rows]
    if extra:
        lines += ["", f"Map, search and geography, on the N = {results[-1]['n']:,} build:", ""]
        lines += ["| measure | value |", "| --- | ---: |"] + [f"| {k} | {_format(v)} |" for k, v in extra.items()]
    return "\n".join(lines)


def _verdicts(
    values: list[str], results: list[dict[str, Any]], key: str, target: float, *, at_least: bool = False
) -> list[str]:
    """Each figure with whether it meets its #20 target."""
    marked = []
    for text, r in zip(values, results, strict=True):
        value = r.get(key)
        if value is None:
            marked.append(text)
            continue
        met = value >= target if at_least else value <= target
        marked.append(f"{text} ({'met' if met else '**missed**'})")
    return marked


def _yes(value: Any) -> str:
    return "—" if value is None else "yes, byte for byte" if value else "no"


def _triples(first: list[str], second: list[str], third: list[str]) -> list[str]:
    return [f"{a} / {b} / {c}" for a, b, c in zip(first, second, third, strict=True)]


def _pairs(first: list[str], second: list[str]) -> list[str]:
    return [a if a == "—" else f"{a} ({b})" for a, b in zip(first, second, strict=True)]


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def machine() -> str:
    import pelican

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    hugo = shutil.which("hugo")
    hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[:2] if hugo else []
    return (
        f"{os.cpu_count()} CPUs ({cpu or 'unknown'}), {memory_kb / 1024 / 1024:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"Pelican {pelican.__version__}, {' '.join(hugo_version) or 'no Hugo'}; "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )


def write_report(path: Path, text: str) -> None:
    """Replace the results between the markers in docs/benchmarks.md (or append them)."""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    block = f"{start}\n{text}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in old and end in old:
        new = old[: old.index(start)] + block + old[old.index(end) + len(end) :]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the build against plain Pelican and Hugo.")
    sizes = [int(n) for n in os.environ.get("BENCH_N", "1000 10000").split()]
    parser.add_argument(
        "--n", type=int, nargs="+", default=sizes, help="listing counts (default: $BENCH_N or 1000 10000)"
    )
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeats", type=int, default=None,
        help=f"time each full build and the rebuild this many times, alternately, and report the medians "
        f"(default: {SMALL_REPEATS} up to {SMALL_N:,} listings, where a build takes seconds and a slow "
        "moment on a shared machine is a large share of one; 1 above)",
    )
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--report", type=Path, help="also write the results into this Markdown file")
    args = parser.parse_args(argv)

    hugo = None if args.no_hugo else shutil.which("hugo")
    if not hugo and not args.no_hugo:
        raise SystemExit("Hugo is not installed: run `make bench` (it installs it) or pass --no-hugo.")
    args.workdir.mkdir(parents=True, exist_ok=True)
    wait_until_quiet(args.workdir)
    results = []
    for n in args.n:
        print(f"Benchmarking N = {n:,} in {args.workdir} …", file=sys.stderr, flush=True)
        repeats = args.repeats or (SMALL_REPEATS if n <= SMALL_N else 1)
        results.append(bench_size(n, args.workdir, args.seed, hugo, max(1, repeats)))
    # The builds above leave ~1.5 GB of files to write back at 10,000 listings: flushed now, not
    # by the kernel while the browser is timed.
    os.sync()
    extra = external_figures(results[-1]["output"])
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    text = (
        f"Run on {dt.date.today().isoformat()} with `{command.strip()}`.\n\n"
        f"Machine: {machine()}.\n\n{table(results, extra)}\n\n"
        "Every build above passed benchmarks/invariants.py: listing files = listing pages = search "
        "records = map points = JSON records, and type/area counts agree everywhere."
    )
    print(text)
    if args.report:
        write_report(args.report, text)
    empty(args.workdir)  # the last run's folders, only now that nothing more is timed
    return 0


if __name__ == "__main__":
    sys.exit(main())
