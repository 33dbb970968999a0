"""The rules a JSON Schema can't express: real postcodes, phone numbers, email syntax, web
addresses, opening times in order, positions inside the UK, dates not in the future.

Each check reads a schema-valid listing, may normalise a value in place (postcodes), and yields
(path, message) pairs. They run only on listings whose shape the schema has accepted.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..clock import today
from ..postcodes import normalise_postcode
from .gb_numbers import valid_in_gb

if TYPE_CHECKING:
    import phonenumbers

# phonenumbers and email_validator are imported when first asked for (~50 and ~75 ms): a rebuild
# that reads every listing from the build cache checks none, and pays for neither. email_validator
# is asked only about an address that isn't plainly valid (plainly_valid_email).

Finding = tuple[tuple[str | int, ...], str]

# Generous box around the UK, Northern Ireland, Shetland and Scilly included. Points beyond it
# are almost always swapped or mistyped coordinates.
UK_BOUNDS = {"south": 49.8, "north": 60.9, "west": -8.7, "east": 1.8}
OPENS = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]|24:00")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def inside_uk(lat: float, lon: float) -> bool:
    return (
        UK_BOUNDS["south"] <= lat <= UK_BOUNDS["north"]
        and UK_BOUNDS["west"] <= lon <= UK_BOUNDS["east"]
    )


def slug_suggestion(text: str) -> str:
    """A file name's slug as the slug rule wants it: "My Cafe" -> "my-cafe"."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "my-organisation"


def check_slug(stem: str) -> str | None:
    if SLUG.fullmatch(stem):
        return None
    return (
        f'The file name "{stem}" must be lower-case letters and digits joined by hyphens, '
        f'because it becomes the listing\'s web address. Rename the file to "{slug_suggestion(stem)}.yaml".'
    )


# phonenumbers reads letters as keypad digits ("0800 CALL NOW"); a listing must show real digits.
PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()-]+")
# The way nearly every listing writes a number: a UK national number, 0 and ten digits, in groups
# of digits separated by single spaces. libphonenumber's parse() reads it as +44 and the ten digits
# (GB's national prefix 0 taken off: the eleven digits are not a GB number, the ten may be), and
# costs more than validating the number; tests/test_check_shortcuts.py holds the two to the same.
_NATIONAL_NUMBER = re.compile(r"0(?=(?: ?[0-9]){10}$)[1-9][0-9]*(?: [0-9]+)*")


@lru_cache(maxsize=8192)
def read_phone(number: str) -> tuple[phonenumbers.PhoneNumber, bool] | None:
    """A UK number (+44: Great Britain, Guernsey, the Isle of Man, Jersey), with True, or a helpline
    short number such as 116 123, with False; else None.

    Cached: the checks and the model both ask about every number (callers must not change the
    result), and the model formats full and short numbers differently without validating again.
    tests/test_check_shortcuts.py holds this to the plain reading with libphonenumber's own calls.
    """
    if not PHONE_CHARACTERS.fullmatch(number):
        return None
    import phonenumbers

    if _NATIONAL_NUMBER.fullmatch(number):  # what parse() makes of it, for a sixth of its cost
        digits = number.replace(" ", "")[1:]
        parsed = phonenumbers.PhoneNumber(country_code=44, national_number=int(digits))
        if valid_in_gb(digits):  # what region_code_for_number finds first (GB), for a tenth of its cost
            return parsed, True
    else:
        try:
            parsed = phonenumbers.parse(number, "GB")
        except phonenumbers.NumberParseException:
            return None
    if parsed.country_code != 44:  # every UK region's code, and no other region's
        return None
    region = phonenumbers.region_code_for_number(parsed)
    # GB is tried first and, having no leading-digits rule, is found only by validating the number
    # in full: checking it again would cost a third of the parse.
    if region == "GB" or (region is not None and phonenumbers.is_valid_number_for_region(parsed, region)):
        return parsed, True
    if phonenumbers.is_valid_short_number_for_region(parsed, "GB"):
        return parsed, False
    return None


def parse_phone(number: str) -> phonenumbers.PhoneNumber | None:
    """The number read_phone() accepts, else None."""
    found = read_phone(number)
    return found[0] if found else None


