"""Filters and globals our templates use: labels from the schema, dates in plain words, JSON-LD,
and the schema's fields explained for the "Add or update your listing" page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from .cards import embed_items, listing_cards
from .clock import today
from .confirmation import confirm_url
from .exports.jsonld import organisation_jsonld, page_address, script_json
from .listing.directions import directions_url
from .listing.model import Organisation, area_slug, type_slug
from .listing.schema import choices, labels, load_schema, resolve
from .listing.text import long_date
from .vendor import template_vendor_url


def label(code: str, vocabulary: str) -> str:
    return labels(vocabulary).get(code, code)


@pass_context
def jsonld(context: Any, org: Any, page_url: str = "") -> Markup:
    """The listing page's JSON-LD, from the public record the build's Directory made for it."""
    page_url = page_url or page_address(context, org.url)
    return script_json(organisation_jsonld(context["directory"].record(org), page_url))


@dataclass
class SchemaField:
    """One field of a listing, in the words the schema itself uses."""

    key: str
    path: str  # e.g. locations → hours → days
    title: str
    description: str
    required: bool
    kind: str  # what to write, in plain words
    hint: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    example: str = ""
    default: str = ""
    children: list[SchemaField] = field(default_factory=list)


def schema_fields() -> list[SchemaField]:
    """Every field a listing may have, from schema/organisation.schema.json (not retyped)."""
    schema = load_schema()
    return _fields(schema, schema, "")


def _fields(node: dict[str, Any], schema: dict[str, Any], prefix: str) -> list[SchemaField]:
    found = []
    required = set(node.get("required", ()))
    for key, raw in node.get("properties", {}).items():
        prop = resolve(raw, schema)
        items = resolve(prop.get("items", {}), schema)
        options = choices(items) or choices(prop) or {}
        path = f"{prefix} → {key}" if prefix else key
        entry = SchemaField(
            key=key,
            path=path,
            title=prop.get("title", key),
            description=prop.get("description", ""),
            required=key in required,
            kind=_kind(prop, items, options),
            hint=prop.get("x-hint", "") or items.get("x-hint", ""),
            choices=list(options.items()),
            example=yaml_example(key, prop["examples"][0]) if prop.get("examples") else "",
            default=yaml_value(prop["default"]) if "default" in prop else "",
        )
        entry.children = _fields(items if "properties" in items else prop, schema, path)
        found.append(entry)
    return found


def _kind(prop: dict[str, Any], items: dict[str, Any], options: dict[str, str]) -> str:
    kind = prop.get("type")
    if kind == "array":
        if options:
            return "a list of values from the list below"
        if "properties" in items:
            return "a list of entries, each with the fields below"
        return "a list of text items"
    if options:
        return "one value from the list below"
    if "properties" in prop:
        return "a group of the fields below"
    if kind == "boolean":
        return "true or false"
    if kind in ("integer", "number"):
        return "a number" + (f" from {prop['minimum']} to {prop['maximum']}" if "maximum" in prop else "")
    if prop.get("format") == "date":
        return "a date, YYYY-MM-DD"
    if "maxLength" in prop:
        return f"text, up to {prop['maxLength']} characters"
    return "text"


PLAIN_WORD = re.compile(r"^[a-z][a-z0-9_]*$")


def yaml_value(value: Any) -> str:
    """A value as a contributor would type it in YAML: codes bare, other text in quotes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {yaml_value(item)}" for key, item in value.items()) + "}"
    text = str(value)
    return text if PLAIN_WORD.match(text) else json.dumps(text, ensure_ascii=False)


def yaml_example(key: str, value: Any) -> str:
    if isinstance(value, str) and "\n" in value:
        return f"{key}: |\n" + "\n".join(f"  {line}" if line else "" for line in value.splitlines())
    return f"{key}: {yaml_value(value)}"


def opening_hours(org: Organisation) -> list[dict[str, Any]]:
    """Each location's weekly hours for the listing page's "open now" script (Europe/London),
    then the sessions held only online or by phone, as one more place (`where` says how the
    page names it)."""
    places = [
        {"place": location.name or location.town, "hours": [[list(h.days), h.opens, h.closes] for h in location.hours]}
        for location in org.locations
        if location.hours
    ]
    if org.online_hours:
        hours = [[list(h.days), h.opens, h.closes] for h in org.online_hours]
        places.append({"place": "online or by phone", "where": "online or by phone", "hours": hours})
    return places


def template_helpers(settings: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    filters = {
        "label": label, "long_date": long_date, "jsonld": jsonld, "area_slug": area_slug, "type_slug": type_slug,
        "directions": lambda location: directions_url(location, settings),
        "opening_hours_json": lambda org: script_json(opening_hours(org)),
    }
    globals_ = {
        "labels": labels, "today": today, "schema_fields": schema_fields, "listing_cards": listing_cards,
        "embed_items": embed_items,
        "confirm_url": lambda org: confirm_url(settings, org.slug, org.name),
        # vendor/<package>-<version>/<file>; remembered per build (listing pages ask up to twice each)
        "vendor_url": cache(template_vendor_url(settings)),
    }
    return filters, globals_
