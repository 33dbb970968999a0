"""`make serve`'s server (python -m recovery_directory.preview): the built site with netlify.toml's
headers, and the site's own 404 page for an unknown address, as Netlify answers."""

from __future__ import annotations

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
