"""Geocoding through geopy, into the committed cache (see geocache.py and docs/geocoding.md).

- Locations with a postcode go to postcodes.io (``PostcodesIO``, a geopy ``Geocoder``): one GET
  for a single postcode, the bulk POST endpoint (≤ 100 a request) for more.
- Locations with only an address go to geopy's ``Nominatim`` with ``country_codes="gb"``, the
  app's user agent, and geopy's ``RateLimiter``.
- Every answer is checked before it is cached: a postcode must come back as the postcode that was
  asked for, and the point must be in the UK (the Channel Islands and the Isle of Man are not).
- A failure (no result, HTTP error, timeout, bad JSON, refused connection) is reported in plain
  English and never touches an existing cache entry.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import math
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderRateLimited,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL, NONE_RESULT, Geocoder
from geopy.location import Location

from .clock import today
from .geocache import GeocodeCache, location_query
from .listing.checks import UK_BOUNDS
from .listing.problems import display_path
from .postcodes import normalise_postcode
from .settings import DEFAULTS

logger = logging.getLogger(__name__)

BULK_LIMIT = 100  # postcodes.io refuses bulk requests for more than 100 postcodes
GIVE_UP_AFTER_TIMEOUTS = 3  # consecutive timeouts before a service is left alone for the run
COMMAND = "recovery-directory geocode"

# UK_BOUNDS (from checks.py, shared with the validator) takes in Northern Ireland, Shetland and
# the Isles of Scilly, and also parts of Ireland and the French coast: the country and postcode
# checks below catch those.
# Crown dependencies: not part of the UK. Their boxes contain no UK land.
NOT_UK = (
    ("the Isle of Man", 54.0, 54.45, -4.9, -4.25),
    ("the Channel Islands", 49.15, 49.75, -2.75, -2.0),
)
NOT_UK_COUNTRIES = {"Channel Islands": "the Channel Islands", "Isle of Man": "the Isle of Man"}


def setting(settings: Mapping[str, Any], name: str) -> Any:
    value = settings.get(name)
    return DEFAULTS[name] if value is None else value


def cache_path(settings: Mapping[str, Any]) -> Path:
    """GEOCODE_CACHE_PATH; a relative one is taken from the project folder (the folder holding the
    content folder, PATH), as settings.project_path() does."""
    path = Path(setting(settings, "GEOCODE_CACHE_PATH"))
    if path.is_absolute():
        return path
    if settings.get("PATH"):
        return Path(settings["PATH"]).parent / path
    return path.absolute()


def uk_point_problem(lat: Any, lon: Any) -> str | None:
    """None if (lat, lon) is a point in the UK, else a sentence saying what is wrong with it."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon)):
        return f"({lat!r}, {lon!r}) is not a pair of numbers"
    where = f"({lat:.5f}, {lon:.5f})"
    for name, south, north, west, east in NOT_UK:
        if south <= lat <= north and west <= lon <= east:
            return f"{where} is in {name}, which is not part of the UK"
    b = UK_BOUNDS
    if b["south"] <= lat <= b["north"] and b["west"] <= lon <= b["east"]:
        return None
    hint = ""
    if b["south"] <= lon <= b["north"] and b["west"] <= lat <= b["east"]:
        hint = "; latitude and longitude look swapped"
    return (
        f"{where} is outside the UK (latitude {b['south']} to {b['north']}, longitude {b['west']} to {b['east']}){hint}"
    )


# -- geopy geocoders ---------------------------------------------------------------------------
class JSONPostAdapter(URLLibAdapter):
    """geopy's urllib adapter plus ``post_json``, with geopy's own error translation."""

    def post_json(self, url, payload, *, timeout, headers):
        body = json.dumps(payload).encode("utf-8")
        open_url = self.urlopen

        def open_with_body(request, timeout=None):
            request.data = body
            request.add_header("Content-Type", "application/json")
            return open_url(request, timeout=timeout)

        poster = copy.copy(self)
        poster.urlopen = open_with_body
        return poster.get_json(url, timeout=timeout, headers=headers)


class PostcodeUnusable(GeocoderQueryError):
    """postcodes.io cannot place this postcode: terminated, invalid, or without coordinates."""


