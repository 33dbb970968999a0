"""Screenshots of the sample site for docs/screenshots/: home, a listing and the listing editor, desktop and phone.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Builds the sample content offline into a temporary folder, serves it on 127.0.0.1 and drives
Debian's Chromium. Requests to any other host (map tiles) are blocked, so nothing leaves the
machine and the pictures are reproducible.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from recovery_directory.preview import serve_directory  # noqa: E402
from site_tools import build_site  # noqa: E402

PAGES = {
    "home": "/",
    "listing": "/organisations/calder-valley-recovery-cafe/",
    "editor": "/editor/?listing=calder-valley-recovery-cafe",  # "Edit this listing": the form filled in
}
VIEWPORTS = {"desktop": (1280, 900), "mobile": (390, 844)}


def capture(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("Chromium is not installed: run `make chromium`.")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        build_site(site, env={"RECOVERY_DIRECTORY_TODAY": "2026-11-24"})
        with serve_directory(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for view, (width, height) in VIEWPORTS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="en-GB", timezone_id="Europe/London"
                )
                context.route(
                    "**/*",
                    lambda route: route.continue_() if route.request.url.startswith(base) else route.abort(),
                )
                tab = context.new_page()
                for name, path in PAGES.items():
                    tab.goto(base + path, wait_until="networkidle")
                    target = out / f"{name}-{view}.png"
                    tab.screenshot(path=str(target), full_page=True)
                    written.append(target)
                context.close()
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    for path in capture(parser.parse_args().out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
