"""Serve a built site on 127.0.0.1 the way Netlify does: netlify.toml's [[headers]] and the site's
own 404 page. For `make serve`, tests, benchmarks and screenshots, which must see the real
security headers; not a production server.

`python -m recovery_directory.preview output --port 8000` serves until Ctrl+C. With
`--rebuild SETTINGS --watch PATH ...` (`make serve`) it also builds the site again into the same
folder whenever a watched file changes: only what changed is written (the build cache), the
folder ends as a build into an empty one would leave it (output_manifest.py), and a build that
stops on a listing's problem leaves the last site served, as it was."""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import logging
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

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


def rebuild_on_changes(
    directory: Path, settings: Path, watched: list[Path], stop: threading.Event | None = None
) -> None:
    """Build the site into `directory` again after each batch of changes under `watched` (until
    `stop` is set), saying how it went. Editors' swap files, __pycache__ and .git are ignored.
    Builds fork a process that has imported Pelican and the plugin already (warm_builds.py),
    started again after any change outside the content folder."""
    from watchfiles import watch  # Pelican's own dependency, for its --autoreload

    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # not "KeyboardInterrupt caught" on Ctrl+C

    from .warm_builds import WarmBuilder

    builder = WarmBuilder(settings, directory)
    builder.start()  # it imports while the first edit is awaited
    content = content_folder(settings)
    announced = False
    try:
        while True:
            # A watched file saved by renaming a new one over it (many editors do) is a new file
            # the watch doesn't see: the watch starts again on it after the build.
            while not all(path.exists() for path in watched):  # mid-save: wait for it
                if stop is not None and stop.is_set():
                    return
                time.sleep(0.2)
            files = _file_identities(watched)
            # An empty batch every half second: the first says the watch has started (a change
            # saved before it would be missed), the others check for replaced files.
            for changes in watch(*watched, stop_event=stop, raise_interrupt=False, rust_timeout=500,
                                 yield_on_timeout=True):
                if not announced:
                    announced = True
                    shown = ", ".join(str(path) for path in watched)
                    print(f"Watching {shown}: the site is built again when you save a change.", flush=True)
                replaced = [path for path, identity in _file_identities(watched).items() if files[path] != identity]
                paths = {path for _, path in changes} | {str(path) for path in replaced}
                if not paths:
                    continue
                names = changed_names(changes) or sorted(path.name for path in replaced)
                if content is None or not all(_inside(path, content) for path in paths):
                    builder.restart()  # code, templates, settings or schema: import them afresh
                    content = content_folder(settings)
                build_and_say(builder, names)
                if replaced:
                    break
            else:
                return  # stopped, or Ctrl+C
    finally:
        builder.stop()


def build_and_say(builder: Any, names: list[str]) -> None:
    """One build after a change to the files `names`, and how it went, in the terminal."""
    shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
    print(f"\nChanged: {shown}. Building the site again...", flush=True)
    started = time.monotonic()
    code, _ = builder.build()  # its messages go straight to this terminal
    if code == 0:
        print(f"Built again in {time.monotonic() - started:.1f} s: reload the page to see it.", flush=True)
    else:
        print("The build stopped (the messages above say why): fix it and save again. Until then the site "
              "served is the last one built, apart from any pages this build wrote before it stopped.", flush=True)


def _file_identities(watched: list[Path]) -> dict[Path, tuple[int, int] | None]:
    """Each watched file's device and inode (None if missing), to notice it replaced."""
    identities: dict[Path, tuple[int, int] | None] = {}
    for path in watched:
        if not path.is_dir():
            try:
                stat = path.stat()
                identities[path] = (stat.st_dev, stat.st_ino)
            except OSError:
                identities[path] = None
    return identities


def content_folder(settings: Path) -> Path | None:
    """The settings' content folder (PATH), None if the settings can't be read now (the build
    will say why)."""
    try:
        from pelican.settings import read_settings

        return Path(read_settings(str(settings))["PATH"]).resolve()
    except (Exception, SystemExit):  # noqa: BLE001 - any mistake in the settings file
        return None


def _inside(path: str, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder)


def changed_names(changes: set[tuple[Any, str]]) -> list[str]:
    """The names of the files a batch changed, less an editor's temporary files: one made and gone
    again within the batch (saved to a temporary name, then renamed over the file)."""
    from watchfiles import Change

    added = {path for change, path in changes if change == Change.added}
    gone = {path for change, path in changes if change == Change.deleted}
    return sorted({Path(path).name for _, path in changes if not (path in added and path in gone)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recovery_directory.preview", description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="the built site, e.g. output")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    parser.add_argument("--rebuild", type=Path, metavar="SETTINGS",
                        help="build the site again with this settings file when a --watch path changes")
    parser.add_argument("--watch", type=Path, nargs="+", default=[], metavar="PATH",
                        help="files and folders whose changes start a build (with --rebuild)")
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").is_file():
        parser.exit(1, f"{args.directory}/index.html is missing: build the site first (make build).\n")
    if bool(args.rebuild) != bool(args.watch):
        parser.error("--rebuild and --watch go together: the settings to build with, and what to watch")
    if missing := [str(path) for path in args.watch if not path.exists()]:
        parser.error(f"nothing to watch at {', '.join(missing)}")
    try:
        server = _server(args.directory, None, args.port)
    except OSError as error:
        parser.exit(1, f"Port {args.port} is not free ({error.strerror}): try another, e.g. PORT=8080 make serve.\n")
    with server, contextlib.suppress(KeyboardInterrupt):
        print(f"Serving {args.directory} on http://localhost:{server.server_address[1]}/ (Ctrl+C to stop)", flush=True)
        if not args.rebuild:
            server.serve_forever()
            return 0
        threading.Thread(target=server.serve_forever, daemon=True).start()
        rebuild_on_changes(args.directory, args.rebuild, args.watch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
