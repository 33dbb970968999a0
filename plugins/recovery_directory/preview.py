"""Serve a built site on 127.0.0.1 the way Netlify does: netlify.toml's [[headers]] and the site's
own 404 page. For `make serve`, tests, benchmarks and screenshots, which must see the real
security headers; not a production server.

`python -m recovery_directory.preview output --port 8000` serves until Ctrl+C."""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
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
    # Keep connections open (HTTP/1.1; every answer has a Content-Length) and send each answer at
    # once: with Nagle's algorithm a response's headers and body, written separately, wait for the
    # browser's delayed acknowledgement, ~40 ms per file on loopback, which no real host adds.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:  # keep test and benchmark output quiet
        pass

    def end_headers(self) -> None:
        for name, value in headers_for(self.path.split("?", 1)[0], self.rules).items():
            self.send_header(name, value)
        super().end_headers()

    def list_directory(self, path: str) -> None:
        # A folder without an index.html: Netlify lists nothing, it answers with the 404 page.
        self.send_error(404)
        return None

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
def serve_directory(directory: Path, *, headers: HeaderRules | None = None, port: int = 0) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (`port`, or a free one) with `headers` (default: netlify.toml's);
    yields the base URL, without a trailing slash."""
    server = _server(directory, headers, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser closing a kept-open connection (a tab or test closed) is not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _server(directory: Path, headers: HeaderRules | None, port: int) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"rules": netlify_headers() if headers is None else headers})
    return _Server(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recovery_directory.preview", description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="the built site, e.g. output")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").is_file():
        parser.exit(1, f"{args.directory}/index.html is missing: build the site first (make build).\n")
    try:
        server = _server(args.directory, None, args.port)
    except OSError as error:
        parser.exit(1, f"Port {args.port} is not free ({error.strerror}): try another, e.g. PORT=8080 make serve.\n")
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