def check_listing(data: dict[str, Any], *, placeholders: bool = True) -> Iterator[Finding]:
    """Runs even when the schema found problems, so a contributor sees every mistake at once:
    each rule looks only at values that already have the right shape. `placeholders=False`: the
    caller knows no value can hold the starter file's placeholder (its text holds none, and every
    value is a piece of that text)."""
    if placeholders:
        yield from _check_placeholders(data, ())
    yield from _check_contacts(data)
    yield from _check_areas(data)
    for index, location in _mappings(data.get("locations")):
        yield from _check_location(location, ("locations", index))
    for index, hours in _mappings(data.get("online_hours")):
        yield from _check_hours(hours, ("online_hours", index))
    yield from _check_last_verified(data)
    yield from _check_description(data)


# An HTML tag as cmark reads one: the page leaves these out (markdown_to_safe_html, cmark's safe
# mode), and a line that starts with one goes with it.
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_OMITTED = "<!-- raw HTML omitted -->"


def _check_description(data: dict[str, Any]) -> Iterator[Finding]:
    """HTML in a description would be left out of the page, silently: pasted from a web page,
    `<p>We meet on Tuesdays.</p>` published nothing at all."""
    text = data.get("description")
    if not isinstance(text, str) or "<" not in text:
        return
    import cmarkgfm

    if _OMITTED not in cmarkgfm.markdown_to_html(text):
        return  # "a < b", <https://…> and <name@…> links are Markdown, not HTML
    tag = next((found[0] for found in _HTML_TAG.finditer(text)), "<…>")
    shown = tag if len(tag) <= 40 else tag[:37] + "…"
    yield (
        ("description",),
        f"“{shown}” is HTML, which the site leaves out of the page, and a paragraph that starts "
        "with a tag goes with it. Write plain text with Markdown instead: a blank line between "
        "paragraphs, **bold**, a line starting “- ” for each item of a list, and [words](https://…) "
        "for a link.",
    )


PLACEHOLDER = re.compile(r"CHANGE[ -]ME", re.IGNORECASE)  # what `recovery-directory new` writes
PLACEHOLDER_MESSAGE = (
    "This still holds the starter file's CHANGE ME placeholder. "
    "Replace it with the real details, or delete the line if it doesn't apply."
)


def _check_placeholders(value: Any, path: tuple[str | int, ...]) -> Iterator[Finding]:
    if path == () and not _any_placeholder(value):
        return  # the usual case, found with one search instead of a generator per value
    if isinstance(value, str):
        if PLACEHOLDER.search(value):
            yield path, PLACEHOLDER_MESSAGE
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _check_placeholders(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _check_placeholders(item, (*path, index))


def _any_placeholder(value: Any) -> bool:
    texts, pending = [], [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return PLACEHOLDER.search("\0".join(texts)) is not None


def _mappings(value: Any) -> list[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]
    return []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(mapping: dict[str, Any], key: str) -> str | None:
    value = mapping.get(key)
    return value if isinstance(value, str) else None


def pasted_characters(text: str) -> str:
    """What a value looks like but isn't, said plainly: curly quotes a word processor made (YAML
    keeps them as part of the text), or a character no one can see (a zero-width or non-breaking
    space). "" when there is neither."""
    if text[:1] in "“‘" or text[-1:] in "”’":
        return (
            " Its quotes are curly (“ ”), as a word processor makes them, so they count as part of the text: "
            'type straight quotes (") instead.'
        )
    hidden = next((ch for ch in text if ch in "\u00a0\u2007\u202f" or unicodedata.category(ch) == "Cf"), None)
    if hidden:
        return (
            f" It holds a character you can't see (U+{ord(hidden):04X}), pasted in with it: delete the value and "
            "type it again."
        )
    return ""


def _check_contacts(data: dict[str, Any]) -> Iterator[Finding]:
    for index, phone in _mappings(data.get("phones")):
        if (number := _text(phone, "number")) is not None and parse_phone(number) is None:
            yield (
                ("phones", index, "number"),
                f'"{phone["number"]}" is not a valid UK phone number.{pasted_characters(number)} Write the whole '
                'number in digits with its area code, in quotes, e.g. "0113 496 0123" (helplines such as "116 123" '
                "are fine).",
            )
    if _text(data, "email") is not None and (message := email_problem(data["email"])):
        yield ("email",), message
    referral = data.get("referral") if isinstance(data.get("referral"), dict) else {}
    for path, url in (("website",), _text(data, "website")), (("referral", "url"), _text(referral, "url")):
        if url is not None and (message := web_address_problem(url)):
            yield path, message


# The shape nearly every listing's address has: letters and digits, single separators, a lower-case
# domain with a letters-only top level. email_validator accepts every address of this shape (its
# special-use domains apart, checked below; tests/test_checks.py holds it to that), and asking it
# costs more than the rest of a listing's checks, so it is asked only about other addresses.
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9]+(?:[._+-][A-Za-z0-9]+)*@((?:[a-z0-9]+(?:-[a-z0-9]+)*\.)+[a-z]{2,63})")


# email_validator's limits (RFC 5321's 254 and 64 characters, RFC 1035's 63 a label) and its
# special-use domains, as the version the lock pins has them (tests/test_check_shortcuts.py fails
# if an upgrade changes them). Importing email_validator to read them cost ~45 ms in every process
# that checks an address (its rfc_constants module compiles large patterns on import): a one-listing
# `validate` or rebuild paid that for an ordinary address the library is never asked about.
EMAIL_MAX_LENGTH, LOCAL_PART_MAX_LENGTH, DNS_LABEL_LENGTH_LIMIT = 254, 64, 63
SPECIAL_USE_DOMAINS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})
_SPECIAL_USE_ENDINGS = tuple(sorted("." + name for name in SPECIAL_USE_DOMAINS))


