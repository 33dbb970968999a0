"""Serve a built site on 127.0.0.1 the way Netlify does: netlify.toml's [[headers]] and the site's
own 404 page. For tests, benchmarks and screenshots, which must see the real security headers;
not a production server."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

NETLIFY_TOML = Path(__file__).resolve().parents[2] / "netlify.toml"

HeaderRules = list[tuple[str, dict[str, str]]]


def netlify_headers(path: Path = NETLIFY_TOML) -> HeaderRules:
    """The [[headers]] rules of netlify.toml as (pattern, values), in file order."""
    if not path.exists():
        return []
    with path.open("rb") as handle:
        config = tomllib.load(handle)
    return [(rule["for"], dict(rule.get("values", {}))) for rule in config.get("headers", [])]


def headers_for(path: str, rules: HeaderRules) -> dict[str, str]:
    """Like `netlify dev`: every matching rule applies, a later rule's header replacing an earlier
    one's (so /embed/* can relax the site-wide frame-ancestors). Multi-line values become one line."""
    merged: dict[str, str] = {}
    for pattern, values in rules:
        if fnmatch(path, pattern) or pattern in (path, "/*"):
            merged.update({name: " ".join(str(value).split()) for name, value in values.items()})
    return merged


class _Handler(http.server.SimpleHTTPRequestHandler):
    rules: HeaderRules = []

    def log_message(self, *args: object) -> None:  # keep test and benchmark output quiet
        pass

    def end_headers(self) -> None:
        for name, value in headers_for(self.path.split("?", 1)[0], self.rules).items():
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
def serve_directory(directory: Path, *, headers: HeaderRules | None = None) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) with `headers` (default: netlify.toml's);
    yields the base URL, without a trailing slash."""
    handler = type("Handler", (_Handler,), {"rules": netlify_headers() if headers is None else headers})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
