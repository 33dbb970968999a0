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
    root: dict[str, Any] = {}
    # The container being filled, the key awaiting its value (None: the next scalar is a key), and
    # the containers it sits in: a loop with an explicit stack, never recursion.
    container: Any = root
    key: str | None = None
    outer: list[Any] = []
    while True:
        event = get_event()
        kind = event.__class__
        if kind is _SCALAR:
            if event.anchor is not None or event.tag is not None:
                return None
            text = event.value
            # Only a double-quoted scalar's escapes ("\e") can put a control character in a value:
            # loader.py has refused the file if it holds one itself.
            if event.style == '"' and CONTROL_IN_VALUE.search(text):
                return None
            if key is None and container.__class__ is dict:  # a key
                if text in container or text == "<<":
                    return None
                key = text
                continue
            value: Any = plain_value(text) if not event.style and text[:1] in MAYBE_NOT_TEXT else text
        elif kind is _MAPPING_START or kind is _SEQUENCE_START:
            if event.anchor is not None or event.tag is not None or len(outer) + 1 >= MAX_DEPTH:
                return None
            if key is None and container.__class__ is dict:  # a list or mapping used as a key
                return None
            value = {} if kind is _MAPPING_START else []
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            if not outer:
                break
            container, key = outer.pop(), None
            continue
        else:  # an alias
            return None
        if container.__class__ is dict:
            container[key] = value
            key = None
        else:
            container.append(value)
        if kind is not _SCALAR:
            outer.append(container)
            container = value
    if get_event().__class__ is not yaml.DocumentEndEvent or get_event().__class__ is not yaml.StreamEndEvent:
        return None
    return root
