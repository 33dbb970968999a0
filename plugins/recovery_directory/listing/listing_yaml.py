"""Write a listing as YAML that reads like a hand-written one and loads back to the same values.

Used by `recovery-directory import` and the benchmark's synthetic listings. Text that YAML would
read as something else (digits, times, dates, yes/no, null) is quoted, so our loader (YAML 1.2
core rules, loader.py) gives back exactly the strings written.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .yaml_rules import BOOLS, FLOAT, INT, NULLS

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schema/organisation.schema.json\n"


class _ListingDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Block style like a hand-written listing: descriptions as `|` blocks, short lists inline."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # our loader refuses anchors and aliases


_DIGITS = re.compile(r"[0-9][0-9 :]*")


def _not_text_to_our_loader(text: str) -> bool:
    """True if loader.py would read this plain scalar as a number, boolean or null."""
    return bool(INT.fullmatch(text) or FLOAT.fullmatch(text) or text in NULLS or text in BOOLS)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # A `|` block can't hold trailing spaces on a line or a leading space, so such text is quoted.
    if "\n" in text and not re.search(r" \n|^ |\t", text) and text == text.rstrip(" "):
        style = "|"
    else:
        # phones and times quoted like a person would; anything our loader would not read as text too
        style = '"' if _DIGITS.fullmatch(text) or _not_text_to_our_loader(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, items: list) -> yaml.SequenceNode:
    flow = all(isinstance(item, str) for item in items)  # types: [lero, mutual_aid]
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_ListingDumper.add_representer(str, _represent_text)
_ListingDumper.add_representer(list, _represent_list)


def listing_yaml(listing: dict[str, Any], comment: str = "") -> str:
    """The file's text: the schema comment (editors then check and complete it), any comment given,
    then the fields in the order given."""
    body = yaml.dump(listing, Dumper=_ListingDumper, sort_keys=False, allow_unicode=True, width=1000)
    header = "".join(f"# {line}\n" for line in comment.splitlines())
    return SCHEMA_COMMENT + header + body
