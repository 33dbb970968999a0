"""What every export shares: absolute URLs, the data date and the licence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from ..directory import Directory
from ..listing.schema import schema_version

SCHEMA_PATH = "schema/organisation.schema.json"
LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "id": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Recovery Directory contributors",
}


class BuildDateError(ValueError):
    pass


@dataclass(frozen=True)
class ExportContext:
    """The little a build adds to the listings: where the site lives and the data's date."""

    site_url: str = ""  # SITEURL without a trailing slash; "" for local builds
    build_date: dt.date | None = None

    def url(self, path: str) -> str:
        """Absolute when SITEURL is set; otherwise root-relative (local builds have no address)."""
        return f"{self.site_url}/{path}" if self.site_url else f"/{path}"

    def absolute_url(self, path: str) -> str | None:
        """The absolute URL of a page on this site, or None in a local build (no SITEURL): formats
        whose fields must be absolute URIs leave them out rather than give a path."""
        return uri(f"{self.site_url}/{path}") if self.site_url else None

    @property
    def schema_url(self) -> str:
        return self.url(SCHEMA_PATH)

    @property
    def build_date_text(self) -> str | None:
        return self.build_date.isoformat() if self.build_date else None

    def header(self) -> dict[str, Any]:
        """The same provenance block at the top of each JSON export."""
        return {
            "schema_version": schema_version(),
            "schema": self.schema_url,
            "build_date": self.build_date_text,
            "licence": LICENCE,
        }


def build_date(directory: Directory, override: Any = None) -> dt.date | None:
    """BUILD_DATE if set, else the newest `last_verified` among published listings.

    Not the clock: the same listings must give byte-identical files (reproducible builds, clean
    diffs), and the newest verification is the honest "data as of" date. None with no listings.
    """
    if override:
        if isinstance(override, dt.date):
            return override
        try:
            return dt.date.fromisoformat(str(override))
        except ValueError:
            raise BuildDateError(
                f"BUILD_DATE is {override!r}: write it as YYYY-MM-DD, e.g. 2026-10-01, or leave it out "
                "to use the newest last_verified date."
            ) from None
    dates = [org.last_verified for org in directory.listed]
    return max(dates) if dates else None


def export_context(directory: Directory, settings: dict[str, Any]) -> ExportContext:
    site_url = str(settings.get("SITEURL") or "").rstrip("/")
    return ExportContext(site_url, build_date(directory, settings.get("BUILD_DATE")))


# Characters RFC 3986 allows unescaped in a path, query or fragment ("%" kept: already-escaped
# octets stay as they are).
_URI_SAFE = "/:@!$&'()*+,;=-._~%?#[]"


@lru_cache(maxsize=65536)  # a listing's website is asked for by several HSDS rows
def uri(url: str) -> str:
    """A contributor's web address as a valid RFC 3986 URI: the host in IDNA (punycode) form, and
    spaces, accented letters and other characters a URI can't hold percent-encoded (UTF-8).
    The schema already insists on http(s)://; this is for formats (HSDS) that check `format: uri`."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = quote(host, safe="")
    netloc = host + (f":{parts.port}" if parts.port else "")
    if parts.username:
        netloc = quote(parts.username, safe="") + "@" + netloc
    return urlunsplit((
        parts.scheme.lower(), netloc, quote(parts.path, safe=_URI_SAFE), quote(parts.query, safe=_URI_SAFE),
        quote(parts.fragment, safe=_URI_SAFE),
    ))
