"""Atom feeds: /feeds/all.atom.xml, /feeds/areas/<area-slug>.atom.xml and
/feeds/types/<type-slug>.atom.xml, one entry per listing on the matching index page.
Written as feedgenerator, Pelican's own feed library, writes Atom (exports/atom.py), so a
practice can hear about a new or re-checked listing in its feed reader or inbox.

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
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import escape

from ..clock import today
from ..directory import Directory
from ..exports import atom
from ..listing.model import NATIONAL, Organisation, type_slug
from ..listing.schema import labels
from ..listing.text import long_date
from ..output_parts import KeptPages, ListingParts
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


def links_from(settings: dict[str, Any], from_file: str) -> Callable[[str], str]:
    """`link_from(settings, path, from_file)` for the many paths of one feed, with the part that
    depends only on `from_file` worked out once: a path in another top-level folder than the feed
    is "../" per level of the feed's folder, then the path."""
    domain = public_url(settings, "")
    if domain is not None:
        return lambda path: domain + path
    folder = [part for part in posixpath.dirname(from_file).split("/") if part]
    up = "../" * len(folder)

    def link(path: str) -> str:
        parts = path.split("/")
        if folder and parts[0] != folder[0] and not {"", ".", ".."} & {*parts[:-1]} and parts[-1] not in (".", ".."):
            return up + path
        return link_from(settings, path, from_file)

    return link


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


def referral_paragraphs(referral: dict[str, Any]) -> list[str]:
    """Who can refer, how, and the referral page, for a service taking referrals."""
    refer = [
        "People can refer themselves." if referral["self"]
        else "The listing doesn't say whether people can refer themselves." if referral["self"] is None
        else "People can't refer themselves."
    ]
    if referral["professional"]:
        refer.append("Professionals can refer.")
    parts = [f"<p><strong>How to refer:</strong> {escape(' '.join(refer))}</p>"]
    if referral["how"]:
        parts.append(f"<p>{escape(referral['how'])}</p>")
    if referral["url"]:
        url = escape(referral["url"])
        parts.append(f'<p>Referral details: <a href="{url}">{url}</a></p>')
    return parts


def entry_body(record: dict[str, Any], type_labels: dict[str, str]) -> str:
    """All of the entry but its last paragraph, from the listing's public record: summary, who runs
    what, how to refer and how to get in touch. Every contributor string is escaped here, as the
    entry is written as type="html"; plain strings and markupsafe's C `escape`."""
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
    if record["status"] != "active":  # Organisation.takes_referrals: no route while closed
        parts.append("<p><strong>How to refer:</strong> Not taking referrals while temporarily closed.</p>")
    else:
        parts.extend(referral_paragraphs(referral))
    for phone in record["phones"]:
        described = f" ({phone['description']})" if phone["description"] else ""
        parts.append(f'<p>Phone: <a href="{escape(phone["tel"])}">{escape(phone["number"])}</a>{escape(described)}</p>')
    if record["email"]:
        email = escape(record["email"])
        parts.append(f'<p>Email: <a href="mailto:{email}">{email}</a></p>')
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class EntryParts:
    """A listing's <entry> but its link, which is absolute or relative to the feed's folder: the
    link goes between `head` and `middle` (as <link>) and between `middle` and `tail` (in the
    content's last paragraph). A pure function of the public record (`entry_parts`), so a build
    makes it once per listing, and a cache may keep it while the listing's record is unchanged."""

    head: str
    middle: str
    tail: str
    _by_link: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def xml(self, link: str) -> str:
        """The whole entry with this link (kept: the area and type feeds share one)."""
        if (found := self._by_link.get(link)) is None:
            footer = f'<a href="{escape(link)}">Full listing, with hours and locations</a>.</p>'
            found = "".join((self.head, atom.link(link, "alternate"), self.middle, atom.text(footer), self.tail))
            self._by_link[link] = found
        return found


