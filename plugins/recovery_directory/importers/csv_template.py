"""The CSV template: the columns of our own organisations.csv (exports/organisations_csv.py), one
row per location, so a commissioner can fill it in a spreadsheet and our export reads back in.

Rows with the same `slug` (or, when it is blank, the same `name`) are one listing; each row adds
a location. Its listing's cells (everything but the location's) may be left blank after the first
row, but rows that fill one in must agree: rows that differ are reported, each difference, and that
listing is not imported (two services with one name need a slug each). Lists are separated by "; ".
Columns a spreadsheet can't set (`url`, `type_labels`, `local_authority`, `local_authority_code`)
are ignored: the build works them out. A blank cell leaves the field out. A cell we can't read is
reported with its row and column and left out; a row without a name, type, summary or
last_verified date is not imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from ..exports.csv_table import FORMULA_STARTS, JOIN
from ..exports.organisations_csv import columns as template_columns
from ..exports.organisations_csv import extra_columns
from ..listing.checks import parse_phone
from ..listing.model import add_months
from ..listing.schema import load_schema, resolve
from . import Parsed, Problem, Record
from .areas import Lookup, knows_nothing, local_authorities, own_coordinates, place_lookup
from .common import BadValue, Changed, drop_empty, email_address, fit, phone_and_extension, postcode, text, web_address
from .fetch import SourceError, read_bytes

KIND = "csv"
HELP = "the CSV template (the columns of /data/organisations.csv), as a file or web address"

DERIVED = {"url", "type_labels", "local_authority", "local_authority_code"}  # the build's, not the sheet's
REQUIRED = ("name", "summary", "last_verified")
YES = {"yes", "y", "true"}
NO = {"no", "n", "false"}
HOURS_ENTRY = re.compile(
    r"(?P<days>[a-z]{3}(?:, ?[a-z]{3})*) (?P<opens>\d{1,2}:\d\d) ?- ?(?P<closes>\d{1,2}:\d\d)"
    r"(?: \((?P<note>.*?)\))?(?: join: (?P<join_url>\S+))?(?: dial-in: (?P<join_phone>[0-9+ ()]+))?",
)
PHONE_EXAMPLE = 'e.g. "0113 496 0123 (Mon-Fri 9am-5pm)", with "; " between numbers'
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read(source: str, settings: Mapping[str, Any], default_types: list[str] | None = None) -> Parsed:
    try:
        content = read_bytes(source, settings).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{source}: is not UTF-8 text. In Excel use Save As > CSV UTF-8.") from None
    return parse(content, source, default_types or [], place_lookup(settings))


def parse(content: str, source: str, default_types: list[str] | None = None, lookup: Lookup = knows_nothing) -> Parsed:
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = reader.fieldnames or []
    missing = [name for name in ("name", "summary", "types", "last_verified") if name not in columns]
    if missing:
        raise SourceError(
            f"{source}: the first row must name the columns; {', '.join(missing)} "
            "is missing. Start from the template on the Open data page."
        )
    parsed = Parsed(source)
    for column in columns:
        if column not in template_columns():
            parsed.problems.append(
                Problem(source, "row 1", column, "is not a column of the template, so it was ignored.")
            )
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for number, row in enumerate(reader, start=2):
        parsed.read += 1
        if None in row:
            parsed.problems.append(
                Problem(source, f"row {number}", "", "has more cells than the first row has column names.")
            )
            row.pop(None)
        row = {key: _cell(value) for key, value in row.items()}
        if not any(row.values()):
            continue
        record_id = row.get("slug") or row.get("name", "").casefold()
        groups.setdefault(record_id, []).append((number, row))
    for record_id, rows in groups.items():
        _record(record_id, rows, source, default_types or [], parsed, lookup)
    return parsed


def _cell(value: Any) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    # our export puts ' before text a spreadsheet would take for a formula (exports/csv_table.py)
    return value[1:] if value.startswith("'") and value[1:2] in FORMULA_STARTS else value


def _record(
    record_id: str,
    rows: list[tuple[int, dict[str, str]]],
    source: str,
    default_types: list[str],
    parsed: Parsed,
    lookup: Lookup,
) -> None:
    first_number = rows[0][0]
    first, differences = _shared(rows)
    label = f"row {first_number}" if len(rows) == 1 else f"rows {first_number}-{rows[-1][0]}"
    label += f' ("{first.get("name", "")}")'
    problems: list[Problem] = []
    changes: list[Problem] = []

    def note(number: int, error: BadValue) -> None:
        said = Problem(source, f"row {number}", error.field, error.message, record_id)
        (changes if isinstance(error, Changed) else problems).append(said)

    if differences:
        parsed.problems += [Problem(source, label, column, message, record_id) for column, message in differences]
        return
    for name in REQUIRED:
        if not first.get(name):
            parsed.problems.append(Problem(source, label, name, "is empty; the listing was not imported.", record_id))
            return
    listing: dict[str, Any] = {}
    for column, read_value in field_readers().items():
        if column in DERIVED or not first.get(column):
            continue
        try:
            read_value(listing, first[column], first)
        except BadValue as error:
            note(first_number, error)
    if not listing.get("types"):
        if not default_types:
            parsed.problems.append(
                Problem(
                    source,
                    label,
                    "types",
                    "is empty; give type codes (e.g. mutual_aid), or --types for every row without them.",
                    record_id,
                )
            )
            return
        listing["types"] = default_types
    if not DATE.fullmatch(first["last_verified"]):
        parsed.problems.append(
            Problem(
                source,
                label,
                "last_verified",
                f'"{first["last_verified"]}" is not a date written YYYY-MM-DD; the listing was not imported.',
                record_id,
            )
        )
        return
    locations = []
    for number, row in rows:
        if location := _location(row, lambda error, number=number: note(number, error), lookup):
            locations.append(location)
    listing["locations"] = locations
    listing = drop_empty(listing)
    parsed.problems += problems
    parsed.changes += changes
    parsed.records.append(Record(record_id, label, listing, [row for _, row in rows], first.get("slug", "")))


def _shared(rows: list[tuple[int, dict[str, str]]]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The listing's cells from the rows that are one listing: each filled-in cell, and the
    columns where rows say different things (column, what to do), which would otherwise be lost."""
    shared = dict(rows[0][1])
    differences = []
    key = "slug" if rows[0][1].get("slug") else "name"
    for column in field_readers():
        said: dict[str, int] = {}  # value -> the first row saying it
        for number, row in rows:
            if row.get(column):
                said.setdefault(row[column], number)
        if len(said) == 1:
            shared[column] = next(iter(said))
        elif len(said) > 1:
            each = ", ".join(f'row {number} says "{value}"' for value, number in said.items())
            differences.append(
                (
                    column,
                    f"{each}. Rows with the same {key} are one listing (a row for each of its locations), so "
                    f"they must agree on {column}, or leave it blank after the first row. If they are different "
                    "services, give each its own slug; if not, make these cells the same. This listing was not "
                    "imported.",
                )
            )
    return shared, differences


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(JOIN.strip()) if part.strip()]


