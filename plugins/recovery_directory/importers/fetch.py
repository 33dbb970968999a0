"""Read an import source: a local file, or a web address fetched politely.

Like the geocoders: the user agent, timeout and retries come from the settings (IMPORT_*), so
tests point imports at loopback servers answering with recorded responses. A slow or failing
server is retried a few times (honouring Retry-After) before the import stops with a plain error.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MAX_BYTES = 200 * 1024 * 1024  # a whole country's meeting list is a few MB
RETRY_STATUSES = {429, 500, 502, 503, 504}


class SourceError(Exception):
    """The source can't be read at all (missing file, server down, not JSON)."""


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def normal_url(url: str) -> str:
    """One way of writing a web address: scheme and host in lower case, no default port, no
    trailing slash or #fragment. Listings record their source this way, so the same feed typed
    differently next time ("HTTPS://Example.org/feed/") still finds them."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        return url  # not an address we can tidy; fetching it will say what is wrong
    if port and port != default:
        host = f"{host}:{port}"
    if parts.username or parts.password:
        return url  # keep credentials exactly as given
    return urlunsplit((parts.scheme.lower(), host, parts.path.rstrip("/"), parts.query, ""))


def resolve(source: str, settings: Mapping[str, Any]) -> tuple[str, str]:
    """(where to read, what to record). A name from IMPORT_SOURCES stands for its web address or
    file. A file is read by its absolute path and recorded relative to the project folder when it
    is inside it, so its listings are matched again whichever folder the next import runs from."""
    source = str((settings.get("IMPORT_SOURCES") or {}).get(source, source))
    if is_url(source):
        return source, source
    path = Path(source).resolve()
    project = Path(settings["PATH"]).resolve().parent if settings.get("PATH") else Path.cwd()
    try:
        return str(path), path.relative_to(project).as_posix()
    except ValueError:
        return str(path), path.as_posix()


def read_bytes(source: str, settings: Mapping[str, Any]) -> bytes:
    if is_url(source):
        return fetch(source, settings)
    path = Path(source)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise SourceError(f"{source}: can't read the file ({error.strerror or error}).") from None
    if len(data) > MAX_BYTES:
        raise SourceError(f"{source}: the file is larger than {MAX_BYTES // 1024 // 1024} MB.")
    return data


def read_json(source: str, settings: Mapping[str, Any]) -> Any:
    return parse_json(read_bytes(source, settings), source)


def parse_json(data: bytes, source: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SourceError(f"{source}: is not UTF-8 text, so it can't be JSON.") from None
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{source}: is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}). "
            "Check that the address gives the feed itself, not a web page about it."
        ) from None


def fetch(url: str, settings: Mapping[str, Any]) -> bytes:
    """GET `url`; retry timeouts, dropped connections, 429 and 5xx; raise SourceError in the end."""
    attempts = max(1, int(settings.get("IMPORT_RETRIES", 3)) + 1)
    wait = float(settings.get("IMPORT_RETRY_WAIT", 2.0))
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": str(settings.get("IMPORT_USER_AGENT") or settings.get("GEOCODER_USER_AGENT")),
            "Accept": "application/json, text/csv;q=0.9, */*;q=0.5",
        },
    )
    problem = ""
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(request, timeout=float(settings.get("IMPORT_TIMEOUT", 30))) as reply:  # noqa: S310 - http(s) only (is_url)
                data = reply.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise SourceError(f"{url}: the answer is larger than {MAX_BYTES // 1024 // 1024} MB.")
            return data
        except urllib.error.HTTPError as error:
            if error.code not in RETRY_STATUSES:
                raise SourceError(f"{url}: the server answered {error.code} {error.reason}.") from None
            problem = f"the server answered {error.code} {error.reason}"
            delay = _retry_after(error.headers.get("Retry-After"), wait * 2**attempt)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            problem = (
                "it did not answer in time"
                if isinstance(reason, TimeoutError)
                else f"it could not be reached ({reason})"
            )
            delay = wait * 2**attempt
        if attempt + 1 < attempts:
            time.sleep(delay)
    raise SourceError(f"{url}: {problem}, {attempts} times. Try again later, or download the file and import that.")


def _retry_after(header: str | None, default: float) -> float:
    try:
        return min(float(header), 60.0) if header else default
    except ValueError:
        return default
