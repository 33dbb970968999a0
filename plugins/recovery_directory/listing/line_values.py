"""The loader's quickest path: a listing's values read line by line, for a file written the way
listings are written (the editor's output, the starter file, the samples), without a YAML parser.

libyaml makes a Python event object for every value and key, and turning those into values cost
more than all of a listing's checks. Listings use a small part of YAML: block mappings with plain
keys, block sequences, one-line plain, quoted and flow-list values, and `|` text. This reads just
that part and gives up (returns None) at anything else, however harmless: a tab, a carriage return,
an escape in double quotes, a value running onto a second line, a comment after a value, a flow
mapping, an anchor, tag or alias, a folded (`>`) or kept (`|+`) block, a `|` block whose lines start
with spaces beyond its indentation, a key that isn't a plain name, a duplicate key, a document
marker. plain_values.py (libyaml's events) then reads the file, and failing that yaml_events.py's
reference path, which explains any problem. So this path never judges a file: it only reads the
usual one faster, giving exactly the values the other paths give, types included
(tests/test_plain_values.py holds the three to that on every fixture and on fuzzed files).
"""

from __future__ import annotations

import re
from typing import Any

from .yaml_rules import MAX_DEPTH, MAYBE_NOT_TEXT, plain_value

# A line holding a plain key: its indentation, any "- " before the key (a list item's mapping,
# spaces included), the key, then what follows the colon and its spaces,
# less any spaces at the end, sorted out (all None when nothing follows):
# - text that can only be text, if it has no ": " or " #" in it and no ":" at its end (the caller
#   checks: a pattern for that cost more): no indicator, digit, sign, dot or "~" first, not a null
#   or boolean word;
# - the inside of a 'quoted' or "quoted" value with nothing to unescape;
# - the inside of a list of words ([a, b c]: no null or boolean, ", " between);
# - or any other value, for _inline to read (or give up on).
_NOT_TEXT_WORD = "(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)"
_WORD = f"(?!{_NOT_TEXT_WORD}[,\\]])[A-Za-z_][A-Za-z0-9_]*(?: [A-Za-z0-9_]+)*"
_KEY_LINE = re.compile(
    r"( *)(- +)?([A-Za-z_][A-Za-z0-9_]*):(?: +(?:"
    rf"((?!{_NOT_TEXT_WORD} *$)[^-?:,\[\]{{}}#&*!|>'\"%@`~+.0-9 ](?:.*[^ ])?)"
    r"|'([^']*)'|\"([^\"\\]*)\""
    rf"|\[({_WORD}(?:, {_WORD})*)\]"
    r"|(.*[^ ])))? *"
)
# Plain values beginning with one of "nNtTfF" that are not text (yaml_rules.plain_value's NULLS and
# BOOLS: numbers can't begin with those letters).
_WORDS = {"null": None, "Null": None, "NULL": None, "true": True, "True": True, "TRUE": True,
          "false": False, "False": False, "FALSE": False}
_NOT_TEXT_KEYS = {"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"}
# After a quoted value: spaces, or a comment after at least one space.
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: *| +#.*)")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: *| +#.*)')
# The usual flow list: plain words, nothing nested, quoted or commented.
_PLAIN_LIST = re.compile(r"\[([^\[\]{}#\"':]*[^\[\]{}#\"': ][^\[\]{}#\"':]*)\] *")
# One token of a one-line flow collection (`[a, b]`, `{days: [mon], opens: "09:30"}`), after any
# spaces: punctuation, a single- or double-quoted value, a key with its colon, or a plain value
# (which can't hold YAML's flow punctuation, a colon or a comment; "-" only before a digit).
_FLOW_TOKEN = re.compile(
    r""" *(?:([\[\]{},])|'((?:[^']|'')*)'|"([^"\\]*)"|([A-Za-z_][A-Za-z0-9_]*): +"""
    r"""|((?:[^ \[\]{},#:"'&*!|>%@`?\-]|-(?=[0-9.]))[^\[\]{},#:"]*))"""
)
# Characters that can't begin a plain value (YAML's indicators), or that this path leaves to the
# others ("-", "?" and ":" can begin one, in ways not worth reading here).
_NOT_PLAIN_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DIGITS = frozenset("0123456789.")
_DEEPEST = MAX_DEPTH - 4  # a listing needs 5 levels; deeper files go the way that explains limits


class _GiveUp(Exception):
    """Something this path does not read: another path will."""


