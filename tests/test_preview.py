"""`make serve`'s server (python -m recovery_directory.preview): the built site with netlify.toml's
headers, and the site's own 404 page for an unknown address, as Netlify answers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fake_services import refused_url


@pytest.fixture
def served(sample_site: Path) -> Iterator[str]:
    """The sample site served by the same command `make serve` runs, on a free port."""
    url = refused_url()  # a port nothing listens on
    port = url.rsplit(":", 1)[1]
    command = [sys.executable, "-m", "recovery_directory.preview", str(sample_site), "--port", port]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except urllib.error.URLError:
                assert process.poll() is None, process.stderr.read()
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_pages_come_with_the_production_headers(served: str) -> None:
    status, headers, body = fetch(served + "/")
    assert status == 200
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert BeautifulSoup(body, "html.parser").title.get_text(strip=True)


@pytest.mark.parametrize("address", ["/no-such-organisation/", "/theme/", "/vendor/"])
def test_an_unknown_address_gets_the_sites_own_404_page(served: str, sample_site: Path, address: str) -> None:
    """Folders without an index.html (the theme's, the vendored libraries') are not listed either."""
    status, headers, body = fetch(served + address)
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in headers
    expected = BeautifulSoup((sample_site / "404.html").read_bytes(), "html.parser")
    page = BeautifulSoup(body, "html.parser")
    assert page.h1 is not None and page.h1.get_text(strip=True) == expected.h1.get_text(strip=True)


def test_a_busy_port_is_explained(served: str, sample_site: Path) -> None:
    port = served.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "recovery_directory.preview", str(sample_site), "--port", port],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert f"Port {port} is not free" in result.stderr and "PORT=8080 make serve" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unbuilt_site_is_explained(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "recovery_directory.preview", str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1 and "build the site first (make build)" in result.stderr


def test_make_serve_builds_a_saved_edit_and_keeps_the_site_when_a_listing_breaks(tmp_path: Path) -> None:
    """`make serve`'s watch (--rebuild, --watch): saving an edit builds the site again into the
    served folder; saving a broken listing prints what to fix and leaves the site as it was."""
    import queue
    import threading

    from site_tools import build_site
    from temp_project import listing_paths, make_project

    settings = make_project(tmp_path / "project")
    site = tmp_path / "site"
    build_site(site, settings=settings)
    listing = next(path for path in listing_paths(settings.parent) if path.stem == "calder-valley-recovery-cafe")
    page = site / "organisations" / listing.stem / "index.html"
    command = [sys.executable, "-m", "recovery_directory.preview", str(site), "--port", "0",
               "--rebuild", str(settings), "--watch", str(settings.parent / "content"), str(settings)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    seen: list[str] = []

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                assert process.poll() is None, "".join(seen)
                continue
            if text in seen[-1]:
                return
        raise AssertionError(f"never printed {text!r}:\n{''.join(seen)}")

    def shown_summary(url: str) -> str:
        status, _, body = fetch(f"{url}/organisations/{listing.stem}/")
        assert status == 200
        return BeautifulSoup(body, "html.parser").get_text(" ", strip=True)

    try:
        wait_for("Serving ")
        url = seen[-1].split(" on ", 1)[1].split("/ ", 1)[0]
        wait_for("Watching ")
        source = listing.read_text(encoding="utf-8")
        edited = source.replace("\nsummary: ", "\nsummary: Saved while serving. ", 1)
        assert edited != source
        listing.write_text(edited, encoding="utf-8")
        wait_for("Built again in ")
        assert "Saved while serving." in shown_summary(url)

        before = page.read_bytes()
        listing.write_text(edited.replace("\nname: ", "\nnmae: ", 1), encoding="utf-8")  # a typo'd key
        wait_for("The build stopped")
        output = "".join(seen)
        assert f"{listing.name}:" in output and "name" in output and "Traceback" not in output
        assert page.read_bytes() == before and "Saved while serving." in shown_summary(url)

        # Fixed; then a change outside the content folder (the settings) starts the warm builder
        # again (warm_builds.py) and the next build has the new setting. Saved as many editors
        # save, a new file renamed over the old, twice: the second must be seen too.
        listing.write_text(edited, encoding="utf-8")
        wait_for("Built again in ")
        original = settings.read_text(encoding="utf-8")
        for name in ("Renamed While Serving", "Renamed Again"):
            saved = settings.with_name(".settings.tmp")
            saved.write_text(original + f'\nSITENAME = "{name}"\n', encoding="utf-8")
            os.replace(saved, settings)
            wait_for("Built again in ")
            assert name in shown_summary(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
