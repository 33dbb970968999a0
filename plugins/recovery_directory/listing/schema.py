"""The listing schema: the one source of field names, enum values and their display labels."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "schema" / "organisation.schema.json"

# Which `$defs` entry labels the values of each listing field.
VOCABULARIES = {
    "types": "type",
    "status": "status",
    "memberships": "membership",
    "audiences": "audience",
    "substances": "substance",
    "cost": "cost",
    "attendance": "attendance",
    "accessibility": "accessibility",
    "days": "day",
    "identifier_scheme": "identifier_scheme",
}


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
    """Display labels for a field's values, in schema order, e.g. labels("types")["lero"]."""
    definition = load_schema()["$defs"][VOCABULARIES.get(vocabulary, vocabulary)]
    found = choices(definition)
    if found is None:
        raise KeyError(f"{vocabulary} is not a labelled vocabulary")
    return found


def schema_version() -> str:
    return load_schema().get("x-version", "0")
