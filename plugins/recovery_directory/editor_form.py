"""The listing editor's form, made from the schema at build time so it can never drift from the rules.

Each schema property becomes one `EditorField` with a `kind` the editor's script knows how to read
and fill (theme/static/js/editor/form.js); templates/editor.html renders them. The browser checks
what is typed against the same schema file, so nothing here repeats a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .listing.schema import choices, load_schema, resolve

LONG_TEXT = 200  # a text field allowing more characters than this gets a multi-line box
# The schema's descriptions are written for people typing YAML; in the form, quotes and `true`
# are the editor's business.
FOR_YAML_ONLY = [
    (re.compile(r",? in quotes"), ""),  # "The number on that register, in quotes."
    (re.compile(r"^true if"), "Yes if"),  # booleans are Yes/No choices
    (re.compile(r"\[(\w+)\]"), r"\1"),  # "or [national]": one area per line
]


@dataclass
class EditorField:
    key: str
    kind: str  # text, longtext, date, integer, number, boolean, choice, choices, lines, group, groups
    title: str
    description: str = ""
    required: bool = False
    example: str = ""
    input_type: str = "text"  # for kind text: text, email, url, tel
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[EditorField] = field(default_factory=list)
    item_title: str = ""  # for kind groups: what one entry is called ("Location")
    attributes: dict[str, Any] = field(default_factory=dict)  # maxlength, min, max, inputmode …

    @property
    def add_label(self) -> str:
        return f"Add {_article(self.item_title)} {self.item_title.lower()}"


def editor_fields() -> list[EditorField]:
    schema = load_schema()
    return _fields(schema, schema)


def _fields(node: dict[str, Any], schema: dict[str, Any]) -> list[EditorField]:
    required = set(node.get("required", ()))
    return [
        _field(key, resolve(raw, schema), schema, key in required)
        for key, raw in node.get("properties", {}).items()
        if typed_by_hand(raw, schema)
    ]


def typed_by_hand(prop: dict[str, Any], schema: dict[str, Any] | None = None) -> bool:
    """False for fields tools write (`readOnly` in the schema, like import's `source`): the editor
    shows no control for them and keeps whatever value the listing had."""
    return not resolve(prop, schema).get("readOnly", False)


def _field(key: str, prop: dict[str, Any], schema: dict[str, Any], required: bool) -> EditorField:
    items = resolve(prop.get("items", {}), schema)
    entry = EditorField(
        key=key,
        kind="text",
        title=prop.get("title", key),
        description=_for_the_form(prop.get("description", "")),
        required=required,
        example=_example(prop),
    )
    if entry.example and entry.example in prop.get("description", ""):
        entry.example = ""  # the description already shows it
    kind = prop.get("type")
    if kind == "array" and (options := choices(items)):
        entry.kind, entry.options = "choices", list(options.items())
    elif kind == "array" and "properties" in items:
        entry.kind, entry.children = "groups", _fields(items, schema)
        entry.item_title = items.get("title") or prop.get("title", key)
    elif kind == "array":
        entry.kind = "lines"
    elif options := choices(prop):
        entry.kind, entry.options = "choice", list(options.items())
    elif "properties" in prop:
        entry.kind, entry.children = "group", _fields(prop, schema)
    elif kind == "boolean":
        entry.kind = "boolean"
    elif kind in ("integer", "number"):
        entry.kind = kind
        entry.attributes["inputmode"] = "numeric" if kind == "integer" else "decimal"
    elif prop.get("format") == "date":
        entry.kind = "date"  # typed as text: a browser's date picker shows its own, often American, order
        entry.attributes["inputmode"] = "numeric"
    elif prop.get("maxLength", 0) > LONG_TEXT:
        entry.kind = "longtext"
    else:
        entry.input_type = _input_type(key, prop)
    if "maxLength" in prop and entry.kind in ("text", "longtext"):
        entry.attributes["maxlength"] = prop["maxLength"]
    return entry


def _for_the_form(text: str) -> str:
    for pattern, replacement in FOR_YAML_ONLY:
        text = pattern.sub(replacement, text)
    return text


def _input_type(key: str, prop: dict[str, Any]) -> str:
    if key == "email":
        return "email"
    if prop.get("pattern", "").startswith("^https?://"):
        return "url"
    return "text"


def _example(prop: dict[str, Any]) -> str:
    examples = prop.get("examples") or []
    if not examples or isinstance(examples[0], dict | bool):
        return ""
    value = examples[0]
    if isinstance(value, list):
        return ", ".join(map(str, value)) if all(isinstance(v, str) for v in value) else ""
    return str(value) if "\n" not in str(value) else ""


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"
