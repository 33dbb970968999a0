"""A description's HTML: the one reusable sanitizer cleans exactly as nh3.clean with the same rules,
and what it lets through is harmless."""

from __future__ import annotations

import cmarkgfm
import nh3
import pytest
from recovery_directory.listing import text

DESCRIPTIONS = [
    "We meet **weekly**. See [our page](https://example.org/meet) or [email](mailto:hello@example.org).",
    "# Heading\n\n## Two\n\n> quoted\n\n- one\n- two\n\n1. first\n\n`code` and *emphasis*",
    "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    '<a href="https://example.org" onclick="alert(1)" style="x">raw</a> <iframe src="https://example.org"></iframe>',
    "[call](tel:+442079460123) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox)",
    "<!-- a comment --> &lt;b&gt; plain & text ’ é",
]


@pytest.mark.parametrize("description", DESCRIPTIONS)
def test_the_reused_sanitizer_cleans_as_nh3_clean_does(description: str) -> None:
    html = text.DROPPED_LINK.sub("<a", text.HEADING_TAG.sub(
        lambda found: f"<{found[1]}h{text.HEADINGS[found[2]]}>", cmarkgfm.markdown_to_html(description)))
    assert text.markdown_to_safe_html(description) == nh3.clean(html, **text._CLEANING)


@pytest.mark.parametrize("description", DESCRIPTIONS)
def test_nothing_harmful_survives(description: str) -> None:
    html = text.markdown_to_safe_html(description).lower()
    for harmful in ("<script", "javascript:", "vbscript:", "data:", "onerror", "onclick", "<iframe", "<img", "style="):
        assert harmful not in html
