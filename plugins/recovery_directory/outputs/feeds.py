"""Atom feeds: /feeds/all.atom.xml, /feeds/areas/<area-slug>.atom.xml and
/feeds/types/<type-slug>.atom.xml, one entry per listing on the matching index page.
Built with feedgenerator, Pelican's own feed library, so a practice can hear about a new or
re-checked listing in its feed reader or inbox.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedgenerator import Atom1Feed
from markupsafe import escape

from ..clock import today
from ..directory import Directory
from ..listing.model import NATIONAL, Organisation, type_slug
from ..listing.schema import labels
from ..listing.text import long_date
from ..public import public_record

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
    relative = _relative_path(path, posixpath.dirname(from_file))
    if relative == ".":
        return "./"
    return relative + "/" if path.endswith("/") else relative


def _relative_path(path: str, start: str) -> str:
    """posixpath.relpath for the site's own paths, without its two getcwd() calls per link
    (thousands of links per build): both are relative to the site root and already normal."""
    target, origin = [part for part in path.split("/") if part], [part for part in start.split("/") if part]
    if {".", ".."} & {*target, *origin}:
        return posixpath.relpath(path or ".", start or ".")
    common = 0
    while common < min(len(target), len(origin)) and target[common] == origin[common]:
        common += 1
    return "/".join([".."] * (len(origin) - common) + target[common:]) or "."


def tag_uri(settings: dict[str, Any], specific: str) -> str:
    return tag_prefix(settings) + specific


def tag_prefix(settings: dict[str, Any]) -> str:
    """"tag:<authority>,<date>:", checked: FeedSettingError if the settings can't make one."""
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
    return f"tag:{authority},{date}:"


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


def entry_body(record: dict[str, Any], type_labels: dict[str, str]) -> str:
    """All of the entry but its last paragraph, from the listing's public record: summary, who runs
    what, how to refer and how to get in touch. The same in every feed the listing is in, so a
    build makes it once per listing (see `atom_feed`'s `bodies`). Every contributor string is
    escaped here, as feedgenerator writes it as type="html"; plain strings and markupsafe's C
    `escape`: `Markup.format` per field was most of the feeds' time."""
    referral = record["referral"]
    parts = [f"<p>{escape(record['summary'])}</p>"]
    if record["status"] == "temporarily_closed":
        parts.append("<p><strong>Temporarily closed.</strong> Check the listing before referring.</p>")
    parts.append(f"<p>Type of support: {escape(', '.join(type_labels[c] for c in record['types']))}</p>")
    national = any(area.casefold() == NATIONAL for area in record["areas_served"])
    local = [area for area in record["areas_served"] if area.casefold() != NATIONAL]
    local += [loc["local_authority"] for loc in record["locations"] if loc["local_authority"]]
    areas = list(dict.fromkeys(local)) + (["National (anywhere in the UK)"] if national else [])
    if areas:
        parts.append(f"<p>Areas: {escape(', '.join(areas))}</p>")
    refer = ["People can refer themselves." if referral["self"] else "People can't refer themselves."]
    if referral["professional"]:
        refer.append("Professionals can refer.")
    parts.append(f"<p><strong>How to refer:</strong> {escape(' '.join(refer))}</p>")
    if referral["how"]:
        parts.append(f"<p>{escape(referral['how'])}</p>")
    if referral["url"]:
        url = escape(referral["url"])
        parts.append(f'<p>Referral details: <a href="{url}">{url}</a></p>')
    for phone in record["phones"]:
        described = f" ({phone['description']})" if phone["description"] else ""
        parts.append(f'<p>Phone: <a href="{escape(phone["tel"])}">{escape(phone["number"])}</a>{escape(described)}</p>')
    if record["email"]:
        email = escape(record["email"])
        parts.append(f'<p>Email: <a href="mailto:{email}">{email}</a></p>')
    return "\n".join(parts) + "\n"


def entry_footer(org: Organisation, listing_link: str) -> str:
    return (
        f"<p>Details last verified {escape(long_date(org.last_verified))}. "
        f'<a href="{escape(listing_link)}">Full listing, with hours and locations</a>.</p>'
    )


def atom_feed(
    spec: FeedSpec,
    settings: dict[str, Any],
    type_labels: dict[str, str],
    fallback_updated: dt.date,
    bodies: dict[str, str] | None = None,
    record_of: Callable[[Organisation], dict[str, Any]] = public_record,
) -> str:
    """The feed as UTF-8 Atom XML text. `fallback_updated` dates a feed with no entries.
    `bodies` (slug -> entry_body) lets one build's feeds share each listing's entry HTML;
    `record_of` gives a listing's public record (the build passes Directory.record)."""
    bodies = {} if bodies is None else bodies
    prefix = tag_prefix(settings)
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
            content=_body(bodies, record_of(org), type_labels) + entry_footer(org, link),
            unique_id=prefix + org.url,
            updateddate=as_datetime(org.last_verified),
            categories=[type_labels[code] for code in org.types],
        )
    out = io.StringIO()
    feed.write(out, "utf-8")
    return out.getvalue()


def _body(bodies: dict[str, str], record: dict[str, Any], type_labels: dict[str, str]) -> str:
    if (body := bodies.get(record["slug"])) is None:
        body = bodies[record["slug"]] = entry_body(record, type_labels)
    return body


ORDER = 55


def feed_specs(directory: Directory, site_name: str) -> list[FeedSpec]:
    specs = [
        FeedSpec(
            ALL_FEED, f"{site_name}: new and updated listings",
            "Every listing in the directory, most recently added or checked first.", "", directory.listed,
        )
    ]
    for area in directory.areas:
        specs.append(
            FeedSpec(
                area_feed(area.slug), f"{site_name}: {area.name}",
                f"Recovery support listings for {area.name}, most recently added or checked first.",
                area.url, area.organisations,
            )
        )
    for code, label in labels("types").items():
        slug = type_slug(code)
        specs.append(
            FeedSpec(
                type_feed(slug), f"{site_name}: {label}",
                f"{label} listings across the UK, most recently added or checked first.",
                f"types/{slug}/", directory.by_type[code],
            )
        )
    return specs


def write(generator: Any, writer: Any) -> None:
    directory: Directory = generator.directory
    settings = generator.settings
    newest = max((org.last_verified for org in directory.listed), default=today())
    type_labels = labels("types")
    bodies: dict[str, str] = {}  # each listing's entry HTML, made once and shared by its feeds
    made: set[Path] = set()
    for spec in feed_specs(directory, settings["SITENAME"]):
        path = Path(generator.output_path) / spec.save_as
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(atom_feed(spec, settings, type_labels, newest, bodies, directory.record), encoding="utf-8")
