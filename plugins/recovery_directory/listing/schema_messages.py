"""Turn jsonschema's errors into sentences a volunteer can act on.

jsonschema explains what failed in schema terms ("'x' is not valid under any of the given
schemas"); we say what is wrong with the value as written and what to write instead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from jsonschema import ValidationError

from .hours import DAYS
from .loader import LoadedListing
from .positions import item_noun
from .schema import choices, load_schema, resolve

Located = tuple[tuple[str | int, ...], bool, str]  # (path, point at the key?, message)

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of fields",
    "null": "empty",
}


def field_name(path: Iterable[str | int]) -> str:
    """`("locations", 0, "postcode")` -> `locations[0].postcode`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def describe(value: Any, typed: str | None = None) -> str:
    """How a value reads back to the contributor, quoting what they typed."""
    shown = typed if typed is not None and not isinstance(value, str) else value
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {shown}"
    if isinstance(value, str):
        return f'"{_shorten(value)}"'
    if isinstance(value, list):
        return "a list"
    return "a group of fields"


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_DAY_RANGE = re.compile(r"\s*([a-z]{3})[a-z]*\s*(?:-|–|to)\s*([a-z]{3})[a-z]*\s*", re.IGNORECASE)
_TIME_LIKE = re.compile(r"\s*(\d{1,2})[:.](\d\d)\s*")


def _time_meant(value: Any) -> str | None:
    """"9:00" or "9.30" as the time it means ("09:00"), if it is a real time written otherwise."""
    found = _TIME_LIKE.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    hour, minute = int(found[1]), found[2]
    meant = f"{hour:02d}:{minute}"
    real = hour < 24 and int(minute) < 60 or meant == "24:00"
    return meant if real and meant != value else None


def suggest_choice(word: str, options: dict[str, str]) -> str:
    """Did-you-mean for a coded value, matched on its label as well: "thursday" -> "thu". A range
    of days ("mon-fri") is written out: each day is a value of its own."""
    days = _DAY_RANGE.fullmatch(word)
    if days and set(DAYS) <= set(options):
        first, last = (DAYS.index(d.lower()) if d.lower() in DAYS else -1 for d in days.groups())
        if 0 <= first < last:
            return f" Write each day on its own: [{', '.join(DAYS[first : last + 1])}]."
    by_label = {label.lower(): code for code, label in options.items()}
    candidates = [(code, _similarity(word, code)) for code in options]
    candidates += [(by_label[label], _similarity(word, label)) for label in by_label]
    code, score = max(candidates, key=lambda pair: pair[1], default=("", 0.0))
    return f' Did you mean "{code}"?' if score >= 0.6 else ""


def _similarity(word: str, option: str) -> float:
    return difflib.SequenceMatcher(None, str(word).lower(), option.lower()).ratio()


def _unknown_key(key: str, path: tuple, properties: dict[str, Any]) -> tuple[str, str | None]:
    """The message for an unknown field, and the field here it most likely meant (if any): a close
    spelling or title here ("number" for `id`, titled "Number"), else where a field of that name belongs."""
    allowed = sorted(properties)
    if (bare := key.strip(" \u00a0\u2007\u202f\t")) != key and key[:1] in "\u00a0\u2007\u202f":
        return (
            f'"{bare}" is indented with an invisible non-breaking space (pasted text often brings one), which '
            "YAML doesn't count as indenting, so it isn't read as part of the field above it. Delete the "
            "spaces before it and type ordinary ones.",
            None,
        )
    candidates = [(name, _similarity(key, name)) for name in allowed]
    candidates += [(name, _similarity(key, resolve(prop).get("title", ""))) for name, prop in properties.items()]
    here = max(candidates, key=lambda pair: pair[1], default=("", 0.0))
    level = tuple(0 if isinstance(part, int) else part for part in path)
    elsewhere = [
        (name, home, 1.0 if name == key.lower() else _similarity(key, name))
        for name, homes in _homes().items()
        for home in homes
        if home[:-1] != level
    ]
    name, home, score = max(elsewhere, key=lambda item: item[2], default=("", (), 0.0))
    if score >= 0.6 and score > here[1]:
        spelled = "" if name == key else f' Did you mean "{name}"?'
        return f'"{key}" is not a field here.{spelled} {_belongs(home)} Move it there, or remove it.', None
    if here[1] >= 0.6:
        return f'"{key}" is not a field we know. Did you mean "{here[0]}"? Check the spelling or remove it.', here[0]
    listed = f"The fields allowed here are: {', '.join(allowed)}."
    return f'"{key}" is not a field we know. {listed} Check the spelling or remove it.', None


