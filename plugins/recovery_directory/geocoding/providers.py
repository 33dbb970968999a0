"""The online geocoders, through geopy: postcodes.io (``PostcodesIO``, a geopy ``Geocoder``: one
GET for a single postcode, the bulk POST endpoint for up to 100) and geopy's ``Nominatim`` for
addresses (``country_codes="gb"``, the app's user agent). Base URLs are settings, so tests point
them at loopback servers. Postcodes are answered offline first (offline.py); these fill the gaps
and cross-check.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
from collections.abc import Mapping
from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderParseError, GeocoderQueryError
from geopy.geocoders import Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL, NONE_RESULT, Geocoder
from geopy.location import Location

from ..settings import DEFAULTS
from .common import setting

logger = logging.getLogger(__name__)

BULK_LIMIT = 100  # postcodes.io refuses bulk requests for more than 100 postcodes


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
