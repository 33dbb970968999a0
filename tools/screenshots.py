"""Screenshots of the sample site for docs/screenshots/: home, a listing, a search near a
postcode, a shortlist handout (My list, on screen and as printed) and the listing editor, desktop and phone.

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
# A GP's shortlist, opened from its share link: a local café, a national phone line and a
# temporarily closed service (printed with no referral route).
SHORTLIST = "/my-list/?list=calder-valley-recovery-cafe,night-owl-recovery-line,leeds-families-together"
NEAR_POSTCODE = "/search/?near=HX1+1RE"  # answered from the site's own postcode files
FROZEN_TIME = "2026-11-24T11:00:00Z"  # a Tuesday morning, so "open now" reads the same every run
# A full-page picture shows what a visitor sees by scrolling: sections the browser skips while they
# are off screen (`content-visibility: auto`, search.css) would otherwise come out blank. Set
# through the CSSOM, which the site's Content-Security-Policy allows (a <style> element it blocks).
DRAW_ALL = """() => { for (const element of document.querySelectorAll("*"))
  if (getComputedStyle(element).contentVisibility === "auto") element.style.contentVisibility = "visible"; }"""


def full_page(tab: object, path: Path) -> Path:
    tab.evaluate(DRAW_ALL)
    tab.screenshot(path=str(path), full_page=True)
    return path


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
                tab.clock.set_fixed_time(FROZEN_TIME)
                for name, path in PAGES.items():
                    tab.goto(base + path, wait_until="networkidle")
                    written.append(full_page(tab, out / f"{name}-{view}.png"))
                tab.goto(base + NEAR_POSTCODE, wait_until="networkidle")
                tab.wait_for_selector("#search-page[data-search-ready]")
                # Fails here (rather than picture an error) if the postcode wasn't found offline.
                tab.wait_for_function("() => !document.getElementById('search-near').getAttribute('aria-invalid')"
                                      " && document.getElementById('search-near-message').textContent !== ''")
                written.append(full_page(tab, out / f"search-near-postcode-{view}.png"))
                tab.goto(base + SHORTLIST, wait_until="networkidle")
                tab.wait_for_selector("#my-list[data-ready]")
                written.append(full_page(tab, out / f"shortlist-handout-{view}.png"))
                if view == "desktop":  # the handout as printed (print media, about A4 wide)
                    tab.set_viewport_size({"width": 794, "height": 1123})
                    tab.emulate_media(media="print")
                    written.append(full_page(tab, out / "shortlist-handout-print.png"))
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
