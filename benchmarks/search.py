"""Search page benchmark: index size, time to ready and keystroke-to-results time in Chromium.

    python -m benchmarks.search OUTPUT_DIR               # a built site
    python -m benchmarks.search --synthetic 10000 WORK   # generate, build, then measure

`measure(site)` returns the figures as a dict (for `make bench`):
- index_bytes / index_gzip_bytes: /search/index.json as served, and gzipped (level 6, a common
  server default); text_gzip_bytes: the long text (search/text/*.json) the text worker fetches
  after the page is ready, not part of what the first results wait for;
- ready_ms: median over `loads` fresh page loads of the page's own `search-ready` mark
  (milliseconds since navigation start), set once the index is fetched, parsed and decoded and
  the first results drawn: from then on filters, counts, distance and open now work, and a text
  query finds every listing with a word starting with each word typed; ready_slowest_ms: the
  slowest of those loads (a median can hide loads far slower than the rest);
- text_indexed_ms: the same for the `search-text-indexed` mark, when the full text index
  (prefix and typo-tolerant, built in a worker meanwhile) takes over text queries;
- keystroke_ms: median, over every keystroke of a scripted query sequence typed at human speed
  in `sessions` fresh pages (3: one page's 88 keys gave a p95 of 41.8 and 54.6 ms on the same
  build a minute apart), from the key's input event to the end of the next frame after the
  results were drawn;
- keystroke_p95_ms over all of those keys, and their count (keystrokes);
- keystroke_steps_ms: where a keystroke's time goes (medians over the drawn searches, ms): the
  text match, filters and counts, ranking, the
  list's DOM, the rest of the page (counts, summary), and from the results drawn to the end of
  the next frame (style, layout, paint).

The site is served from loopback; Chromium resolves every other host to nothing, so map tiles
and the postcode lookup are never contacted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from recovery_directory.preview import serve_directory

TARGETS = {"index_gzip_bytes": 400 * 1000, "ready_ms": 500, "keystroke_ms": 25, "keystroke_p95_ms": 50}
# What GPs type: towns, substances, audiences, types, meeting names, words from descriptions.
QUERIES = ("recovery", "halifax", "family support", "alcohol", "women", "cafe leeds", "harm reduction", "smart",
           "cocaine", "peer mentor")
TYPING_DELAY_MS = 150  # about 80 words a minute: the map may redraw between keys, as it would for a person

# Runs in the page: time each input event (its timeStamp is when the key arrived) to the frame
# after the next results drawn. A key whose own search was overtaken by the next key's counts
# until the results that replaced it, so slow keystrokes are never dropped from the figures.
_TIMER = """() => {
  window.__samples = [];
  window.__steps = [];
  window.__drawn = null;
  let pending = [];
  const box = document.getElementById("search-q");
  box.addEventListener("input", (event) => {
    if (window.__measuring) pending.push(event.timeStamp);
  });
  document.getElementById("search-page").addEventListener("search:rendered", (event) => {
    const starts = pending;
    const value = box.value;
    const drawn = performance.now();
    pending = [];
    requestAnimationFrame(() => setTimeout(() => {
      const now = performance.now();
      for (const start of starts) window.__samples.push(now - start);
      if (starts.length) window.__steps.push({ ...event.detail.steps, frame: now - drawn });
      window.__drawn = value;
    }, 0));
  });
}"""


def index_sizes(site: Path) -> dict[str, int]:
    raw = (site / "search" / "index.json").read_bytes()
    texts = [path.read_bytes() for path in (site / "search" / "text").glob("*.json")]
    return {
        "records": len(json.loads(raw)["records"]),
        "index_bytes": len(raw),
        "index_gzip_bytes": len(gzip.compress(raw, compresslevel=6, mtime=0)),
        "text_gzip_bytes": sum(len(gzip.compress(text, compresslevel=6, mtime=0)) for text in texts),
    }


def measure(
    site: Path, *, loads: int = 5, sessions: int = 3, queries: tuple[str, ...] = QUERIES, chromium: str | None = None
) -> dict[str, Any]:
    """The search page's figures for a built site (see the module docstring)."""
    from playwright.sync_api import sync_playwright

    site = Path(site)
    if not (site / "search" / "index.html").exists():
        raise FileNotFoundError(f"{site} has no search page: build the site first.")
    executable = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        raise RuntimeError("Chromium is not installed: run `make chromium`.")
    figures: dict[str, Any] = index_sizes(site)
    with serve_directory(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        )
        try:
            loaded = [_time_to_ready(browser, url) for _ in range(loads)]
            samples, steps = [], []
            for _ in range(sessions):  # one session's p95 is its 4th-5th slowest key: too few to judge by
                typed, timed_steps = _keystrokes(browser, url, queries)
                samples += typed
                steps += timed_steps
        finally:
            browser.close()
    ready = [marks["search-ready"] for marks in loaded]
    figures.update(
        ready_ms=round(statistics.median(ready), 1),
        text_indexed_ms=round(statistics.median(marks["search-text-indexed"] for marks in loaded), 1),
        # Where the time goes (ms since navigation start, medians): index fetched, parsed and
        # decoded, first results drawn (ready), full text index ready.
        ready_steps_ms={name: round(statistics.median(marks[name] for marks in loaded), 1) for name in loaded[0]},
        ready_runs_ms=[round(value, 1) for value in ready],
        ready_slowest_ms=round(max(ready), 1),  # a median can hide some loads far slower than the rest
        keystroke_ms=round(statistics.median(samples), 1),
        keystroke_p95_ms=round(statistics.quantiles(samples, n=20)[-1], 1) if len(samples) > 1 else samples[0],
        keystrokes=len(samples),
        keystroke_steps_ms={
            name: round(statistics.median(step.get(name, 0) for step in steps), 1)
            for name in ("match", "filter", "arrange", "list", "rest", "frame")
        },
    )
    figures["targets_met"] = {name: figures[name] <= limit for name, limit in TARGETS.items()}
    return figures