def line_values(text: str) -> dict[str, Any] | None:
    """The listing's values, or None if another path must read the file."""
    if "\t" in text or "\r" in text or "\ufeff" in text:
        return None
    try:
        return _read(text.split("\n"))
    except _GiveUp:
        return None


def _plain(text: str) -> Any:
    """A one-line plain value (its first character already allowed), by YAML 1.2 core rules."""
    text = text.rstrip(" ")
    if ": " in text or " #" in text or text[-1] == ":":
        raise _GiveUp
    return plain_value(text) if text[0] in MAYBE_NOT_TEXT else text


def _inline(text: str, depth: int) -> Any:
    """A value written on the line of its key or dash (not `|`): plain, quoted or a flow collection."""
    first = text[0]
    if first == "'":
        if (found := _SINGLE.fullmatch(text)) is None:
            raise _GiveUp
        return found[1].replace("''", "'")
    if first == '"':
        if (found := _DOUBLE.fullmatch(text)) is None:
            raise _GiveUp
        return found[1]
    if first == "[" and (found := _PLAIN_LIST.fullmatch(text)) is not None:
        items = found[1].split(",")
        for index, item in enumerate(items):
            item = item.strip(" ")
            if not item or item[0] in _NOT_PLAIN_FIRST:
                raise _GiveUp
            items[index] = plain_value(item) if item[0] in MAYBE_NOT_TEXT else item
        return items
    if first == "[" or first == "{":
        value, at = _flow(text, 0, depth)
        if text[at:].strip(" "):
            raise _GiveUp
        return value
    if first in _NOT_PLAIN_FIRST and not (first == "-" and text[1:2] in _DIGITS):
        raise _GiveUp
    return _plain(text)


def _flow(text: str, at: int, depth: int) -> tuple[Any, int]:
    if (found := _FLOW_TOKEN.match(text, at)) is None:
        raise _GiveUp
    return _flow_value(found, text, depth)


def _flow_value(found: re.Match[str], text: str, depth: int) -> tuple[Any, int]:
    """The value a token starts (for `[` and `{`, the whole collection), and where it ends."""
    punctuation, single, double, key, plain = found.groups()
    at = found.end()
    if plain is not None:
        plain = plain.rstrip(" ")
        return (plain_value(plain) if plain[0] in MAYBE_NOT_TEXT else plain), at
    if single is not None:
        return single.replace("''", "'"), at
    if double is not None:
        return double, at
    if depth >= _DEEPEST:
        raise _GiveUp
    match = _FLOW_TOKEN.match
    if punctuation == "[":
        items: list[Any] = []
        if (found := match(text, at)) is None:
            raise _GiveUp
        if found[1] == "]":
            return items, found.end()
        while True:
            value, at = _flow_value(found, text, depth + 1)
            items.append(value)
            if (found := match(text, at)) is None:
                raise _GiveUp
            if found[1] == "]":
                return items, found.end()
            if found[1] != "," or (found := match(text, found.end())) is None:
                raise _GiveUp
    if punctuation == "{":
        values: dict[str, Any] = {}
        if (found := match(text, at)) is None:
            raise _GiveUp
        if found[1] == "}":
            return values, found.end()
        while True:
            key = found[4]
            if key is None or key in values or key in _NOT_TEXT_KEYS:
                raise _GiveUp
            values[key], at = _flow(text, found.end(), depth + 1)
            if (found := match(text, at)) is None:
                raise _GiveUp
            if found[1] == "}":
                return values, found.end()
            if found[1] != "," or (found := match(text, found.end())) is None:
                raise _GiveUp
    raise _GiveUp  # "]", "}" or "," where a value belongs, or a key inside a list


