"""Small conversions every importer needs: plain text, times, days, phones, postcodes, hours."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..listing.checks import parse_phone
from ..listing.hours import DAYS
from ..postcodes import normalise_postcode

TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9])?")
UK_SUFFIXES = ("uk", "united kingdom", "gb", "great britain", "england", "scotland", "wales", "northern ireland")
POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b", re.IGNORECASE)


class BadValue(ValueError):
    """A source value we can't use; `field` names it in the source's own terms."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def text(value: Any) -> str:
    """A source's text field as one tidy line ("" for missing or non-text)."""
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return " ".join(str(value).split())


def markdown_from_html(value: str) -> str:
    """A source's description as Markdown the site shows whole. Feeds often send HTML (`<p>`,
    `<br>`, lists), which a listing's description may not hold (checks._check_description): its
    text is kept, paragraphs and list items as Markdown's, and `<`, `>` escaped. Text without
    HTML comes back as it was."""
    import cmarkgfm

    if "<" not in value or "<!-- raw HTML omitted -->" not in cmarkgfm.markdown_to_html(value):
        return value
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(value, "html.parser")
    for tag in soup.find_all(["script", "style"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(["td", "th", "dt", "dd"]):  # a table's or list's cells: words apart
        cell.append(" ")
    for row in soup.find_all("tr"):
        row.append("\n\n")  # each row a paragraph of its own
    for item in soup.find_all("li"):  # one line per item, whatever blocks it holds
        text = " ".join(item.get_text(" ").split())
        item.replace_with(f"\n- {text}\n")
    blocks = ["p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "dl"]
    for block in soup.find_all(blocks):
        block.insert(0, "\n\n")
        block.append("\n\n")
    text = soup.get_text().replace("<", "\\<").replace(">", "\\>")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    # A line starting with # would be a heading: the source's text, not its structure.
    lines = ["\\" + line if line.startswith("#") else line for line in lines]
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return re.sub(r"(?m)^(- .*)\n\n(?=- )", r"\1\n", joined)  # a list's items on consecutive lines


def clip(value: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with an ellipsis (names, notes, summaries)."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:- ")
    return cut + "…"


def clock(value: Any, field: str) -> str:
    """ "9:30", "09:30" or "09:30:00" -> "09:30"."""
    found = TIME.fullmatch(text(value))
    if not found:
        raise BadValue(field, f'"{text(value)}" is not a time. It should be 24-hour HH:MM, e.g. "18:30".')
    return f"{int(found[1]):02d}:{found[2]}"


def closing(opens: str, closes: str) -> str:
    """A closing time the schema accepts: one at or before the opening (past midnight) becomes 24:00,
    and so does 23:59, which feeds and HSDS write for "until midnight" (their clocks stop at 23:59)."""
    return closes if opens < closes < "23:59" else "24:00"


def uk_phone(value: Any, field: str) -> str:
    number = text(value)
    if parse_phone(number) is None:
        raise BadValue(field, f'"{number}" is not a UK phone number, so it was left out.')
    return number


def postcode(value: Any, field: str) -> str:
    normal = normalise_postcode(text(value))
    if normal is None:
        raise BadValue(field, f'"{text(value)}" is not a UK postcode. Correct it at the source.')
    return normal


def sorted_days(days: Iterable[str]) -> list[str]:
    return sorted(set(days), key=DAYS.index)


def merge_hours(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sessions that differ only in their day become one entry with several days, in first-seen order."""
    merged: dict[tuple, dict[str, Any]] = {}
    for entry in entries:
        key = tuple((k, v) for k, v in entry.items() if k != "days")
        if key in merged:
            merged[key]["days"] = sorted_days([*merged[key]["days"], *entry["days"]])
        else:
            merged[key] = {**entry, "days": sorted_days(entry["days"])}
    return [{"days": e["days"], **{k: v for k, v in e.items() if k != "days"}} for e in merged.values()]


def split_address(formatted: str) -> dict[str, str]:
    """A one-line UK address ("4 Sample Lane, Halifax HX1 1UJ, UK") as address, town, postcode."""
    parts = [p.strip() for p in formatted.split(",") if p.strip()]
    while parts and parts[-1].casefold() in UK_SUFFIXES:
        parts.pop()
    found = {}
    for index in range(len(parts) - 1, -1, -1):
        match = POSTCODE_IN_TEXT.search(parts[index])
        if match and normalise_postcode(match[1]):
            found["postcode"] = normalise_postcode(match[1])
            rest = (parts[index][: match.start()] + parts[index][match.end() :]).strip(" ,")
            parts[index : index + 1] = [rest] if rest else []
            break
    if parts:
        found["town"] = parts.pop()
    if parts:
        found["address"] = ", ".join(parts)
    return found


def drop_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}
