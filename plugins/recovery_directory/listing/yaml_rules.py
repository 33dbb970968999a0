"""What a listing's YAML values mean and what they may hold: the rules loader.py and plain_values.py
share, so the fast path and the reference path can't drift apart.

YAML 1.2 core rules: only true/false are booleans, plain numbers are numbers, everything else
(dates, times, `yes`, `NO`, `0x1F`) stays text for the schema to judge.
"""

from __future__ import annotations

import re
from typing import Any

MAX_DEPTH = 12  # a listing needs 5 (locations > item > hours > item > days); more is a mistake or an attack

INT = re.compile(r"[-+]?[0-9]+")
FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
NULLS = {"", "~", "null", "Null", "NULL"}
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# Control characters that reach a value through escapes such as "\e" or "\x07".
CONTROL_IN_VALUE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

# First characters of every plain scalar that YAML 1.2 core rules read as null, a boolean or a
# number; any other plain scalar is text, which spares the number patterns for most values.
MAYBE_NOT_TEXT = {"", "~", "n", "N", "t", "T", "f", "F", "+", "-", ".", *"0123456789"}


def plain_value(text: str) -> Any:
    """An untagged, unquoted scalar by YAML 1.2 core rules (everything else stays text)."""
    if text in NULLS:
        return None
    if text in BOOLS:
        return BOOLS[text]
    if INT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts (4,300): a number all the same
            return float(text)
    if FLOAT.fullmatch(text):
        return float(text)
    return text


def in_quotes(text: str) -> str:
    """The text as a quoted YAML value, for a message's example: double quotes unless it holds one
    (or a backslash, which they would read as an escape), else single quotes, else double quotes
    with escapes."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