def plainly_valid_email(email: str) -> bool:
    found = _PLAIN_EMAIL.fullmatch(email)
    if found is None or len(email) > EMAIL_MAX_LENGTH or email.index("@") > LOCAL_PART_MAX_LENGTH:
        return False
    domain = found[1]
    # (one call each in C: the loops over labels and names in Python cost a tenth of a listing's checks)
    return (
        max(map(len, domain.split("."))) <= DNS_LABEL_LENGTH_LIMIT
        and domain not in SPECIAL_USE_DOMAINS
        and not domain.endswith(_SPECIAL_USE_ENDINGS)
    )


def email_problem(email: str) -> str | None:
    """Our own words for what is wrong (the library checks; its messages are for programmers)."""
    if plainly_valid_email(email):
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email, check_deliverability=False)  # syntax only: never asks DNS
    except EmailNotValidError:
        pass
    else:
        return None
    shown, example = f'"{email}"', "Write one address on its own, like hello@example.org."
    local, _, domain = email.strip().rpartition("@")
    if "@" not in email:
        return f"{shown} has no @, so it is not an email address. {example}"
    if re.search(r"[<>]", email) or (" " in email.strip() and email.count("@") == 1):
        return f"{shown} should be just the address, without a name, spaces or < > around it. {example}"
    if email.count("@") > 1:
        if re.search(r"[,; ]|\band\b", email):
            return f"{shown} holds more than one address. A listing has one public email address. {example}"
        return f"{shown} has more than one @. {example}"
    if not local:
        return f"{shown} has nothing before the @. {example}"
    if "." not in domain:
        return f'{shown} needs a full domain name after the @, like "example.org". {example}'
    return f"{shown} is not an email address we can use: check it for typing mistakes. {example}"


# The shape of nearly every web address in a listing: http(s), a lower-case host name with a dot
# and no port, then a path of safe characters. urlsplit reads every address of this shape as
# fine (tests/test_check_shortcuts.py holds it to that), and asking it costs more than the check.
_PLAIN_URL = re.compile(r"https?://(?:[a-z0-9]+(?:-[a-z0-9]+)*\.)+[a-z]{2,63}(?:/[A-Za-z0-9._~/-]*)?")


