"""The HTTP headers the site is served with, computed from the settings.

`recovery-directory netlify` writes these into netlify.toml and a test compares the two, so the
Content-Security-Policy always allows exactly the outside hosts the site's settings use (map
tiles) and nothing else: the postcode lookup is the site's own files.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

ONE_YEAR = 365 * 24 * 60 * 60

# Browser features pages may use: only geolocation, for "use my location" on search.
# Every other feature here is switched off. Only names Chromium recognises, since an unknown
# name is logged as a console error on every page.
PERMISSIONS = {
    "geolocation": "(self)",
    "accelerometer": "()",
    "autoplay": "()",
    "camera": "()",
    "display-capture": "()",
    "encrypted-media": "()",
    "fullscreen": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "midi": "()",
    "payment": "()",
    "picture-in-picture": "()",
    "publickey-credentials-get": "()",
    "screen-wake-lock": "()",
    "sync-xhr": "()",
    "usb": "()",
    "xr-spatial-tracking": "()",
}

# Files whose URLs change when their content does, so browsers may keep them for a year without
# asking again: /vendor/<package>-<version>/ (vendor.py) and /theme/<content hash>/
# (fingerprints.py). Nothing else is written under these folders.
LONG_CACHE_PATHS = ("/vendor/*", "/theme/*")
LONG_CACHE = f"public, max-age={ONE_YEAR}, immutable"

# The open-data files (outputs/open_data.py, coverage.csv): the only files other websites' scripts
# may read (a meeting finder or a council's page fetching our feeds from the browser).
OPEN_DATA_PATHS = "/data/*"

# The embeddable lists (outputs/embeds.py): the only pages other websites may show in a frame.
# Everywhere else frame-ancestors stays 'none'.
EMBED_PATHS = "/embed/*"


class HeaderSettingError(ValueError):
    """A URL setting the headers are computed from is not an absolute http(s) URL."""


def source_for_url(url: str, setting: str) -> str | None:
    """The CSP source (scheme://host[:port]) a URL setting needs, or None for a same-site path.

    Template placeholders in the host ({s}.tile.example.org) become a wildcard label.
    """
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return None  # a path on this site: 'self' covers it
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise HeaderSettingError(
            f"{setting} is {url!r}: it must be a full web address starting with https://, "
            "e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
    host = parts.netloc.rsplit("@", 1)[-1].lower()
    labels = ["*" if "{" in label else label for label in host.split(".")]
    return f"{parts.scheme}://{'.'.join(labels)}"


def content_security_policy(settings: dict[str, Any], *, frame_ancestors: str = "'none'") -> str:
    """The CSP: this site's own files only, plus map tiles (images). Scripts fetch only from this
    site: search data and the postcode lookup files are its own.

    `frame_ancestors` is a parameter so pages meant to be embedded can get their own rule.
    """
    tiles = source_for_url(settings["MAP_TILE_URL"], "MAP_TILE_URL")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", tiles],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": [frame_ancestors],
    }
    return "; ".join(
        " ".join([name, *dict.fromkeys(source for source in sources if source)])
        for name, sources in directives.items()
    )


def permissions_policy() -> str:
    return ", ".join(f"{feature}={allow}" for feature, allow in PERMISSIONS.items())


def security_headers(settings: dict[str, Any]) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "Strict-Transport-Security": f"max-age={ONE_YEAR}; includeSubDomains",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": permissions_policy(),
        "X-Content-Type-Options": "nosniff",
    }


def header_rules(settings: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """Every netlify.toml [[headers]] rule as (path pattern, headers), in file order.

    The same shape tests/site_tools.serve_directory takes, so a test that builds with other
    settings (a loopback tile server, say) can serve with headers computed from them.
    The /embed/* rule comes last: it replaces the site-wide CSP for the embeddable lists.
    """
    rules = [("/*", security_headers(settings))]
    rules += [(path, {"Cache-Control": LONG_CACHE}) for path in LONG_CACHE_PATHS]
    rules.append((OPEN_DATA_PATHS, {"Access-Control-Allow-Origin": open_data_origin(settings)}))
    rules.append((EMBED_PATHS, embed_headers(settings)))
    return rules


def open_data_origin(settings: dict[str, Any]) -> str:
    """OPEN_DATA_ALLOW_ORIGIN: * (any website's scripts may read /data/*) or one origin."""
    value = str(settings.get("OPEN_DATA_ALLOW_ORIGIN", "*")).strip()
    if value != "*" and (source_for_url(value, "OPEN_DATA_ALLOW_ORIGIN") != value.rstrip("/").lower()):
        raise HeaderSettingError(
            f"OPEN_DATA_ALLOW_ORIGIN is {value!r}: it must be * (any website may read the open data) or one "
            "origin with no path, e.g. https://www.example-council.gov.uk"
        )
    return value.rstrip("/")


def embed_headers(settings: dict[str, Any]) -> dict[str, str]:
    """The /embed/* rule: the site's headers again, with frame-ancestors from EMBED_FRAME_ANCESTORS.

    Netlify (like `netlify dev`) serves the value of the last matching rule when two rules set the
    same header, so this rule comes after "/*" and repeats the whole policy rather than adding to it.
    """
    return {
        **security_headers(settings),
        "Content-Security-Policy": content_security_policy(settings, frame_ancestors=embed_frame_ancestors(settings)),
    }


def embed_frame_ancestors(settings: dict[str, Any]) -> str:
    """Who may frame /embed/*: * or space-separated origins. Quotes, ; and , are refused: they
    would let the setting end the directive or turn off framing ('none') by mistake."""
    value = " ".join(str(settings.get("EMBED_FRAME_ANCESTORS", "*")).split())
    if not value or any(char in value for char in ";,'\""):
        raise HeaderSettingError(
            f"EMBED_FRAME_ANCESTORS is {value!r}: it must be * (any website may show the embeddable "
            "lists) or web addresses separated by spaces, e.g. https://www.example-practice.nhs.uk"
        )
    return value
