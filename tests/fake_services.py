"""Real HTTP servers on 127.0.0.1 that stand in for outside services in tests.

A ``FakeService`` answers each request from a route table and records every request it gets::

    with FakeService({"GET /postcodes/HX11RE": Reply.recording(path)}) as service:
        settings["POSTCODES_IO_URL"] = service.url
        ...
        assert service.requests[0].path == "/postcodes/HX11RE"

Route keys are ``"METHOD /path"`` (the path without its query string). A key ending in ``*``
matches any path that starts with what comes before it; ``"*"`` alone matches anything. Exact
keys win over prefixes, longer prefixes over shorter ones. A route's value is:

- a ``Reply`` (status, body, headers; it can also wait first, stall until the service stops,
  or send a body that isn't valid JSON);
- a list of replies, used in turn (the last one repeats);
- or a function ``(Request) -> Reply`` (``None`` means "no route": 404).

Every reply carries ``Access-Control-Allow-Origin: *`` (as postcodes.io's do), and OPTIONS
preflights are answered, so browser tests can use the same servers.

``postcodes_io_routes()`` and ``nominatim_routes()`` build route tables that answer like those
services from the recorded responses in ``tests/recordings/``.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

RECORDINGS = Path(__file__).parent / "recordings"


@dataclass
class Request:
    """One request as the fake service received it."""

    method: str
    target: str  # path and query string, as sent
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def path(self) -> str:
        return unquote(urlsplit(self.target).path)

    @property
    def query(self) -> dict[str, str]:
        """Query parameters (the first value of each)."""
        return {k: v[0] for k, v in parse_qs(urlsplit(self.target).query).items()}

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Reply:
    """What to answer. ``body``: bytes/str sent as they are, anything else as JSON."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    stall: bool = False  # never answer; the connection is dropped when the service stops
    content_type: str = "application/json; charset=utf-8"

    @classmethod
    def recording(cls, path: str | Path, status: int | None = None, **kwargs: Any) -> Reply:
        """A recorded response file. The status defaults to the body's own ``"status"`` field
        (postcodes.io puts it there), else 200."""
        path = Path(path)
        if not path.is_absolute() and not path.exists():
            path = RECORDINGS / path
        body = path.read_bytes()
        if status is None:
            try:
                data = json.loads(body)
            except ValueError:
                data = None
            found = data.get("status") if isinstance(data, dict) else None
            status = found if isinstance(found, int) else 200
        return cls(status=status, body=body, **kwargs)

    @classmethod
    def malformed(cls, status: int = 200) -> Reply:
        """A reply that claims to be JSON but is cut off half-way."""
        return cls(status=status, body=b'{"status": 200, "result": [{"query": "HX1 1R')

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


Route = Reply | list[Reply] | Callable[[Request], "Reply | None"]


class FakeService:
    """A loopback HTTP server on a free port; use as a context manager or start()/stop()."""

    def __init__(self, routes: Mapping[str, Route] | None = None, *, host: str = "127.0.0.1"):
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Request] = []
        self.host = host
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._served: dict[str, int] = {}  # route key → replies given (for lists of replies)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeService:
        service = self

        class Handler(_Handler):
            fake = service

        self._stopping.clear()
        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases stalled handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeService:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the fake service is not running")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Base URL, no trailing slash: http://127.0.0.1:PORT"""
        return f"http://{self.host}:{self.port}"

    # -- routing -------------------------------------------------------------------------------
    def route(self, key: str, reply: Route) -> None:
        with self._lock:
            self.routes[key] = reply
            self._served.pop(key, None)

    def requests_to(self, method: str, path_prefix: str = "/") -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until at least ``count`` requests have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def _reply_for(self, request: Request) -> Reply:
        with self._lock:
            key = self._match(request)
            if key is None:
                return Reply(404, {"status": 404, "error": "Resource not found"})
            route = self.routes[key]
            if isinstance(route, list):
                index = self._served.get(key, 0)
                self._served[key] = index + 1
                return route[min(index, len(route) - 1)]
        if isinstance(route, Reply):
            return route
        reply = route(request)
        return reply if reply is not None else Reply(404, {"status": 404, "error": "Not found"})

    def _match(self, request: Request) -> str | None:
        exact = f"{request.method} {request.path}"
        if exact in self.routes:
            return exact
        prefixes = [key for key in self.routes if key.endswith("*") and (key == "*" or exact.startswith(key[:-1]))]
        return max(prefixes, key=len) if prefixes else None