class PostcodesIO(Geocoder):
    """postcodes.io (https://postcodes.io): ONS postcode data, with the local authority.

    ``geocode("HX1 1AA")`` returns a geopy ``Location`` whose ``raw`` is postcodes.io's
    ``result`` object, or None for a postcode it does not know. ``geocode_bulk([...])`` looks up
    to 100 postcodes in one request.
    """

    def __init__(
        self,
        *,
        url: str = DEFAULTS["POSTCODES_IO_URL"],
        timeout=DEFAULT_SENTINEL,
        proxies=DEFAULT_SENTINEL,
        user_agent: str | None = None,
        ssl_context=DEFAULT_SENTINEL,
        adapter_factory=JSONPostAdapter,
    ):
        parts = urlsplit(url)
        super().__init__(
            scheme=parts.scheme or None,
            timeout=timeout,
            proxies=proxies,
            user_agent=user_agent,
            ssl_context=ssl_context,
            adapter_factory=adapter_factory,
        )
        self.api = f"{self.scheme}://{parts.netloc}{parts.path.rstrip('/')}"

    def geocode(self, query: str, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL):
        url = f"{self.api}/postcodes/{quote(query.strip(), safe='')}"
        logger.debug("%s.geocode: %s", type(self).__name__, url)
        callback = partial(self._parse_single, query=query, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)

    def geocode_bulk(self, queries: list[str], *, timeout=DEFAULT_SENTINEL):
        """[(query, Location or None)] in the order asked; None = no usable result."""
        queries = list(queries)
        if len(queries) > BULK_LIMIT:
            raise ValueError(f"postcodes.io takes at most {BULK_LIMIT} postcodes a request")
        url = f"{self.api}/postcodes"
        timeout = self.timeout if timeout is DEFAULT_SENTINEL else timeout
        try:
            answer = self.adapter.post_json(url, {"postcodes": queries}, timeout=timeout, headers=dict(self.headers))
            return self._parse_bulk(answer, queries)
        except Exception as error:
            if self._adapter_error_handler(error) is NONE_RESULT:
                return [(query, None) for query in queries]
            raise

    def _geocoder_exception_handler(self, error):
        status = getattr(error, "status_code", None)
        if status != 404:
            return None
        try:
            body = json.loads(error.text or "")
        except ValueError:
            return None  # not postcodes.io's 404 (a wrong URL?): geopy's error stands
        if not isinstance(body, dict):
            return None
        message = str(body.get("error", ""))
        terminated = body.get("terminated")
        if isinstance(terminated, dict):
            raise PostcodeUnusable(_terminated_message(terminated)) from error
        if message == "Postcode not found":
            return NONE_RESULT
        if message == "Invalid postcode":
            raise PostcodeUnusable("postcodes.io says this is not a valid postcode") from error
        return None

    def _parse_single(self, answer, *, query, exactly_one):
        result = _result_of(answer)
        if result is None:
            return None
        location = self._location(result, query)
        return location if exactly_one else [location]

    def _parse_bulk(self, answer, queries):
        results = _result_of(answer)
        if not isinstance(results, list) or len(results) != len(queries):
            raise GeocoderParseError("postcodes.io's bulk answer does not match the request")
        parsed = []
        for query, item in zip(queries, results, strict=True):
            if not isinstance(item, dict):
                raise GeocoderParseError("postcodes.io's bulk answer has an unexpected item")
            result = item.get("result")
            try:
                location = self._location(result, query) if result is not None else None
            except PostcodeUnusable:
                location = None  # a single lookup says why
            parsed.append((query, location))
        return parsed

    @staticmethod
    def _location(result, query):
        if not isinstance(result, dict) or not isinstance(result.get("postcode"), str):
            raise GeocoderParseError("postcodes.io's answer has no postcode in it")
        lat, lon = result.get("latitude"), result.get("longitude")
        if not isinstance(lat, int | float) or not isinstance(lon, int | float):
            raise PostcodeUnusable(
                f"postcodes.io knows {result['postcode']} but has no coordinates for it "
                "(new, or not a geographic postcode)"
            )
        return Location(result["postcode"], (lat, lon), result)


def _result_of(answer):
    if not isinstance(answer, dict) or "result" not in answer:
        raise GeocoderParseError("postcodes.io's answer is not in its usual format")
    return answer["result"]


def _terminated_message(terminated: Mapping[str, Any]) -> str:
    year, month = terminated.get("year_terminated"), terminated.get("month_terminated")
    when = ""
    if isinstance(year, int):
        when = f" in {dt.date(year, month, 1):%B %Y}" if isinstance(month, int) else f" in {year}"
    return (
        f"the postcode was terminated{when} (the ONS no longer uses it); ask the organisation for its current postcode"
    )


def _connection_kwargs(url: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "timeout": float(setting(settings, "GEOCODE_TIMEOUT")),
        "user_agent": setting(settings, "GEOCODER_USER_AGENT"),
    }
    if urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1"):
        kwargs["proxies"] = {}  # never send loopback traffic through a system proxy
    return kwargs