def _belongs(home: tuple) -> str:
    parent = home[:-1]
    if not parent:
        return "It belongs at the top level of the file, not indented under another field."
    if isinstance(parent[-1], int):
        return f'It belongs in each {item_noun(parent[:-1]) or "entry"}, under "{parent[-2]}:".'
    return f'It belongs under "{parent[-1]}:".'


@cache
def _homes() -> dict[str, list[tuple]]:
    """Every field name the schema knows -> where it may be written, e.g. address -> [("locations", 0, "address")]."""
    homes: dict[str, list[tuple]] = {}

    def walk(node: dict[str, Any], path: tuple) -> None:
        for key, raw in resolve(node).get("properties", {}).items():
            homes.setdefault(key, []).append((*path, key))
            prop = resolve(raw)
            if "properties" in prop:
                walk(prop, (*path, key))
            items = resolve(prop.get("items", {}))
            if "properties" in items:
                walk(items, (*path, key, 0))

    walk(load_schema(), ())
    return homes


def explain(errors: Iterable[ValidationError], listing: LoadedListing) -> Iterator[Located]:
    errors = list(errors)
    # "Did you mean "lon"?" on a misspelt key already says what is missing: skip the
    # separate "required field "lon" is missing" for the same group of fields.
    suggested = {
        (tuple(error.absolute_path), match)
        for error in errors
        if error.validator == "additionalProperties" and isinstance(error.instance, dict)
        for key in set(error.instance) - set(error.schema.get("properties", {}))
        if (match := _unknown_key(str(key), tuple(error.absolute_path), error.schema.get("properties", {}))[1])
    }
    for error in errors:
        if error.validator == "required" and (tuple(error.absolute_path), _missing(error)) in suggested:
            continue
        yield from _explain_one(error, listing)


def _missing(error: ValidationError) -> str:
    return error.message.split("'")[1] if "'" in error.message else "a field"


def _explain_one(error: ValidationError, listing: LoadedListing) -> Iterator[Located]:
    path = tuple(error.absolute_path)
    value, schema, keyword = error.instance, error.schema, error.validator
    typed = listing.source_text.get(path)

    if keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            yield (*path, key), True, _unknown_key(str(key), path, schema.get("properties", {}))[0]
        return
    if keyword == "required":
        yield path, True, _required_message(_missing(error), error)
        return
    if keyword in ("oneOf", "enum", "const") and _labelled(schema):
        options = choices(schema) or {}
        shown = describe(value, typed)
        yield (
            path,
            False,
            f"{shown} is not one of the allowed values.{suggest_choice(str(value), options)} "
            f"Use one of: {', '.join(options)}.",
        )
        return
    if keyword == "type":
        yield path, False, _type_message(value, schema, typed, path)
        return
    if keyword == "anyOf" and "x-hint" in schema:
        yield path, True, f"This location has nothing to find it by. {schema['x-hint']}"
        return
    if keyword == "minItems":
        yield path, False, "The list is empty. Add at least one value, or remove the field."
        return
    if keyword == "uniqueItems":
        seen: set[str] = set()
        repeated = next((item for item in map(repr, value) if item in seen or seen.add(item)), "")
        yield path, False, f"The list has the same value twice ({repeated.strip(chr(39))}). Remove one."
        return
    if keyword == "maxLength":
        yield (
            path,
            False,
            f"{describe(value)} is {len(value)} characters long; the limit is {schema['maxLength']}. Shorten it.",
        )
        return
    if keyword == "minLength":
        if not value.strip():
            yield path, False, "This is empty. Write it after the colon, or delete the line if the field is optional."
        else:
            yield path, False, f"{describe(value)} is too short: write at least {schema['minLength']} characters."
        return
    if keyword in ("minimum", "maximum"):
        bound = schema.get(keyword)
        side = "at least" if keyword == "minimum" else "at most"
        yield path, False, f"{describe(value, typed).capitalize()} is out of range: it must be {side} {bound}."
        return
    if keyword in ("pattern", "format"):
        hint = schema.get("x-hint", "")
        what = schema.get("x-what") or ("a real date" if schema.get("format") == "date" else "in the expected form")
        if what.endswith("time") and (meant := _time_meant(value)):
            hint = f'Did you mean "{meant}"? Times have two digits for the hour, in quotes.'
        yield path, False, f"{describe(value, typed)} is not {what}. {hint}".strip()
        return
    yield path, False, error.message  # a rule we have no special wording for


