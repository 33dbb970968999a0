"""The loader's fast path: a listing's values from parser events, with no record of where each was
written, for the usual listing that has nothing unusual in it.

Recording every value's position cost more than half of reading a listing, and only a listing with
problems needs positions. So this reads values only, and gives up (returns None) at anything the
reference path in loader.py would refuse or treat specially: a tag, anchor or alias, a duplicate or
non-text key, a `<<` key, a control character, nesting at the limit, a second document, a syntax
error. loader.py then reads the file again the reference way, which explains the problem or records
the positions. tests/test_plain_values.py checks the two paths agree on every fixture and on fuzzed
files.
"""

from __future__ import annotations

from typing import Any

import yaml

from .yaml_rules import CONTROL_IN_VALUE, MAX_DEPTH, MAYBE_NOT_TEXT, plain_value

_SCALAR = yaml.ScalarEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


def plain_values(text: str, loader_class: type) -> dict[str, Any] | None:
    """The listing's values, or None if the file needs the reference path."""
    loader = loader_class(text)
    try:
        return _read(loader.get_event)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _read(get_event: Any) -> dict[str, Any] | None:
    if get_event().__class__ is not yaml.StreamStartEvent or get_event().__class__ is not yaml.DocumentStartEvent:
        return None
    event = get_event()
    if event.__class__ is not _MAPPING_START or event.anchor is not None or event.tag is not None:
        return None
    # Names used for every event, as locals: the loop runs ~70 times a listing.
    scalar, mapping_start, sequence_start = _SCALAR, _MAPPING_START, _SEQUENCE_START
    mapping_end, sequence_end = _MAPPING_END, _SEQUENCE_END
    control, maybe_not_text = CONTROL_IN_VALUE.search, MAYBE_NOT_TEXT
    root: dict[str, Any] = {}
    # The container being filled, whether it is a mapping, the key awaiting its value (None: the
    # next scalar is a key), and the containers it sits in: an explicit stack, never recursion.
    container: Any = root
    in_mapping = True
    key: str | None = None
    outer: list[tuple[Any, bool]] = []
    while True:
        event = get_event()
        kind = event.__class__
        if kind is scalar:
            if event.anchor is not None or event.tag is not None:
                return None
            text = event.value
            style = event.style
            # Only a double-quoted scalar's escapes ("\e") can put a control character in a value:
            # loader.py has refused the file if it holds one itself.
            if style == '"' and control(text):
                return None
            if in_mapping and key is None:  # a key
                if text in container or text == "<<":
                    return None
                key = text
                continue
            value: Any = plain_value(text) if not style and text[:1] in maybe_not_text else text
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None or len(outer) + 1 >= MAX_DEPTH:
                return None
            if in_mapping and key is None:  # a list or mapping used as a key
                return None
            value = {} if kind is mapping_start else []
        elif kind is mapping_end or kind is sequence_end:
            if not outer:
                break
            container, in_mapping = outer.pop()
            key = None
            continue
        else:  # an alias
            return None
        if in_mapping:
            container[key] = value
            key = None
        else:
            container.append(value)
        if kind is not scalar:
            outer.append((container, in_mapping))
            container, in_mapping = value, kind is mapping_start
    if get_event().__class__ is not yaml.DocumentEndEvent or get_event().__class__ is not yaml.StreamEndEvent:
        return None
    return root