def postcodes_io(settings: Mapping[str, Any]) -> PostcodesIO:
    url = setting(settings, "POSTCODES_IO_URL")
    return PostcodesIO(url=url, **_connection_kwargs(url, settings))


def nominatim(settings: Mapping[str, Any]) -> Nominatim:
    """geopy's Nominatim, its domain and scheme taken from NOMINATIM_URL."""
    url = setting(settings, "NOMINATIM_URL")
    parts = urlsplit(url)
    return Nominatim(
        domain=f"{parts.netloc}{parts.path.rstrip('/')}",
        scheme=parts.scheme or None,
        adapter_factory=URLLibAdapter,
        **_connection_kwargs(url, settings),
    )


# -- filling the cache -------------------------------------------------------------------------
class Progress(Protocol):
    def update(self, n: int = 1) -> Any: ...
    def close(self) -> Any: ...


@dataclass
class GeocodeReport:
    """What fill_cache did: entries added or changed, and queries that failed (with why)."""

    added: dict[str, dict[str, Any]] = field(default_factory=dict)
    updated: dict[str, dict[str, Any]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)  # refreshed, same answer
    cached: list[str] = field(default_factory=list)  # already in the cache, not looked up
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


class _Service:
    """One geocoding service for one run: its rate limit, and whether to keep asking it."""

    def __init__(self, name: str, url: str, settings: Mapping[str, Any]):
        self.name, self.url = name, url
        self.delay = max(0.0, float(setting(settings, "GEOCODE_RATE_LIMIT_SECONDS")))
        self.timeout = float(setting(settings, "GEOCODE_TIMEOUT"))
        self.given_up: str | None = None
        self._timeouts = 0
        # One limiter for every request to the service, whichever method makes it.
        self._limiter = RateLimiter(
            _invoke,
            min_delay_seconds=self.delay,
            max_retries=0,
            error_wait_seconds=self.delay,
            swallow_exceptions=False,
        )

    def call(self, func: Callable[..., Any], *args: Any) -> Any:
        if self.given_up:
            raise _GivenUp(self.given_up)
        try:
            answer = self._limiter(func, *args)
        except GeopyError as error:
            reason = self.describe(error)
            if isinstance(error, GeocoderTimedOut):
                self._timeouts += 1
                if self._timeouts >= GIVE_UP_AFTER_TIMEOUTS:
                    self.given_up = f"not tried: {self.name} timed out {self._timeouts} times"
            elif isinstance(error, GeocoderRateLimited) or _refused(error):
                self.given_up = f"not tried: {reason}"
            raise _Failed(reason) from error
        self._timeouts = 0
        return answer

    def describe(self, error: GeopyError) -> str:
        name = self.name
        if isinstance(error, GeocoderRateLimited):
            wait = error.retry_after
            unit = "second" if wait == 1 else "seconds"
            asked = f" and asked us to wait {wait:g} {unit}" if wait is not None else ""
            return (
                f"{name} is limiting requests (HTTP 429 Too Many Requests){asked}; nothing more "
                "was sent to it in this run, so try again later"
            )
        if isinstance(error, GeocoderTimedOut):
            status = _status(error)
            if status:
                return f"{name} is unavailable or overloaded (HTTP {status}); try again later"
            unit = "second" if self.timeout == 1 else "seconds"
            return f"{name} did not answer within {self.timeout:g} {unit}"
        if isinstance(error, PostcodeUnusable):
            return str(error)
        if isinstance(error, GeocoderParseError):
            return f"{name} sent an answer that is not the JSON it normally sends"
        if _refused(error):
            return f"could not connect to {name} at {self.url} ({_os_reason(error)})"
        status = _status(error)
        if status == 404:
            return f"{name} answered HTTP 404 Not Found at {self.url}: is its URL setting right?"
        if status is not None and status >= 500:
            return f"{name} had a server error (HTTP {status}); try again later"
        if status is not None:
            return f"{name} refused the request (HTTP {status})"
        return f"{name} failed: {error}"


def _invoke(func: Callable[..., Any], *args: Any) -> Any:
    return func(*args)


class _Failed(Exception):
    """A lookup failed; the message is the plain-English reason."""


class _GivenUp(_Failed):
    pass


def _status(error: BaseException) -> int | None:
    cause = error.__cause__
    return getattr(cause, "status_code", None)