def entry_parts(record: dict[str, Any], prefix: str, type_labels: dict[str, str]) -> EntryParts:
    """`record`'s entry in every feed: title, dates, id, summary, the content (entry_body and the
    date it was last verified) and its categories. `prefix` is `tag_prefix(settings)`."""
    last_verified = dt.date.fromisoformat(record["last_verified"])
    verified = f"<p>Details last verified {escape(long_date(last_verified))}. "
    middle = "".join((
        atom.element("updated", atom.date_time(last_verified)),
        atom.element("id", prefix + record["url"]),
        atom.element("summary", str(escape(record["summary"])), ' type="html"'),  # type="html": escape the text
        '<content type="html">',
        atom.text(entry_body(record, type_labels) + verified),
    ))
    categories = "".join(
        atom.element("category", "", atom.attributes(("term", type_labels[code]))) for code in record["types"]
    )
    return EntryParts(f"<entry>{atom.element('title', record['name'])}", middle, f"</content>{categories}</entry>")


def atom_feed(
    spec: FeedSpec,
    settings: dict[str, Any],
    type_labels: dict[str, str],
    fallback_updated: dt.date,
    parts: dict[str, EntryParts] | None = None,
    record_of: Callable[[Organisation], dict[str, Any]] = public_record,
    rank: dict[str, int] | None = None,
) -> str:
    """The feed as UTF-8 Atom XML text. `fallback_updated` dates a feed with no entries.
    `parts` (slug -> EntryParts) lets one build's feeds share each listing's entry; `record_of`
    gives a listing's public record (the build passes Directory.record); `rank` (slug -> position
    in `newest_first` of the whole directory) saves sorting each feed by name again."""
    parts = {} if parts is None else parts
    prefix = tag_prefix(settings)
    if rank is None:
        ordered = newest_first(spec.organisations)
    else:
        ordered = sorted(spec.organisations, key=lambda org: rank[org.slug])
    updated = ordered[0].last_verified if ordered else fallback_updated
    xml = [
        atom.feed_head(
            title=spec.title,
            link_href=link_from(settings, spec.page_path, spec.save_as),
            feed_url=link_from(settings, spec.save_as, spec.save_as),
            feed_id=tag_uri(settings, spec.save_as),
            updated=updated,
            author_name=settings["SITENAME"],
            subtitle=spec.subtitle,
            language=settings.get("DEFAULT_LANG") or "en-GB",
        )
    ]
    link = links_from(settings, spec.save_as)
    for org in ordered:
        if (entry := parts.get(org.slug)) is None:
            entry = parts[org.slug] = entry_parts(record_of(org), prefix, type_labels)
        xml.append(entry.xml(link(org.url)))
    xml.append(atom.FEED_END)
    return "".join(xml)


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
    # Each listing's entry but its link: made once per build, or kept from the last, with its
    # whole entry in the all-listings feed (which every edit rewrites; making its 10,000 entries'
    # links again was ~0.3 s of a rebuild). Other feeds' links are made again.
    kept = ListingParts(generator, "feed-entries-whole")
    prefix = tag_prefix(settings)
    all_link = links_from(settings, ALL_FEED)

    def texts(org: Organisation) -> tuple[str, str, str, str]:
        entry = entry_parts(directory.record(org), prefix, type_labels)
        return entry.head, entry.middle, entry.tail, entry.xml(all_link(org.url))

    parts = {}
    for org in directory.listed:
        head, middle, tail, whole = kept.get(org, lambda org=org: texts(org))
        parts[org.slug] = entry = EntryParts(head, middle, tail)
        entry._by_link[all_link(org.url)] = whole  # what entry.xml gives for that link
    kept.save()
    rank = {org.slug: n for n, org in enumerate(newest_first(directory.listed))}
    made: set[Path] = set()
    pages = KeptPages(generator, "feeds")  # feeds whose listings and values did not change
    for spec in feed_specs(directory, settings["SITENAME"]):
        if pages.skip(spec.save_as, [spec.title, spec.subtitle, spec.page_path, spec.organisations, newest]):
            continue
        path = Path(generator.output_path) / spec.save_as
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        xml = atom_feed(spec, settings, type_labels, newest, parts, directory.record, rank)
        path.write_bytes(xml.encode("utf-8"))
        pages.written(spec.save_as)
    pages.save()
