"""Atom feeds of listings (all, per area, per type), built with feedgenerator, Pelican's own feed
library, so a practice can hear about a new or re-checked listing in its feed reader or inbox.

- Entries are ordered by `last_verified`, newest first: a new listing and a re-checked one both
  rise to the top. Each entry's `updated` is that date, so a build never changes a feed unless
  the listings did (the feed's own `updated` is its newest entry's, never the build time).
- Ids are tag: URIs from FEED_ID_AUTHORITY and FEED_ID_DATE, not the site's address, so a move
  to a new domain doesn't make every entry look new.
- Links are absolute when FEED_DOMAIN (Pelican's setting; SITEURL by default) is set, as on
  the live site. In a local build it is empty, and links are relative to the feed file itself,
  which Atom allows (RFC 4287 §2: relative references resolve against the feed's own address),
  so the feed stays valid and works when served by `pelican --listen`.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from feedgenerator import Atom1Feed
from markupsafe import Markup, escape

from .model import Organisation
from .templating import long_date

ALL_FEED = "feeds/all.atom.xml"
TAG_AUTHORITY = re.compile(r"^([a-z0-9-]+(\.[a-z0-9-]+)+|[^@\s,:]+@[a-z0-9-]+(\.[a-z0-9-]+)+)$")
TAG_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def area_feed(slug: str) -> str:
    return f"feeds/areas/{slug}.atom.xml"


def type_feed(slug: str) -> str:
    return f"feeds/types/{slug}.atom.xml"


class FeedSettingError(ValueError):
    """FEED_ID_AUTHORITY or FEED_ID_DATE can't make a valid tag: URI."""


@dataclass
class FeedSpec:
    """One feed: where it is saved, what it is called and which page it belongs to."""

    save_as: str  # e.g. feeds/areas/leeds.atom.xml
    title: str
    subtitle: str
    page_path: str  # the index page it mirrors, e.g. areas/leeds/
    organisations: list[Organisation]


def public_url(settings: dict[str, Any], path: str) -> str | None:
    """The absolute address of a site path, or None in a build with no FEED_DOMAIN/SITEURL."""
    domain = (settings.get("FEED_DOMAIN") or settings.get("SITEURL") or "").rstrip("/")
    return f"{domain}/{path}" if domain else None


def link_from(settings: dict[str, Any], path: str, from_file: str) -> str:
    """An absolute link if the site's address is known, else one relative to `from_file`."""
    absolute = public_url(settings, path)
    if absolute is not None:
        return absolute
    relative = posixpath.relpath(path or ".", posixpath.dirname(from_file) or ".")
    if relative == ".":
        return "./"
    return relative + "/" if path.endswith("/") else relative


def tag_uri(settings: dict[str, Any], specific: str) -> str:
    authority = str(settings["FEED_ID_AUTHORITY"]).strip().lower()
    date = str(settings["FEED_ID_DATE"]).strip()
    if not TAG_AUTHORITY.match(authority):
        raise FeedSettingError(
            f"FEED_ID_AUTHORITY is {authority!r}: it must be a domain name the project controls "
            "(e.g. recovery-directory.github.io) or an email address, with no scheme or slashes."
        )
    if not TAG_DATE.match(date):
        raise FeedSettingError(
            f"FEED_ID_DATE is {date!r}: it must be a date the project controlled that name, "
            "written YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2026)."
        )
    return f"tag:{authority},{date}:{specific}"


def newest_first(organisations: Iterable[Organisation]) -> list[Organisation]:
    by_name = sorted(organisations, key=lambda org: (org.name.casefold(), org.slug))
    return sorted(by_name, key=lambda org: org.last_verified, reverse=True)


def as_datetime(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(0, 0), tzinfo=dt.UTC)


class _Atom(Atom1Feed):
    """feedgenerator's Atom feed with a fixed `updated` (its default for an empty feed is now)."""

    def __init__(self, *args: Any, updated: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._updated = updated

    def latest_post_date(self) -> dt.datetime:
        return self._updated


def entry_html(org: Organisation, listing_link: str, type_labels: dict[str, str]) -> str:
    """The entry's content: summary, who runs what, how to refer and how to get in touch.

    Every contributor string is escaped here: feedgenerator writes this as type="html".
    """
    parts = [Markup("<p>{}</p>").format(org.summary)]
    if org.status == "temporarily_closed":
        parts.append(Markup("<p><strong>Temporarily closed.</strong> Check the listing before referring.</p>"))
    parts.append(Markup("<p>Type of support: {}</p>").format(", ".join(type_labels[c] for c in org.types)))
    if org.area_names or org.is_national:
        areas = ", ".join(org.area_names + (["National (anywhere in the UK)"] if org.is_national else []))
        parts.append(Markup("<p>Areas: {}</p>").format(areas))
    refer = []
    refer.append("People can refer themselves." if org.referral.self_referral else "People can't refer themselves.")
    if org.referral.professional:
        refer.append("Professionals can refer.")
    parts.append(Markup("<p><strong>How to refer:</strong> {}</p>").format(" ".join(refer)))
    if org.referral.how:
        parts.append(Markup("<p>{}</p>").format(org.referral.how))
    if org.referral.url:
        parts.append(Markup('<p>Referral details: <a href="{0}">{0}</a></p>').format(org.referral.url))
    for phone in org.phones:
        described = f" ({phone.description})" if phone.description else ""
        parts.append(Markup('<p>Phone: <a href="{}">{}</a>{}</p>').format(phone.tel, phone.display, described))
    if org.email:
        parts.append(Markup('<p>Email: <a href="mailto:{0}">{0}</a></p>').format(org.email))
    verified = Markup('<p>Details last verified {}. <a href="{}">Full listing, with hours and locations</a>.</p>')
    parts.append(verified.format(long_date(org.last_verified), listing_link))
    return str(Markup("\n").join(parts))


def atom_feed(spec: FeedSpec, settings: dict[str, Any], type_labels: dict[str, str], fallback_updated: dt.date) -> str:
    """The feed as UTF-8 Atom XML text. `fallback_updated` dates a feed with no entries."""
    entries = newest_first(spec.organisations)
    updated = entries[0].last_verified if entries else fallback_updated
    feed = _Atom(
        title=spec.title,
        link=link_from(settings, spec.page_path, spec.save_as),
        description=spec.subtitle,
        language=settings.get("DEFAULT_LANG") or "en-GB",
        author_name=settings["SITENAME"],
        feed_url=link_from(settings, spec.save_as, spec.save_as),
        feed_guid=tag_uri(settings, spec.save_as),
        updated=as_datetime(updated),
    )
    for org in entries:
        link = link_from(settings, org.url, spec.save_as)
        feed.add_item(
            title=org.name,
            link=link,
            description=str(escape(org.summary)),  # written as type="html": escape the plain text
            content=entry_html(org, link, type_labels),
            unique_id=tag_uri(settings, org.url),
            updateddate=as_datetime(org.last_verified),
            categories=[type_labels[code] for code in org.types],
        )
    out = io.StringIO()
    feed.write(out, "utf-8")
    return out.getvalue()