def _os_error(error: BaseException) -> OSError | None:
    seen = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        reason = getattr(current, "reason", None)  # urllib's URLError
        if isinstance(reason, OSError):
            return reason
        if isinstance(current, ConnectionError | socket.gaierror):
            return current
        current = current.__cause__ or current.__context__
    return None


def _refused(error: BaseException) -> bool:
    if isinstance(error, GeocoderUnavailable):
        return True
    found = _os_error(error)
    return found is not None and not isinstance(found, TimeoutError)


def _os_reason(error: BaseException) -> str:
    found = _os_error(error)
    if isinstance(found, ConnectionRefusedError):
        return "connection refused"
    if isinstance(found, socket.gaierror):
        return "host name not found"
    return (found.strerror or str(found)).lower() if found else str(error)


def _entry(location: Location, provider: str) -> dict[str, Any]:
    raw = location.raw if isinstance(location.raw, dict) else {}
    codes = raw.get("codes") if isinstance(raw.get("codes"), dict) else {}
    authority = raw.get("admin_district") if provider == "postcodes.io" else None
    code = codes.get("admin_district") if provider == "postcodes.io" else None
    return {
        "date": today().isoformat(),
        "lat": round(float(location.latitude), 6),
        "local_authority": authority if isinstance(authority, str) else None,
        "local_authority_code": code if isinstance(code, str) else None,
        "lon": round(float(location.longitude), 6),
        "provider": provider,
    }


def _check_postcode_answer(query: str, location: Location) -> str | None:
    raw = location.raw
    answered = normalise_postcode(raw.get("postcode", "")) or raw.get("postcode")
    if answered != query:
        return f"postcodes.io answered for {answered!r} when asked for {query!r}; not saved"
    country = NOT_UK_COUNTRIES.get(raw.get("country"))
    if country:
        return f"{query} is in {country}, which is not part of the UK; not saved"
    return _check_point(location, "postcodes.io")


def _check_address_answer(location: Location) -> str | None:
    address = location.raw.get("address") if isinstance(location.raw, dict) else None
    code = address.get("country_code") if isinstance(address, dict) else None
    if isinstance(code, str) and code.lower() != "gb":
        country = address.get("country") or code.upper()
        return (
            f"Nominatim's best match is in {country} (country code {code!r}), not the UK: {location.address}; not saved"
        )
    return _check_point(location, "Nominatim")


def _check_point(location: Location, name: str) -> str | None:
    problem = uk_point_problem(location.latitude, location.longitude)
    return f"{name}'s answer {problem}; not saved" if problem else None


def fill_cache(
    queries: Iterable[str],
    cache: GeocodeCache,
    settings: Mapping[str, Any],
    refresh: bool = False,
    progress: Callable[..., Progress] | None = None,
    *,
    autosave: bool = False,
) -> GeocodeReport:
    """Look up the queries missing from the cache (all of them with ``refresh``) and add them.

    Queries are location_query() keys: a normalised postcode goes to postcodes.io, anything else
    to Nominatim. ``refresh`` looks up existing entries again but leaves "manual" ones alone, and
    an answer that only differs in date leaves the entry as it was. A failure never changes an
    entry. ``progress``, if given, is called as ``progress(total=n)`` and must return something
    with ``update(n)`` and ``close()`` (tqdm does). With ``autosave`` the cache is saved after
    every answer that changed it, so a run that is stopped keeps what it found; otherwise the
    caller saves.
    """
    report = GeocodeReport()
    todo: list[str] = []
    for query in dict.fromkeys(q for q in queries if isinstance(q, str) and q.strip()):
        existing = cache.get(query)
        if existing is not None and (not refresh or existing["provider"] == "manual"):
            report.cached.append(query)
        else:
            todo.append(query)
    if not todo:
        return report

    postcodes = [q for q in todo if normalise_postcode(q) == q]
    addresses = [q for q in todo if normalise_postcode(q) != q]
    bar = progress(total=len(todo)) if progress is not None else None

    def record(query: str, location: Location | None, provider: str, problem: str | None):
        if problem:
            report.failed[query] = problem
        else:
            entry = _entry(location, provider)
            old = cache.get(query)
            if old is None:
                cache.put(query, entry)
                report.added[query] = entry
            elif {**old, "date": None} == {**entry, "date": None}:
                report.unchanged.append(query)
            else:
                cache.put(query, entry)
                report.updated[query] = entry
        if bar is not None:
            bar.update(1)

    def checkpoint() -> None:
        if autosave:
            cache.save()  # writes only if something changed

    try:
        if postcodes:
            _fill_postcodes(postcodes, settings, record, checkpoint)
        if addresses:
            _fill_addresses(addresses, settings, record, checkpoint)
    finally:
        if bar is not None:
            bar.close()
        if autosave:
            cache.save()
    return report


