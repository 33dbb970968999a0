"""Map benchmark: how much /map/ transfers (gzip) and how long until its cluster layer is ready.

    python -m benchmarks.map output/                  # measure a built site
    python -m benchmarks.map --synthetic 10000        # generate, build and measure 10,000 listings

`measure(site)` is what `make bench` calls. Each run opens /map/ in a fresh Chromium context (cold
cache) from a loopback server sending netlify.toml's headers (recovery_directory.preview). Tiles
are answered locally with an empty image and left out of the size: they come from the tile
server, not from us. "Ready" is the `map-ready` performance mark that
theme/static/js/map/recovery-map.js sets once every pin is in the cluster layer, in ms since the
navigation started. Targets (issue #6): <= 1 MB gzip, <= 1.5 s.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from recovery_directory.preview import serve_directory

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
TARGET_GZIP_BYTES = 1_000_000
TARGET_READY_SECONDS = 1.5
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass
class MapBenchmark:
    pins: int  # markers in the cluster layer
    gzip_bytes: int  # everything /map/ loaded from this site, each text file gzipped (level 6)
    raw_bytes: int
    ready_seconds: float  # median over the runs
    ready_slowest_seconds: float  # the slowest run: a median of 5 hid loads twice as slow (docs/benchmarks.md)
    ready_runs: list[float]
    pins_seconds: float  # median of the part spent in our scripts: pins made and clustered
    largest: list[tuple[str, int]]  # the heaviest files, gzip bytes

    def summary(self) -> str:
        ok_size = "ok" if self.gzip_bytes <= TARGET_GZIP_BYTES else "OVER TARGET"
        ok_time = "ok" if self.ready_seconds <= TARGET_READY_SECONDS else "OVER TARGET"
        lines = [
            f"map: {self.pins:,} pins",
            f"map: transferred {self.gzip_bytes / 1024:,.0f} KiB gzip ({self.raw_bytes / 1024:,.0f} KiB raw); "
            f"target <= {TARGET_GZIP_BYTES / 1e6:g} MB: {ok_size}",
            f"map: cluster layer ready after {self.ready_seconds:.2f} s (median of "
            f"{', '.join(f'{run:.2f}' for run in self.ready_runs)}); target <= {TARGET_READY_SECONDS} s: {ok_time}",
            f"map:   of which {self.pins_seconds:.2f} s making and clustering pins (the rest: loading, parsing)",
        ]
        lines += [f"map:   {size / 1024:8,.0f} KiB gzip  {path}" for path, size in self.largest]
        return "\n".join(lines)


def transferred_size(content_type: str, body: bytes) -> int:
    return len(gzip.compress(body, 6)) if content_type.startswith(COMPRESSIBLE) else len(body)


def _keep_own(base: str, responses: list, response: object) -> None:
    if response.url.startswith(base):
        responses.append(response)


def measure(site: Path, runs: int = 5, path: str = "/map/") -> MapBenchmark:
    from playwright.sync_api import sync_playwright

    if not (Path(site) / path.strip("/") / "index.html").exists():
        raise SystemExit(f"{site}{path}index.html does not exist: build the site first.")
    ready_runs: list[float] = []
    pins_runs: list[float] = []
    sizes: dict[str, tuple[int, int]] = {}
    pins = 0
    with serve_directory(Path(site)) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            for run in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.route(
                    lambda url: not url.startswith(base),
                    lambda route: route.fulfill(status=200, content_type="image/png", body=b""),
                )
                responses: list = []
                page.on("response", functools.partial(_keep_own, base, responses))
                page.goto(base + path, wait_until="commit")
                page.wait_for_selector("[data-map-ready]", state="attached", timeout=120_000)
                ready_ms, start_ms = page.evaluate(
                    "['map-ready', 'map-scripts-start'].map(name => performance.getEntriesByName(name)[0].startTime)"
                )
                ready_runs.append(round(ready_ms / 1000, 3))
                pins_runs.append(round((ready_ms - start_ms) / 1000, 3))
                if run == 0:
                    pins = page.evaluate("RecoveryMap.instance.cluster.getLayers().length")
                    page.wait_for_load_state("load")
                    for response in responses:
                        body = response.body()
                        kind = response.headers.get("content-type", "")
                        sizes[urlsplit(response.url).path] = (transferred_size(kind, body), len(body))
                context.close()
        finally:
            browser.close()
    largest = sorted(((name, gz) for name, (gz, _) in sizes.items()), key=lambda item: -item[1])[:5]
    return MapBenchmark(
        pins=pins,
        gzip_bytes=sum(gz for gz, _ in sizes.values()),
        raw_bytes=sum(raw for _, raw in sizes.values()),
        ready_seconds=statistics.median(ready_runs),
        ready_slowest_seconds=max(ready_runs),
        ready_runs=ready_runs,
        pins_seconds=statistics.median(pins_runs),
        largest=largest,
    )


def build_synthetic(count: int, workdir: Path, seed: int = 1) -> tuple[Path, float]:
    """Generate `count` synthetic listings (benchmarks/synthetic.py) and build them; returns the
    output folder and the build's wall-clock seconds."""
    from .synthetic import generate

    settings = generate(count, workdir, seed=seed)
    output = workdir / "output"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output), "--delete-output-directory"],
        cwd=PROJECT_ROOT, check=True, capture_output=True, text=True,
    )
    return output, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site folder (omit with --synthetic)")
    parser.add_argument("--synthetic", type=int, metavar="N", help="generate and build N synthetic listings first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if (args.site is None) == (args.synthetic is None):
        parser.error("give either a built site folder or --synthetic N")
    with tempfile.TemporaryDirectory(prefix="map-bench-") as scratch:
        site, build_seconds = args.site, None
        if args.synthetic is not None:
            site, build_seconds = build_synthetic(args.synthetic, Path(scratch), args.seed)
        result = measure(site, runs=args.runs)
    if args.json:
        print(json.dumps({**asdict(result), "build_seconds": build_seconds}, indent=2))
    else:
        if build_seconds is not None:
            print(f"map: built {args.synthetic:,} synthetic listings in {build_seconds:.1f} s")
        print(result.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