def _yes_no(value: str, column: str) -> bool:
    if value.lower() in YES:
        return True
    if value.lower() in NO:
        return False
    raise BadValue(column, f'"{value}" should be yes or no (or blank when not known).')


def _set(field: str):
    return lambda listing, value, row: listing.__setitem__(field, text(value))


def _set_list(field: str):
    return lambda listing, value, row: listing.__setitem__(field, _list(value))


def _set_flag(field: str, column: str, only_true: bool = False):
    def apply(listing: dict[str, Any], value: str, row: dict[str, str]) -> None:
        flag = _yes_no(value, column)
        if flag or not only_true:
            listing[field] = flag

    return apply


def _referral(key: str, column: str, flag: bool = False):
    def apply(listing: dict[str, Any], value: str, row: dict[str, str]) -> None:
        listing.setdefault("referral", {})[key] = _yes_no(value, column) if flag else text(value)

    return apply


def _phones(listing: dict[str, Any], value: str, row: dict[str, str]) -> None:
    """Numbers separated by "; ", each with any note in brackets after it (a note may hold "; " or
    brackets of its own). A number we can't use is said and left out; the others are kept."""
    phones, bad, changes = [], [], []
    for entry in _outside_brackets(value):
        number, about = _phone_parts(entry)
        try:
            number, extension = phone_and_extension(number, "phones")
        except BadValue:
            bad.append(f'"{entry}"')
            continue
        about = fit(", ".join(filter(None, (extension, about))), 120, "phones", changes.append)
        phones.append(drop_empty({"number": number, "description": about}))
    listing["phones"] = phones
    if bad:
        raise BadValue(
            "phones",
            f"{' and '.join(bad)} {'is not a UK phone number' if len(bad) == 1 else 'are not UK phone numbers'}, "
            f"so {'it was' if len(bad) == 1 else 'they were'} left out. Write each number with its area code and "
            f"any note in brackets after it, {PHONE_EXAMPLE}.",
        )
    if changes:
        raise changes[0]