def _read(lines: list[str]) -> dict[str, Any]:
    """One pass over the lines with a stack of open blocks (no recursion, no call for the usual
    `key: value` line: this loop is most of the loader's time)."""
    root: dict[str, Any] = {}
    stack: list[tuple[Any, int, bool]] = []  # enclosing blocks: (container, indentation, is a mapping)
    block: Any = root
    indent, in_mapping = 0, True
    # After `key:` or a bare `-`, the container and key (or index) whose value the next lines may be.
    waiting: Any = None
    waiting_at: Any = None
    waiting_key = False  # after `key:`: a list may start at the key's own indentation
    key_line = _KEY_LINE.fullmatch
    not_text_keys, not_plain_first, maybe_not_text, words = _NOT_TEXT_KEYS, _NOT_PLAIN_FIRST, MAYBE_NOT_TEXT, _WORDS
    end, at = len(lines), 0
    while at < end:
        line = lines[at]
        at += 1
        found = key_line(line)
        if found is not None:  # the usual line: `key: value` or `key:`
            spaces, dash_key, key, text, single, double, listed, other = found.groups()
            here = len(spaces)
            dash = dash_key is not None
        else:
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                continue
            here = len(line) - len(content)
            dash = content[0] == "-" and (len(content) == 1 or content[1] == " ")
            key = None
        if waiting is not None:
            if here > indent or (here == indent and dash and waiting_key):
                if len(stack) + 2 >= _DEEPEST:
                    raise _GiveUp
                waiting[waiting_at] = child = [] if dash else {}
                stack.append((block, indent, in_mapping))
                block, indent, in_mapping = child, here, not dash
            waiting = None
        while here < indent:
            block, indent, in_mapping = stack.pop()
        if here != indent:  # a value running on, or an indentation no block has
            raise _GiveUp
        if not in_mapping:
            if not dash:  # a key at a list's own indentation ends the list, if the list is a key's
                if not stack or stack[-1][1] != here or not stack[-1][2]:
                    raise _GiveUp
                block, indent, in_mapping = stack.pop()
            elif key is not None:  # "- key: …": a mapping starting at the key's column
                if len(stack) + 2 >= _DEEPEST:
                    raise _GiveUp
                child = {}
                block.append(child)
                stack.append((block, indent, in_mapping))
                block, indent, in_mapping = child, here + len(dash_key), True
                dash = False
            else:
                item = content[1:].lstrip(" ")
                if not item:
                    block.append(None)
                    waiting, waiting_at, waiting_key = block, len(block) - 1, False
                    continue
                if item[0] == "|":
                    value, at = _literal(lines, at, item, indent)
                else:
                    value = _inline(item.rstrip(" "), len(stack) + 1)
                block.append(value)
                continue
        if key is None or dash:  # in a mapping, anything but a key
            raise _GiveUp
        if key in block or key in not_text_keys:
            raise _GiveUp
        # The usual values, sorted out by _KEY_LINE: text as written, quoted text, a list of words.
        if text is not None:
            if ": " in text or " #" in text or text[-1] == ":":
                raise _GiveUp
            block[key] = text
            continue
        if listed is not None:
            block[key] = listed.split(", ")
            continue
        if single is not None:
            block[key] = single
            continue
        if double is not None:
            block[key] = double
            continue
        if other is None:
            block[key] = None
            waiting, waiting_at, waiting_key = block, key, True
            continue
        first = other[0]
        if first in not_plain_first:
            if first == "|":
                block[key], at = _literal(lines, at, other, indent)
            else:
                block[key] = _inline(other, len(stack) + 1)
            continue
        # Any other plain value on one line.
        if ": " in other or " #" in other or other[-1] == ":":
            raise _GiveUp
        if first in maybe_not_text:
            block[key] = words.get(other, other) if first in "nNtTfF" else plain_value(other)
        else:
            block[key] = other
    if not root:  # an empty file, or only comments: the reference path explains
        raise _GiveUp
    return root


def _literal(lines: list[str], at: int, header: str, parent: int) -> tuple[str, int]:
    """A `|` or `|-` block whose first line is lines[at]: its lines as written, less their common
    indentation; and the line after it."""
    header = header.rstrip(" ")
    if header == "|":
        clip = True
    elif header == "|-":
        clip = False
    else:
        raise _GiveUp
    end = len(lines)
    if at >= end or not lines[at]:  # leading empty lines: left to libyaml
        raise _GiveUp
    first = lines[at]
    indent = len(first) - len(first.lstrip(" "))
    if indent <= parent or indent == len(first):
        raise _GiveUp
    prefix = " " * indent
    parts: list[str] = []
    written = 0  # parts up to the last line with text
    last = at
    while at < end:
        line = lines[at]
        if line.startswith(prefix):
            if len(line) == indent:
                parts.append("")
            elif line[indent] == " " and not line.strip(" "):
                raise _GiveUp  # spaces beyond the indentation on an empty line
            else:
                parts.append(line[indent:])
                written, last = len(parts), at
        elif not line.strip(" "):
            parts.append("")
        else:
            break
        at += 1
    value = "\n".join(parts[:written])
    # Clipping keeps the last line's break, which the file's last line lacks if it has none.
    if clip and last < end - 1:
        value += "\n"
    return value, at
