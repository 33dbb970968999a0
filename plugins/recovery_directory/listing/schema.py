"""The listing schema: the one source of field names, enum values and their display labels."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "schema" / "organisation.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def resolve(node: dict[str, Any], schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """A property with its `$ref` target merged in (the property's own words win)."""
    if "$ref" not in node:
        return node
    schema = schema or load_schema()
    target = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return {**resolve(target, schema), **{k: v for k, v in node.items() if k != "$ref"}}


def choices(definition: dict[str, Any]) -> dict[str, str] | None:
    """The value -> label mapping of a `oneOf` list of `const`s, or None for any other schema."""
    options = definition.get("oneOf")
    if not options or not all("const" in option for option in options):
        return None
    return {option["const"]: option.get("title", option["const"]) for option in options}


@cache
def labels(vocabulary: str) -> dict[str, str]:
    """Display labels for a field's values, in schema order, e.g. labels("types")["lero"].
    `vocabulary` is a field's name (types, days, accessibility, …) or a `$defs` entry's."""
    schema = load_schema()
    definition = vocabulary_definition(schema, vocabulary) or schema["$defs"].get(vocabulary, {})
    found = choices(definition)
    if found is None:
        raise KeyError(f"{vocabulary} is not a labelled vocabulary")
    return found


@cache
def code_fields() -> tuple[str, ...]:
    """Top-level fields whose values are codes from a labelled list (types, audiences, cost, …)."""
    properties = load_schema()["properties"]
    return tuple(
        key for key, raw in properties.items()
        if choices(resolve(raw)) or choices(resolve(resolve(raw).get("items", {})))
    )


@cache
def search_filters() -> tuple[tuple[str, str, str, bool], ...]:
    """(URL parameter, field, legend, whether the field is a list) for each field the search page
    filters on: those the schema marks `"x-search": {"param": …, "legend": …}`, in schema order."""
    return tuple(
        (raw["x-search"]["param"], key, raw["x-search"]["legend"], resolve(raw).get("type") == "array")
        for key, raw in load_schema()["properties"].items()
        if "x-search" in raw
    )


def vocabulary_definition(node: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The labelled values of the field called `name`, anywhere in the listing (its items' for a list)."""
    for key, raw in node.get("properties", {}).items():
        prop = resolve(raw)
        items = resolve(prop.get("items", {}))
        if key == name and (choices(items) or choices(prop)):
            return items if choices(items) else prop
        for child in (prop, items):
            if found := vocabulary_definition(child, name):
                return found
    return None


def schema_version() -> str:
    return load_schema().get("x-version", "0")
