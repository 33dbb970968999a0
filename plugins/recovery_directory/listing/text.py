"""Contributor Markdown to safe HTML, and small text helpers shared by pages, feeds and reports."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

import cmarkgfm
import nh3

# What a description may use: paragraphs, emphasis, lists, links, simple headings and quotes.
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
# cmark's own tags (raw HTML never reaches its output), so these patterns can't meet contributor markup.
HEADINGS = {"1": "3", "2": "3", "5": "4", "6": "4"}
HEADING_TAG = re.compile(r"<(/?)h([1256])>")
DROPPED_LINK = re.compile(r'<a href=""')


def markdown_to_safe_html(text: str) -> str:
    """Render CommonMark, then keep only harmless tags; links out get rel="noopener noreferrer".

    cmark (GitHub's C CommonMark library, 50x faster than Python-Markdown here) runs in its
    safe mode: raw HTML in the source is left out and `javascript:`, `vbscript:`, `file:` and
    `data:` link targets are emptied (we then drop the empty `href`, so the text stays, unlinked).
    nh3 cleans the result again, so neither `<script>` nor a `javascript:` link survives either
    way. Headings are shifted down so a description can't compete with the page's own structure.
    """
    html = cmarkgfm.markdown_to_html(text)
    html = HEADING_TAG.sub(lambda found: f"<{found[1]}h{HEADINGS[found[2]]}>", html)
    html = DROPPED_LINK.sub("<a", html)
    return _clean(html)


_CLEANING = {"tags": ALLOWED_TAGS, "attributes": ALLOWED_ATTRIBUTES, "url_schemes": ALLOWED_SCHEMES,
             "link_rel": "noopener noreferrer nofollow"}
# One sanitizer for every description: nh3.clean builds its rules again on each call (~37 µs of
# its ~95 a description). An older nh3 has no Cleaner: there, clean with the same rules.
_clean = nh3.Cleaner(**_CLEANING).clean if hasattr(nh3, "Cleaner") else functools.partial(nh3.clean, **_CLEANING)


def slugify(text: str) -> str:
    """"City of Edinburgh" -> "city-of-edinburgh"; accents dropped, ASCII only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "area"


def long_date(value: dt.date) -> str:
    """1 October 2026 (no leading zero, UK order)."""
    return f"{value.day} {value:%B %Y}"