def _fill_postcodes(postcodes: list[str], settings: Mapping[str, Any], record, checkpoint) -> None:
    geocoder = postcodes_io(settings)
    service = _Service("postcodes.io", setting(settings, "POSTCODES_IO_URL"), settings)

    def single(query: str) -> None:
        try:
            location = service.call(geocoder.geocode, query)
        except _Failed as failure:
            record(query, None, "postcodes.io", str(failure))
            return
        if location is None:
            problem = "postcodes.io has no record of this postcode; check it on the listing"
            record(query, None, "postcodes.io", problem)
        else:
            record(query, location, "postcodes.io", _check_postcode_answer(query, location))

    with geocoder:
        if len(postcodes) == 1:
            single(postcodes[0])
            checkpoint()
            return
        for start in range(0, len(postcodes), BULK_LIMIT):
            chunk = postcodes[start : start + BULK_LIMIT]
            try:
                answers = service.call(geocoder.geocode_bulk, chunk)
            except _Failed as failure:
                for query in chunk:
                    record(query, None, "postcodes.io", str(failure))
                continue
            for query, location in answers:
                if location is None:
                    single(query)  # one more request, to say why (unknown, terminated, ...)
                else:
                    record(query, location, "postcodes.io", _check_postcode_answer(query, location))
            checkpoint()


def _fill_addresses(addresses: list[str], settings: Mapping[str, Any], record, checkpoint) -> None:
    geocoder = nominatim(settings)
    service = _Service("Nominatim", setting(settings, "NOMINATIM_URL"), settings)
    lookup = partial(geocoder.geocode, exactly_one=True, addressdetails=True, country_codes="gb")
    with geocoder:
        for query in addresses:
            try:
                location = service.call(lookup, query)
            except _Failed as failure:
                record(query, None, "nominatim", str(failure))
                continue
            if location is None:
                problem = "Nominatim found no place in the UK for this address; check it"
                record(query, None, "nominatim", problem)
            else:
                record(query, location, "nominatim", _check_address_answer(location))
            checkpoint()


# -- the build ---------------------------------------------------------------------------------
def listing_queries(listings: Iterable[tuple[Any, Mapping[str, Any]]]) -> dict[str, list[str]]:
    """{query: [listing paths that need it]} for every location that needs geocoding."""
    found: dict[str, list[str]] = {}
    for path, data in listings:
        for location in (data or {}).get("locations") or []:
            query = location_query(location)
            if query:
                found.setdefault(query, [])
                if str(path) not in found[query]:
                    found[query].append(str(path))
    return found


def location_point(location: Mapping[str, Any], cache: GeocodeCache) -> tuple[float, float] | None:
    """(lat, lon) for a location: its own ``coordinates`` if set (cache not consulted), else the
    cache's entry for its query, else None (published without a pin)."""
    coordinates = location.get("coordinates") if isinstance(location, Mapping) else None
    if isinstance(coordinates, Mapping):
        return float(coordinates["lat"]), float(coordinates["lon"])
    entry = cache.get(location_query(location))
    return (entry["lat"], entry["lon"]) if entry else None


def prepare_build_cache(settings: Mapping[str, Any], listings: Iterable[tuple[Any, Mapping[str, Any]]]) -> GeocodeCache:
    """The cache the build reads. With GEOCODE_ONLINE it first fills gaps for these listings and
    saves; by default it never touches the network. Each location still missing from the cache
    gets a warning naming its file and the command that fixes it (it is published without a pin).
    """
    cache = GeocodeCache(cache_path(settings))
    needed = listing_queries(listings)
    if setting(settings, "GEOCODE_ONLINE"):
        report = fill_cache(list(needed), cache, settings)
        cache.save()
        for query, reason in report.failed.items():
            logger.warning("Geocoding %r failed: %s", query, reason)
    # A warning fails CI builds (`--fatal warnings`); GEOCODE_ALLOW_MISSING makes gaps informational.
    level = logging.INFO if setting(settings, "GEOCODE_ALLOW_MISSING") else logging.WARNING
    for query, paths in needed.items():
        if query not in cache:
            for path in paths:
                logger.log(
                    level,
                    "%s: %r is not in the geocoding cache, so this location has no map pin. "
                    "Run `%s %s` and commit %s, or add `coordinates:` to the location.",
                    display_path(path),
                    query,
                    COMMAND,
                    display_path(path),
                    display_path(cache.path),
                )
    return cache
