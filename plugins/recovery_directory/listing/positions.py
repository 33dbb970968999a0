"""Where a problem is, in the words people use: `locations[0].hours` is "the first location's
opening times", `locations[0].hours[0].closes` is `"closes" in the first location's first
opening time`. The nouns come from the schema (a list's items' `title`), not from a second list."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .schema import load_schema, resolve

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_field(field: str) -> tuple[str | int, ...]:
    """`locations[0].postcode` -> ("locations", 0, "postcode")."""
    return tuple(int(index) if index else key for index, key in _PART.findall(field))


def ordinal(index: int) -> str:
    if index < len(ORDINALS):
        return ORDINALS[index]
    number = index + 1
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def in_words(field: str) -> str:
    """The place a field path names, for a volunteer; top-level fields keep their own name."""
    path = parse_field(field)
    if len(path) <= 1:
        return field
    return _describe(path)


@cache
def _describe(path: tuple[str | int, ...]) -> str:
    last, parent = path[-1], path[:-1]
    if isinstance(last, int):
        if item_noun(parent):
            return _container(path)
        within = f" in {_container(parent[:-1])}" if len(parent) > 1 else ""
        return f'the {ordinal(last)} value of "{parent[-1]}"{within}'
    if _is_container(path):
        return _container(path)
    return f'"{last}" in {_container(parent)}'


def _container(path: tuple[str | int, ...]) -> str:
    """A group or list as a noun phrase: "referral", "the second phone number",
    "the first location's opening times"."""
    last, owner = path[-1], path[:-1]
    if isinstance(last, int):
        noun = f"{ordinal(last)} {item_noun(owner) or 'entry'}"
        return f"{_container(owner[:-1])}'s {noun}" if len(owner) > 1 else f"the {noun}"
    noun = _list_noun(path) or last
    return f"{_container(owner)}'s {noun}" if owner else noun


def item_noun(list_path: tuple[str | int, ...]) -> str:
    """"location" for ("locations",): the title the schema gives each item of a list of groups."""
    items = resolve(schema_at(list_path).get("items", {}))
    return items.get("title", "").lower() if "properties" in items else ""


def _list_noun(path: tuple[str | int, ...]) -> str:
    """"opening times" for (…, "hours"): the plural of its items' title."""
    noun = item_noun(path)
    return f"{noun}s" if noun else ""


def _is_container(path: tuple[str | int, ...]) -> bool:
    node = schema_at(path)
    return "properties" in node or "properties" in resolve(node.get("items", {}))


def schema_at(path: tuple[str | int, ...]) -> dict[str, Any]:
    """The schema of the value at `path` ({} for a field the schema doesn't know), `$ref` resolved."""
    node: dict[str, Any] = load_schema()
    for part in path:
        node = resolve(node)
        node = node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {})
    return resolve(node)