class _Handler(BaseHTTPRequestHandler):
    fake: FakeService
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        self.fake.requests.append(request)
        if self.command == "OPTIONS":
            reply = Reply(
                204,
                headers={
                    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Content-Type",
                },
            )
        else:
            reply = self.fake._reply_for(request)
        if reply.stall:
            self.fake._stopping.wait()
            self.close_connection = True
            return
        if reply.delay and self.fake._stopping.wait(reply.delay):
            self.close_connection = True
            return
        payload = reply.encoded()
        try:
            self.send_response(reply.status)
            headers = {
                "Content-Type": reply.content_type,
                "Content-Length": str(len(payload)),
                "Access-Control-Allow-Origin": "*",
                **reply.headers,
            }
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _handle


def refused_url() -> str:
    """The URL of a loopback port that nothing listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- services answering from recordings --------------------------------------------------------
def compact_postcode(text: str) -> str:
    return "".join(text.split()).upper()


def postcodes_io_routes(recordings: str | Path = RECORDINGS / "postcodes_io") -> dict[str, Route]:
    """Routes answering like api.postcodes.io from recorded responses.

    ``GET /postcodes/{pc}`` serves ``<recordings>/<PC without spaces>.json`` (any case, any
    spacing), else the recorded "Invalid postcode" 404 for a badly shaped one, else the recorded
    "Postcode not found" 404. ``POST /postcodes`` answers ``{"postcodes": [...]}`` the way the
    service does: each item's ``result`` from that postcode's recording, ``null`` when the
    recording is a 404; more than 100 postcodes or a non-array give the service's 400s.
    """
    folder = Path(recordings)

    def single(postcode: str) -> tuple[int, bytes]:
        file = folder / f"{compact_postcode(postcode)}.json"
        if file.exists():
            reply = Reply.recording(file)
        elif _looks_like_postcode(postcode):
            reply = Reply.recording(folder / "error_postcode_not_found.json")
        else:
            reply = Reply.recording(folder / "error_invalid_postcode.json")
        return reply.status, reply.encoded()

    def lookup(request: Request) -> Reply:
        status, body = single(request.path.removeprefix("/postcodes/"))
        return Reply(status, body)

    def bulk(request: Request) -> Reply:
        try:
            postcodes = request.json().get("postcodes")
        except (ValueError, AttributeError):
            postcodes = None
        if not isinstance(postcodes, list):
            return Reply.recording(folder / "error_bulk_not_array.json")
        if len(postcodes) > 100:
            return Reply.recording(folder / "error_bulk_too_many.json")
        result = []
        for postcode in postcodes:
            status, body = single(str(postcode))
            found = json.loads(body).get("result") if status == 200 else None
            result.append({"query": postcode, "result": found})
        return Reply(200, {"status": 200, "result": result})

    return {"GET /postcodes/*": lookup, "POST /postcodes": bulk}


def _looks_like_postcode(text: str) -> bool:
    return bool(re.match(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", text.strip().upper()))


def nominatim_routes(
    answers: Mapping[str, str | Path | Reply],
    recordings: str | Path = RECORDINGS / "nominatim",
) -> dict[str, Route]:
    """Routes answering like Nominatim's ``/search``: ``answers`` maps the ``q`` asked for to a
    recording file name (in ``recordings``) or a Reply; anything else gets the recorded ``[]``."""
    folder = Path(recordings)

    def search(request: Request) -> Reply:
        answer = answers.get(request.query.get("q", ""), "search_no_result.json")
        return answer if isinstance(answer, Reply) else Reply.recording(folder / answer)

    return {"GET /search": search}