def web_address_problem(url: str) -> str | None:
    """What the schema's https?:// pattern lets through: no site name, or an impossible port."""
    if _PLAIN_URL.fullmatch(url):
        return None
    example = "Write the full address, e.g. https://example.org/page."
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return f'"{url}" is not a working web address (the part after the site name is wrong). {example}'
    if parts.scheme not in ("http", "https"):
        return f'"{url}" is not a web address we can link to. {example}'
    if not parts.hostname or "." not in parts.hostname:
        return f'"{url}" has no site name (like example.org) after the "//". {example}'
    return None


def _check_location(location: dict[str, Any], path: tuple[str | int, ...]) -> Iterator[Finding]:
    if _text(location, "postcode") is not None:
        normal = normalise_postcode(location["postcode"])
        if normal is None:
            yield (
                (*path, "postcode"),
                f'"{location["postcode"]}" is not a UK postcode.{pasted_characters(location["postcode"])} Write it '
                'like "HX1 1AA" (check it on Royal Mail\'s postcode finder).',
            )
        else:
            location["postcode"] = normal
            if problem := postcode_problem(normal):
                yield (*path, "postcode"), problem
    coordinates = location.get("coordinates")
    if (
        isinstance(coordinates, dict)
        and all(_is_number(coordinates.get(key)) for key in ("lat", "lon"))
        and not inside_uk(coordinates["lat"], coordinates["lon"])
    ):
        yield (
            (*path, "coordinates"),
            f"The position {coordinates['lat']}, {coordinates['lon']} is outside the UK. Check "
            "that lat (about 50 to 60) and lon (about -8 to 2) are not swapped, or remove "
            "coordinates and let the postcode place the pin.",
        )
    for index, hours in _mappings(location.get("hours")):
        yield from _check_hours(hours, (*path, "hours", index))


def _check_hours(hours: dict[str, Any], path: tuple[str | int, ...]) -> Iterator[Finding]:
    opens, closes = _text(hours, "opens"), _text(hours, "closes")
    if opens and closes and OPENS.fullmatch(opens) and TIME.fullmatch(closes) and closes <= opens:
        yield (
            (*path, "closes"),
            f'The closing time "{hours["closes"]}" is not after the opening time '
            f'"{hours["opens"]}". Use 24-hour times (e.g. "20:00" for 8pm); for times past '
            'midnight, write "24:00" as the closing time and add the early hours as the next day.',
        )
    if (url := _text(hours, "join_url")) is not None and (message := web_address_problem(url)):
        yield (*path, "join_url"), message
    if (number := _text(hours, "join_phone")) is not None and parse_phone(number) is None:
        yield (
            (*path, "join_phone"),
            f'"{number}" is not a valid UK phone number. Write the dial-in number in digits with its '
            'area code, in quotes, e.g. "0131 496 0123".',
        )


@cache
def _geocoding() -> tuple[ModuleType, ModuleType]:
    """geocoding's ons_postcodes and authorities, imported when first needed: a `from` import in
    a function cost ~2 µs each time it ran, once for every location and every listing."""
    from ..geocoding import authorities, ons_postcodes

    return ons_postcodes, authorities


ROYAL_MAIL_FINDER = "Royal Mail's postcode finder (https://www.royalmail.com/find-a-postcode)"


def postcode_problem(postcode: str) -> str | None:
    """Why a well-formed postcode can't be used, or None: it must be in the ONS directory and in
    the UK (the Channel Islands and the Isle of Man have postcodes but are not)."""
    ons_postcodes, _ = _geocoding()
    found = ons_postcodes.find(postcode)
    if found is None:
        return (
            f'"{postcode}" is not a postcode in the ONS Postcode Directory. Check it on '
            f"{ROYAL_MAIL_FINDER} and correct it here. If it is right but brand new, ask a maintainer "
            "to update the postcode data (docs/geocoding.md), or leave it out for now and add "
            "`coordinates:` instead."
        )
    code, _ = found
    if where := ons_postcodes.NOT_UK_CODES.get(code or ""):
        return f'"{postcode}" is in {where}, which is not part of the UK, so this directory can\'t list it.'
    return None


