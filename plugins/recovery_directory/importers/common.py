"""Small conversions every importer needs: plain text, times, days, phones, postcodes, hours,
web and email addresses."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from typing import Any

from ..listing.checks import email_problem, parse_phone, web_address_problem
from ..listing.hours import DAYS
from ..postcodes import normalise_postcode

TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9])?")
UK_SUFFIXES = ("uk", "united kingdom", "gb", "great britain", "england", "scotland", "wales", "northern ireland")
POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b", re.IGNORECASE)
# "0113 496 0123 ext 4", "…, extn. 4", "… x4": a listing's number holds digits only
EXTENSION = re.compile(r"(?P<number>.+?)[\s,]*\b(?:ext|extn|extension|x)\.?\s*(?P<digits>[0-9]{1,6})", re.IGNORECASE)
# a web address written without its https:// ("www.example.org/recovery")
NO_SCHEME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}(?:[/?#]\S*)?", re.IGNORECASE)
WEB_ADDRESS = re.compile(r"https?://\S+")  # the schema's web_address pattern
TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|!--.*?--)>", re.DOTALL)  # not "a < b" or "<3"
HIDDEN_ELEMENTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
BLOCK_TAGS = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|dt|dd)\b[^>]*>", re.IGNORECASE)


class BadValue(ValueError):
    """A source value we can't use; `field` names it in the source's own terms."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class Changed(BadValue):
    """Not a fault: a value imported, but not exactly as the source gave it (shortened to fit,
    https:// added). Importers report it (Parsed.changes) so a person checks it: nothing is
    changed silently."""


Note = Callable[[BadValue], None]  # how a reader hears about a value it left out or changed


def text(value: Any) -> str:
    """A source's text field as one tidy line ("" for missing or non-text)."""
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return " ".join(str(value).split())


def plain(value: Any) -> str:
    """A source's name or short text as one line of plain text. Feeds often send HTML (`<p>`) and
    entities (`&amp;`), which the page would show as they are (`&lt;p&gt;`, `&amp;amp;`)."""
    line = text(value)
    if "<" not in line and "&" not in line:
        return line
    line = HIDDEN_ELEMENTS.sub(" ", line)
    return text(html.unescape(TAG.sub(lambda tag: " " if BLOCK_TAGS.fullmatch(tag[0]) else "", line)))


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
    """At most `limit` characters, cut at a word with an ellipsis (text we write ourselves, such as
    a summary made from a description that is kept whole; a source's own values go through fit)."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:- ")
    return cut + "…"


def fit(value: str, limit: int, field: str, note: Note) -> str:
    """A source's value whole when it fits the schema's `limit`; else cut after the last whole
    paragraph (when that keeps at least half) or word, and said (`note`), never silently."""
    if len(value) <= limit:
        return value
    paragraph = value.rfind("\n\n", 0, limit + 1)
    cut = value[:paragraph].rstrip() if paragraph >= limit // 2 else clip(value, limit)
    note(
        Changed(
            field,
            f"is {len(value):,} characters long and this directory keeps at most {limit:,}, so it was cut to "
            f'{len(cut):,}, ending "{cut[-40:].lstrip()}". Shorten it at the source, or edit the listing.',
        )
    )
    return cut


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


def weekly(days: list[str], opens: str, closes: str, field: str, note: Note) -> list[dict[str, Any]]:
    """A weekly session as the schema holds it: closing after opening, 24:00 for midnight (and for
    23:59, feeds' and HSDS's "until midnight"). One that runs past midnight (17:00 to 09:00) is two
    entries, to midnight and from midnight on the following days, so no hour is lost; one that
    closes when it opens is read as the 24 hours from then, and said."""
    days = sorted_days(days)
    if closes in ("00:00", "23:59") or opens < closes:
        return [{"days": days, "opens": opens, "closes": closing(opens, closes)}]
    if closes == opens:
        note(
            Changed(
                field,
                f"opens and closes at {opens}; it was read as open for 24 hours, from {opens} to {closes} the "
                "next day. Check it, and correct it at the source if that is wrong.",
            )
        )
    following = sorted_days(DAYS[(DAYS.index(day) + 1) % 7] for day in days)
    return [
        {"days": days, "opens": opens, "closes": "24:00"},
        {"days": following, "opens": "00:00", "closes": closes},
    ]


def uk_phone(value: Any, field: str) -> str:
    number = text(value)
    if parse_phone(number) is None:
        raise BadValue(
            field,
            f'"{number}" is not a UK phone number, so it was left out. Write the whole number with its area '
            'code, e.g. "0113 496 0123".',
        )
    return number


def phone_and_extension(value: Any, field: str) -> tuple[str, str]:
    """A UK phone number, and "ext 4" when the source writes an extension after it: a listing's
    number is digits only, so the extension goes in the phone's note rather than the number being
    left out."""
    found = EXTENSION.fullmatch(text(value))
    if found and parse_phone(found["number"]) is not None:
        return found["number"], f"ext {found['digits']}"
    return uk_phone(value, field), ""


def web_address(value: Any, field: str, note: Note) -> str:
    """A web address we can link to ("" when none). One written without its scheme
    ("www.example.org/recovery") gets https://, and that is said; one we can't use raises BadValue."""
    url = text(value)
    if not url:
        return ""
    fixed = "https://" + url if NO_SCHEME.fullmatch(url) else url
    if not WEB_ADDRESS.fullmatch(fixed) or len(fixed) > 500 or web_address_problem(fixed):
        raise BadValue(
            field,
            f'"{url}" is not a web address we can link to, so it was left out. Correct it at the source: '
            "a full address such as https://example.org/page.",
        )
    if fixed != url:
        note(Changed(field, f'"{url}" had no https:// at the start, so it was added: check that {fixed} opens.'))
    return fixed


def email_address(value: Any, field: str) -> str:
    """An email address people can write to ("" when none); one we can't use raises BadValue."""
    address = text(value)
    if address and (problem := email_problem(address)):
        raise BadValue(field, f"{problem} It was left out; correct it at the source.")
    return address


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
