"""Filling the committed cache (``recovery-directory geocode``): what the offline postcode data
can't answer. Addresses without a postcode go to Nominatim; a postcode the ONS data knows but can't
place (no grid reference) goes to postcodes.io. Every answer is checked before it is cached (the
postcode asked for, a point in the UK) and a failure (no result, HTTP error, timeout, bad JSON,
refused connection) is reported in plain English and never touches an existing entry.
"""

from __future__ import annotations

import math
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from geopy.exc import GeocoderParseError, GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from ..clock import today
from ..postcodes import normalise_postcode
from .cache import GeocodeCache
from .common import NOT_UK_COUNTRIES, setting, uk_point_problem
from .offline import ONSPostcodes
from .providers import BULK_LIMIT, PostcodeUnusable, nominatim, postcodes_io

GIVE_UP_AFTER_TIMEOUTS = 3  # consecutive timeouts before a service is left alone for the run


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
    offline: list[str] = field(default_factory=list)  # postcodes the ONS data places: never cached
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
    offline: bool = True,
) -> GeocodeReport:
    """Look up the queries missing from the cache (all of them with ``refresh``) and add them.

    Queries are location_query() keys. A postcode the offline ONS data places needs no entry and
    is left alone; any other postcode goes to postcodes.io, anything else to Nominatim.
    ``refresh`` looks up existing entries again but leaves "manual" ones alone, and an answer
    that only differs in date leaves the entry as it was. A failure never changes an entry.
    ``progress``, if given, is called as ``progress(total=n)`` and must return something with
    ``update(n)`` and ``close()`` (tqdm does). With ``autosave`` the cache is saved after every
    answer that changed it, so a run that is stopped keeps what it found; otherwise the caller
    saves. ``offline=False`` asks postcodes.io about every postcode (for ``cross_check``).
    """
    report = GeocodeReport()
    todo: list[str] = []
    queries = list(dict.fromkeys(q for q in queries if isinstance(q, str) and q.strip()))
    placed = ONSPostcodes().geocode_many(q for q in queries if normalise_postcode(q) == q) if offline else {}
    report.offline = [q for q in queries if q in placed]
    for query in (q for q in queries if q not in placed):
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
        not_found = "postcodes.io has no record of this postcode; check it on the listing"
        check = partial(_check_postcode_answer, query)
        _look_up(service, geocoder.geocode, query, "postcodes.io", not_found, check, record)

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
        not_found = "Nominatim found no place in the UK for this address; check it"
        for query in addresses:
            _look_up(service, lookup, query, "nominatim", not_found, _check_address_answer, record)
            checkpoint()


def _look_up(service: _Service, call, query: str, provider: str, not_found: str, check, record) -> None:
    """One lookup through `service`, recorded as an answer (checked by `check`) or a failure."""
    try:
        location = service.call(call, query)
    except _Failed as failure:
        record(query, None, provider, str(failure))
        return
    if location is None:
        record(query, None, provider, not_found)
    else:
        record(query, location, provider, check(location))


AGREE_WITHIN_METRES = 100


def cross_check(queries: Iterable[str], settings: Mapping[str, Any]) -> tuple[list[str], dict[str, str], int]:
    """Ask postcodes.io about the postcodes among `queries` that the offline data places, and
    compare: (a sentence for each postcode where the two disagree by more than 100 m or on the
    local authority, {postcode: why postcodes.io couldn't answer}, how many were asked about).
    Nothing is cached."""
    from tempfile import TemporaryDirectory

    offline = ONSPostcodes().geocode_many(dict.fromkeys(queries))
    with TemporaryDirectory() as scratch:
        online = GeocodeCache(f"{scratch}/cross-check.json")  # in memory only: never saved
        report = fill_cache(list(offline), online, settings, offline=False)
    disagreements = []
    for postcode, entry in report.added.items():
        ours = offline[postcode]
        apart = metres_apart((ours.latitude, ours.longitude), (entry["lat"], entry["lon"]))
        code = ours.raw["local_authority_code"]
        if apart > AGREE_WITHIN_METRES:
            disagreements.append(f"{postcode}: postcodes.io puts it {apart:,.0f} m from the ONS data's point")
        if entry["local_authority_code"] != code:
            disagreements.append(
                f"{postcode}: postcodes.io says {entry['local_authority_code']}, the ONS data {code}"
            )
    return disagreements, report.failed, len(offline)


def metres_apart(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
