"""Contributor Markdown to safe HTML, and small text helpers shared by pages and exports."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import markdown
import nh3

# What a description may use: paragraphs, emphasis, lists, links, simple headings and quotes.
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


def markdown_to_safe_html(text: str) -> str:
    """Render Markdown, then keep only harmless tags; links out get rel="noopener noreferrer".

    Raw HTML in the source is escaped by Markdown's own rules and then cleaned again by nh3,
    so neither `<script>` nor `javascript:` links survive either way. Headings are shifted down
    so a description can't compete with the page's own structure.
    """
    html = _markdown().reset().convert(text)
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    html = re.sub(r"<(/?)h[56]>", r"<\1h4>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


@cache
def _markdown() -> markdown.Markdown:
    """One converter, reset between descriptions: building a new one for each listing (what
    `markdown.markdown()` does) cost more than converting the text itself."""
    return markdown.Markdown(extensions=["sane_lists"], output_format="html")


def slugify(text: str) -> str:
    """"City of Edinburgh" -> "city-of-edinburgh"; accents dropped, ASCII only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "area"
