"""Shared test machinery: build a real site, serve it on loopback, drive real Chromium.

Fixtures here are used by every test module; keep them general.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from recovery_directory.cli import main
from site_tools import build_site, serve_directory

pytest_plugins = ("run_order",)  # the longest test files first (tests/run_order.py)

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# A 1x1 transparent PNG, served in place of every outside image (map tiles) in browser tests.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content built once, offline, exactly as `make build` does it."""
    output = tmp_path_factory.mktemp("sample-site")
    build_site(output)
    return output


@pytest.fixture(scope="session")
def sample_server(sample_site: Path) -> Iterator[str]:
    """The sample site served on 127.0.0.1 with the production headers from netlify.toml."""
    with serve_directory(sample_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Playwright. Never skips: `make test` installs Chromium,
    so a missing browser is a failure everywhere, in CI above all."""
    if not CHROMIUM:
        pytest.fail("Chromium is not installed: run `make chromium` (apt-get install -y chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page that fails the test on any console error or uncaught exception, and blocks
    every request that would leave loopback (map tiles included)."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    try:
        yield guarded_tab(context)
    finally:
        context.close()


def guarded_tab(context: object) -> object:
    """A new page in `context` that collects console errors and uncaught exceptions in
    `.errors`, and every request that would leave loopback in `.outside_requests` (images,
    i.e. map tiles, are answered locally; anything else is aborted)."""
    tab = context.new_page()
    tab.errors = []  # type: ignore[attr-defined]
    tab.outside_requests = []  # type: ignore[attr-defined]
    tab.on("console", lambda msg: msg.type == "error" and tab.errors.append(msg.text))
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))

    def route(route_: object) -> None:
        url = route_.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route_.continue_()
            return
        tab.outside_requests.append(url)
        if route_.request.resource_type == "image":  # map tiles: answer locally, never the real host
            route_.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        else:
            route_.abort()

    context.route("**/*", route)
    return tab


def run_axe(tab: object, selector: str = "document") -> list[dict]:
    """axe-core's violations on the current page (WCAG 2.2 AA + best practice); [] is a pass."""
    if not tab.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate() runs outside the page's CSP; a <script> tag would be blocked by it.
        tab.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return tab.evaluate(
        """async ([selector, tags]) => {
            const where = selector === "document" ? document : document.querySelector(selector);
            // resultTypes: only violations are worked out in full (passes stop at one node): the same
            // verdict, far quicker on big pages such as the coverage tables.
            const result = await axe.run(where, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " " + n.html.slice(0, 200)).slice(0, 5)}));
        }""",
        [selector, AXE_TAGS],
    )


@pytest.fixture(scope="session")
def axe() -> object:
    return run_axe


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`recovery-directory ARGS` as a real subprocess, with text output."""
    return subprocess.run(
        [sys.executable, "-m", "recovery_directory.cli", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def cli(capsys: pytest.CaptureFixture) -> object:
    """`recovery-directory ARGS` in this process (fast), with run_cli's returncode/stdout/stderr."""

    def run(*args: str) -> SimpleNamespace:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse rejects bad arguments this way
            code = exit_.code
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    return run


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that drives Chromium carries @pytest.mark.browser, so `make quick`
    (-m "not browser and not slow") never starts a browser: an unmarked one stops the run."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "These tests use the browser fixture but are not marked @pytest.mark.browser:\n  " + "\n  ".join(unmarked)
        )