def _labelled(schema: dict[str, Any]) -> bool:
    return choices(schema) is not None


def _required_message(missing: str, error: ValidationError) -> str:
    about = error.schema.get("properties", {}).get(missing, {})
    if "$ref" in about and not about.get("description"):
        about = {}
    description = about.get("description", "")
    example = (about.get("examples") or [None])[0]
    text = f'The required field "{missing}" is missing.'
    if description:
        text += f" {description}"
    if isinstance(example, str):
        text += f' For example: {missing}: "{example}"'
    return text


_LISTS_OF_GROUPS = {"phones", "identifiers", "locations", "hours"}


# Fields of words, where a list ("- Drop in" / "- Tea") was meant as lines of text: they get the "|"
# advice, not "one value" (which would lose all but one line).
_TEXT_FIELDS = frozenset({"description", "summary", "how", "note", "join_notes", "address", "name"})


def _type_message(value: Any, schema: dict[str, Any], typed: str | None, path: tuple) -> str:
    expected = schema["type"]
    expected_list = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_TYPE_WORDS.get(name, name) for name in expected_list)
    if value is None:
        return f"This is empty, but it should be {wanted}. Write it after the colon, or delete the line."
    text = f"This should be {wanted}, but it is {describe(value, typed)}."
    if "x-hint" in schema:  # the field's own advice beats a generic one ("write the date as YYYY-MM-DD")
        return f"{text} {schema['x-hint']}"
    if "string" in expected_list and isinstance(value, bool | int | float):
        original = typed if typed is not None else str(value).lower()
        read_as = "true/false" if isinstance(value, bool) else "a number"
        text += f' YAML read it as {read_as}: put it in quotes, like "{original}".'
    elif "string" in expected_list and isinstance(value, list) and path and path[-1] not in _TEXT_FIELDS:
        text += " It takes one value: keep the one people should use, without [ ] brackets."
    elif "string" in expected_list:
        text += ' For text on several lines, write "|" after the colon and indent the lines below it.'
    elif "boolean" in expected_list and isinstance(value, str):
        text += " Write true or false, without quotes."
    elif {"integer", "number"} & set(expected_list) and isinstance(value, str):
        text += " Write it in digits, without quotes, e.g. 12." if "integer" in expected_list else (
            " Write it in digits, without quotes, e.g. 53.7248."
        )
    elif "array" in expected_list and path and path[-1] in _LISTS_OF_GROUPS:
        text += ' Start each item on its own line with "- " (a hyphen and a space), its fields indented below.'
    elif "array" in expected_list and not isinstance(value, list):
        shown = typed if typed is not None else (value if isinstance(value, str) else "...")
        text += f" Write it as a list in square brackets, e.g. [{shown}]."
    elif "object" in expected_list and path and path[-1] in ("coordinates", "referral"):
        text += " It needs indented fields on the lines below."
    elif "object" in expected_list and len(path) == 2 and path[0] == "phones" and isinstance(value, str):
        text += f' Write it as a group with its number in a field of its own: - number: "{value}"'
    return text
