"""Atom 1.0 XML, written byte for byte as feedgenerator's Atom1Feed (Pelican's feed library) writes
it, without its SAX writer: that wrote each element through four Python calls and took most of the
feeds' time. Entries are strings of their own, so a listing's entry is made once and shared by
every feed it is in (tests/test_feeds.py checks the bytes against feedgenerator's).

Like feedgenerator: attributes sorted by name, empty elements self-closed, links passed through
`iri_to_uri`, and text with XML 1.0's forbidden control characters refused.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from feedgenerator.django.utils.encoding import iri_to_uri
from feedgenerator.django.utils.xmlutils import UnserializableContentError

ATOM_NS = "http://www.w3.org/2005/Atom"
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


def text(value: str) -> str:
    """Element text as feedgenerator's SimplerXMLGenerator.characters writes it."""
    if _CONTROL.search(value):
        raise UnserializableContentError("Control characters are not supported in XML 1.0")
    return escape(value)


def element(name: str, value: str | None, attrs: str = "") -> str:
    """<name attrs>text</name>, or <name attrs/> when there is no text (feedgenerator's
    addQuickElement with short empty elements). `attrs` is already written (see `attributes`)."""
    if not value:
        return f"<{name}{attrs}/>"
    return f"<{name}{attrs}>{text(value)}</{name}>"


@lru_cache(maxsize=4096)  # category terms and feed links repeat across entries and feeds
def attributes(*pairs: tuple[str, str]) -> str:
    """' name="value"' for each pair, sorted by name, values quoted as xml.sax's quoteattr does."""
    return "".join(f" {name}={quoteattr(value)}" for name, value in sorted(pairs))


def date_time(date: dt.date) -> str:
    """A date's midnight UTC as feedgenerator writes an aware datetime (rfc3339_date)."""
    return f"{date.isoformat()}T00:00:00+00:00"


def link(href: str, rel: str) -> str:
    return element("link", "", attributes(("href", iri_to_uri(href)), ("rel", rel)))


def entry(
    *, title: str, link_href: str, updated: dt.date, unique_id: str, summary: str, content: str,
    categories: list[str],
) -> str:
    """One <entry>, as Atom1Feed.add_item(...) then write() would give it (no author, no
    published date, no enclosures)."""
    return "".join((
        "<entry>",
        element("title", title),
        link(link_href, "alternate"),
        element("updated", date_time(updated)),
        element("id", unique_id),
        element("summary", summary, ' type="html"'),
        element("content", content, ' type="html"'),
        *(element("category", "", attributes(("term", term))) for term in categories),
        "</entry>",
    ))


def feed_head(
    *, title: str, link_href: str, feed_url: str, feed_id: str, updated: dt.date, author_name: str, subtitle: str,
    language: str | None,
) -> str:
    """The XML declaration, <feed> and its own elements, up to the first entry."""
    root = attributes(("xmlns", ATOM_NS), *((("xml:lang", language),) if language is not None else ()))
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f"<feed{root}>",
        element("title", title),
        link(link_href, "alternate"),
        link(feed_url, "self"),
        element("id", feed_id),
        element("updated", date_time(updated)),
        f"<author>{element('name', author_name)}</author>",
    ]
    if subtitle:
        parts.append(element("subtitle", subtitle))
    return "".join(parts)


FEED_END = "</feed>"