def _check_areas(data: dict[str, Any]) -> Iterator[Finding]:
    """Each area served must be a UK local authority (or national); write back its site name."""
    areas = data.get("areas_served")
    if not isinstance(areas, list):
        return
    _, authorities = _geocoding()
    resolve = authorities.resolve
    written = areas[:]  # as typed: resolved names are written back below
    split: dict[int, str | None] | None = None  # worked out at the first area that isn't one
    for index, text in enumerate(areas):
        if not isinstance(text, str) or text.strip().casefold() == "national":
            continue
        authority = resolve(text)
        if authority is not None:
            areas[index] = authority.name
            continue
        if split is None:
            split = _split_names(written, resolve)
        if index in split:
            if (whole := split[index]) is not None:
                yield ("areas_served", index), whole
            continue
        if several := authorities.not_one_council(text):
            yield (
                ("areas_served", index),
                f"“{text.strip()}” is not one local authority: {several}. List the council areas the "
                "service is open to, such as [Camden, Islington] (every one is on the site's coverage "
                "page), or write national if it is open to anyone in the UK.",
            )
            continue
        close = authorities.suggestions(text)
        hint = f" Did you mean {' or '.join(f'“{name}”' for name in close)}?" if close else ""
        if commas := [name for name in close if "," in name]:
            hint += f' A name with a comma goes in straight quotes, like ["{commas[0]}"].'
        if town_hint := _town_hint(text, data):
            hint = f" {town_hint}"
        yield (
            ("areas_served", index),
            f"“{text.strip()}” is not a UK local authority.{hint} Write the council area's name, "
            "such as Leeds, Bristol or Glasgow City (a town goes under its council: Halifax is in "
            "Calderdale), or national for services anywhere in the UK. Every authority is listed "
            "on the site's coverage page.",
        )


def _split_names(areas: list[Any], resolve: Any) -> dict[int, str | None]:
    """Council names with a comma written as two areas: `[Newry, Mourne and Down]` (in a [ ] list a
    comma starts a new item) or `[Bristol, City of]`. For the first piece that is no council by
    itself, the message; None for any other such piece. A first piece that is a council itself
    counts only if the whole name is that council (Bristol, City of)."""
    found: dict[int, str | None] = {}
    for start in range(len(areas)):
        for end in (start + 3, start + 2):  # "Armagh City, Banbridge and Craigavon" is 2 pieces, allow 3
            pieces = areas[start:end]
            if len(pieces) < end - start or any(index in found for index in range(start, end)):
                continue
            if not all(isinstance(piece, str) for piece in pieces) or any(resolve(piece) for piece in pieces[1:]):
                continue
            whole, first = resolve(", ".join(pieces)), resolve(pieces[0])
            if whole is None or (first is not None and first.name != whole.name):
                continue
            shown = " and ".join(f"“{piece.strip()}”" for piece in pieces)
            written = f'"{whole.name}"' if "," in whole.name else whole.name
            unresolved = [index for index in range(start, end) if first is None or index > start]
            found[unresolved[0]] = (
                f"{shown} are one council area, {whole.name}, written as two areas. Write it as one: "
                f"{written}" + (" (in straight quotes, because of its comma)." if "," in whole.name else ".")
            )
            found.update({index: None for index in unresolved[1:]})
    return found


def _town_hint(text: str, data: dict[str, Any]) -> str | None:
    """When an area is one of the listing's own towns, name the authority its postcode is in."""
    from ..geocoding import ons_postcodes
    from ..geocoding.authorities import all_names, display_name, fold

    for _, location in _mappings(data.get("locations")):
        town, postcode = _text(location, "town"), normalise_postcode(_text(location, "postcode") or "")
        if town and postcode and fold(town) == fold(text) and (found := ons_postcodes.find(postcode)):
            name = all_names().get(found[0] or "")
            if name:
                return f"{town} is a town: its postcode {postcode} is in {display_name(name)}, so write that."
    return None


def _check_last_verified(data: dict[str, Any]) -> Iterator[Finding]:
    try:
        verified = dt.date.fromisoformat(data["last_verified"])
    except (KeyError, TypeError, ValueError):
        return  # the schema's date format check has already said so
    if verified > today():
        yield (
            ("last_verified",),
            f'The date {verified.isoformat()} is in the future. Write the date the details were '
            "last checked (today's date if you checked them just now).",
        )