def _outside_brackets(value: str) -> list[str]:
    """`value` split on the "; " between entries, not on one inside an entry's (note)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(value):
        depth += {"(": 1, ")": -1}.get(char, 0) if depth or char == "(" else 0
        if char == ";" and depth <= 0:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return [part.strip() for part in parts if part.strip()]


def _phone_parts(entry: str) -> tuple[str, str]:
    """(number, note). The note is the bracketed group at the end ("0113 496 0200 (Mon-Fri; Sat
    mornings)"); brackets inside the number ("(020) 7946 0004", "+44 (0) 20 7946 0000") stay in it."""
    if not entry.endswith(")") or parse_phone(entry) is not None:
        return entry, ""
    depth = 0
    for index in range(len(entry) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(entry[index], 0)
        if depth == 0:
            break
    balanced = index > 0 and entry[index - 1] == " "
    if balanced and parse_phone(entry[:index].strip()) is not None:
        return entry[:index].strip(), entry[index + 1 : -1].strip()
    # A note whose brackets don't pair up ("(1) adults 2) families)", "… :)"): the note starts at
    # the first " (" after a whole number, as our export writes it.
    for found in re.finditer(r" \(", entry):
        if parse_phone(entry[: found.start()]) is not None:
            return entry[: found.start()], entry[found.end() : -1].strip()
    return (entry[:index].strip(), entry[index + 1 : -1].strip()) if balanced else (entry, "")


def _address(field: str, column: str, check: Any):
    """A web or email address, checked here: one we can't use is said and left out, so the
    rest of the listing still imports; one given https:// is kept, and said."""

    def apply(listing: dict[str, Any], value: str, row: dict[str, str]) -> None:
        changes: list[BadValue] = []
        found = check(value, column, changes.append)
        if field == "referral_url":
            listing.setdefault("referral", {})["url"] = found
        else:
            listing[field] = found
        if changes:
            raise changes[0]

    return apply


def _identifiers(listing: dict[str, Any], value: str, row: dict[str, str]) -> None:
    items = []
    for entry in _list(value):
        scheme, _, number = entry.partition(":")
        if not number:
            raise BadValue("identifiers", f'"{entry}" should be written SCHEME:NUMBER, e.g. GB-CHC:1234567.')
        items.append({"scheme": scheme.strip(), "id": number.strip()})
    listing["identifiers"] = items


def _review(listing: dict[str, Any], value: str, row: dict[str, str]) -> None:
    """review_due gives back review_every_months (the export writes last_verified + that many months)."""
    if not DATE.fullmatch(row.get("last_verified", "")) or not DATE.fullmatch(value):
        return
    verified, due = dt.date.fromisoformat(row["last_verified"]), dt.date.fromisoformat(value)
    months = next((m for m in range(1, 37) if add_months(verified, m) == due), None)
    if months is None:
        raise BadValue("review_due", f"{value} is not a whole number of months (1 to 36) after last_verified.")
    if months != 12:
        listing["review_every_months"] = months


def _areas(listing: dict[str, Any], value: str, row: dict[str, str]) -> None:
    unknown: list[str] = []
    listing["areas_served"] = local_authorities(_list(value), unknown.append)
    if unknown:
        raise BadValue(
            "areas_served",
            f"{', '.join(map(repr, unknown))}: not a UK local authority (as on gov.uk), "
            "so left out. Write the council's area, e.g. Calderdale, or national.",
        )


def _online_hours(listing: dict[str, Any], value: str, row: dict[str, str]) -> None:
    listing["online_hours"] = hours(value, "online_hours")


LISTING_FIELDS = {
    "name": _set("name"),
    "status": _set("status"),
    "types": _set_list("types"),
    "summary": _set("summary"),
    "lived_experience_led": _set_flag("lived_experience_led", "lived_experience_led"),
    "memberships": _set_list("memberships"),
    "website": _address("website", "website", web_address),
    "email": _address("email", "email", lambda value, column, note: email_address(value, column)),
    "phones": _phones,
    "identifiers": _identifiers,
    "audiences": _set_list("audiences"),
    "substances": _set_list("substances"),
    "cost": _set("cost"),
    "attendance": _set_list("attendance"),
    "open_24_7": _set_flag("open_24_7", "open_24_7", only_true=True),
    "self_referral": _referral("self", "self_referral", flag=True),
    "professional_referral": _referral("professional", "professional_referral", flag=True),
    "referral_how": _referral("how", "referral_how"),
    "referral_url": _address("referral_url", "referral_url", web_address),
    "areas_served": _areas,
    "last_verified": _set("last_verified"),
    "review_due": _review,
    "online_hours": _online_hours,
}


@cache
def field_readers() -> dict[str, Callable[[dict[str, Any], str, dict[str, str]], None]]:
    """LISTING_FIELDS, then the columns of fields added to the schema later (organisations_csv's
    extra_columns), read back by the schema's type: lists split on "; ", yes/no, or text."""
    properties = load_schema()["properties"]
    extra = {}
    for key in extra_columns():
        kind = resolve(properties[key]).get("type")
        extra[key] = _set_list(key) if kind == "array" else _set_flag(key, key) if kind == "boolean" else _set(key)
    return {**LISTING_FIELDS, **extra}


def hours(value: str, column: str) -> list[dict[str, Any]]:
    entries = []
    for entry in _list(value):
        found = HOURS_ENTRY.fullmatch(entry)
        if not found:
            raise BadValue(column, f'"{entry}" should be days then times, e.g. "mon,tue 09:00-17:00 (Drop-in)".')
        days = [day.strip() for day in found["days"].split(",")]
        entries.append(
            drop_empty(
                {
                    "days": days,
                    "opens": _two_digit(found["opens"]),
                    "closes": _two_digit(found["closes"]),
                    "note": found["note"],
                    "join_url": found["join_url"],
                    "join_phone": found["join_phone"].strip() if found["join_phone"] else None,
                }
            )
        )
    return entries


def _two_digit(clock: str) -> str:
    return clock.zfill(5)


def _location(row: dict[str, str], note: Any, lookup: Lookup) -> dict[str, Any] | None:
    """The row's location; a cell that can't be read is reported (`note`) and left out."""
    if not any(row.get(c) for c in ("location_name", "address", "town", "postcode")):
        return None
    location: dict[str, Any] = {
        "name": row.get("location_name", ""),
        "address": row.get("address", ""),
        "town": row.get("town", ""),
    }
    cells = {
        "postcode": lambda: postcode(row["postcode"], "postcode") if row.get("postcode") else "",
        "accessibility": lambda: _list(row.get("accessibility", "")),
        "hours": lambda: hours(row.get("hours", ""), "hours"),
    }
    for key, read_cell in cells.items():
        try:
            location[key] = read_cell()
        except BadValue as error:
            note(error)
    if row.get("latitude") or row.get("longitude"):
        location["coordinates"] = own_coordinates(
            location.get("postcode"), row.get("latitude"), row.get("longitude"), lookup
        )
        if location["coordinates"] is None and not location.get("postcode"):
            note(
                BadValue(
                    "latitude",
                    f'"{row.get("latitude")}, {row.get("longitude")}" is not a position in '
                    "decimal degrees, so it was left out.",
                )
            )
    return drop_empty(location)