def _new_page(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", viewport={"width": 1280, "height": 900})
    return context, context.new_page()


# Waits for the page's own marks without polling it: Playwright's wait_for_selector re-queries the
# page on its DOM changes, main-thread work that would be counted in the very time measured.
_MARKS = """(last) => new Promise((resolve) => {
  const marks = () => Object.fromEntries(performance.getEntriesByType("mark")
    .filter((mark) => mark.name.startsWith("search-")).map((mark) => [mark.name, mark.startTime]));
  const observer = new PerformanceObserver(() => {
    const found = marks();
    if (last in found) {
      observer.disconnect();
      resolve(found);
    }
  });
  observer.observe({ type: "mark", buffered: true });
})"""


def _time_to_ready(browser: Any, url: str) -> dict[str, float]:
    """The page's performance marks (search-index-loaded … search-ready, search-text-indexed) for
    one fresh load."""
    context, page = _new_page(browser)
    try:
        page.goto(f"{url}/search/", wait_until="commit")
        return page.evaluate(_MARKS, "search-text-indexed")
    finally:
        context.close()


def _keystrokes(browser: Any, url: str, queries: tuple[str, ...]) -> tuple[list[float], list[dict]]:
    context, page = _new_page(browser)
    try:
        page.goto(f"{url}/search/")
        page.wait_for_selector("#search-page[data-text-index=full]", timeout=60_000)
        # Start typing once the first map drawing has finished, as a person would.
        page.wait_for_function("() => document.getElementById('search-map').dataset.points !== undefined",
                               timeout=60_000)
        page.evaluate(_TIMER)
        box = page.locator("#search-q")
        typed = 0
        for query in queries:
            page.evaluate("() => { window.__measuring = false; }")  # clearing the box isn't a keystroke
            box.fill("")
            page.wait_for_timeout(300)
            page.evaluate("() => { window.__measuring = true; }")
            box.press_sequentially(query, delay=TYPING_DELAY_MS)
            typed += len(query)
            page.wait_for_function("(n) => window.__samples.length >= n", arg=typed, timeout=60_000)
        return page.evaluate("() => window.__samples"), page.evaluate("() => window.__steps")
    finally:
        context.close()


def build_synthetic(n: int, work: Path) -> Path:
    """Generate `n` synthetic listings in `work` and build them; returns the output folder."""
    from benchmarks.synthetic import generate

    settings = generate(n, work)
    output = Path(work) / "output"
    subprocess.run(
        [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output), "--delete-output-directory"],
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return output


def report(figures: dict[str, Any]) -> str:
    met = figures["targets_met"]
    mark = {True: "ok", False: "OVER TARGET"}
    return "\n".join(
        [
            f"search index: {figures['records']} records, {figures['index_bytes'] / 1000:.0f} kB, "
            f"{figures['index_gzip_bytes'] / 1000:.0f} kB gzip (target ≤ 400 kB: {mark[met['index_gzip_bytes']]}); "
            f"long text fetched afterwards by the text worker: {figures['text_gzip_bytes'] / 1000:.0f} kB gzip",
            f"time to ready: {figures['ready_ms']:.0f} ms median of {len(figures['ready_runs_ms'])} loads, "
            f"slowest {figures['ready_slowest_ms']:.0f} (target ≤ 500 ms: {mark[met['ready_ms']]}); steps: "
            + ", ".join(f"{name.removeprefix('search-')} {ms:.0f}" for name, ms in figures["ready_steps_ms"].items()),
            f"full text index (typo-tolerant) ready: {figures['text_indexed_ms']:.0f} ms median; until then text "
            "queries match the starts of words",
            f"keystroke to results: {figures['keystroke_ms']:.1f} ms median, {figures['keystroke_p95_ms']:.1f} ms p95, "
            f"{figures['keystrokes']} keystrokes (targets: median ≤ 25 ms {mark[met['keystroke_ms']]}, "
            f"p95 ≤ 50 ms {mark[met['keystroke_p95_ms']]}); medians of its steps: "
            + ", ".join(f"{name} {ms:.1f}" for name, ms in figures["keystroke_steps_ms"].items()),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the search page of a built site in Chromium.")
    parser.add_argument("directory", type=Path, help="a built site, or with --synthetic a work folder")
    parser.add_argument("--synthetic", type=int, metavar="N", help="first generate and build N synthetic listings")
    parser.add_argument("--loads", type=int, default=5, help="page loads to time (median reported)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    site = build_synthetic(args.synthetic, args.directory) if args.synthetic else args.directory
    figures = measure(site, loads=args.loads)
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
