"""Build a site with the real `pelican` command and serve it on loopback like Netlify does."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_site(
    output: Path,
    *,
    settings: Path | str = ROOT / "pelicanconf.py",
    content: Path | None = None,
    extra: list[str] = (),
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess:
    """Run `pelican` as a subprocess (content defaults to the settings' PATH)."""
    command = [sys.executable, "-m", "pelican"]
    if content is not None:
        command.append(str(content))
    command += ["-s", str(settings), "-o", str(output), "--delete-output-directory", *extra]
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"pelican failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def netlify_headers(path: Path = ROOT / "netlify.toml") -> list[tuple[str, dict[str, str]]]:
    """The [[headers]] rules of netlify.toml as (pattern, values), in file order."""
    if not path.exists():
        return []
    with path.open("rb") as handle:
        config = tomllib.load(handle)
    return [(rule["for"], dict(rule.get("values", {}))) for rule in config.get("headers", [])]


class _Handler(http.server.SimpleHTTPRequestHandler):
    rules: list[tuple[str, dict[str, str]]] = []

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        # Like `netlify dev`: every matching rule applies, a later rule's header replaces an
        # earlier one's (so /embed/* can relax the site-wide frame-ancestors).
        merged: dict[str, str] = {}
        for pattern, values in self.rules:
            if fnmatch(path, pattern) or pattern in (path, "/*"):
                merged.update({name: " ".join(str(value).split()) for name, value in values.items()})
        for name, value in merged.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.exists():  # Netlify serves the site's own 404 page
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextlib.contextmanager
def serve_directory(
    directory: Path, *, headers: list[tuple[str, dict[str, str]]] | None = None
) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (free port) with netlify.toml's headers; yields the base URL."""
    handler = type(
        "Handler", (_Handler,), {"rules": netlify_headers() if headers is None else headers}
    )
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
