"""Reading a listing through libyaml's events: the loader's paths for files line_values.py
doesn't read (loader.py's docstring says why we build values ourselves), imported only then.

PyYAML's import costs ~25 ms (its reader compiles a large pattern), in every process that reads a
listing: a build's workers, a rebuild, a one-file `validate`. Files written the usual way never
need it (line_values.py reads them), so loader.py imports this module only for the others.

The reference path also notes each comment written straight after an unquoted value, where YAML
leaves out whatever follows " #" (`summary: Café #1 in Halifax`), for comments.py to report; and
a " #" inside `{…}`, whose comment hides the closing bracket, is explained as that.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml

from .loader import CommentAfterValue, ListingLoadError, LoadedListing, Path_
from .plain_values import plain_values
from .yaml_rules import CONTROL_IN_VALUE as _CONTROL_IN_VALUE
from .yaml_rules import MAX_DEPTH, in_quotes
from .yaml_rules import MAYBE_NOT_TEXT as _MAYBE_NOT_TEXT
from .yaml_rules import plain_value as _plain_value

try:  # The C parser is ~10x faster; fall back to pure Python where libyaml is missing.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader

_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = {None, "!", _CORE + "str"}  # a scalar written without a tag, or marked as text

_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent
# After an unquoted value (its end mark), a comment on the same line: spaces or tabs, then "#".
_COMMENT_AFTER = re.compile(r"[ \t]+(#[^\n]*)")


def plain_data(text: str) -> dict[str, Any] | None:
    """plain_values.py's quick reading through libyaml's events, or None (then `load_tracked`)."""
    return plain_values(text, _EventLoader)


def load_tracked(text: str) -> LoadedListing:
    """The reference path: every value with where it was written, or the problem explained."""
    try:
        return _parse(text, _EventLoader)
    except _LibyamlTooDeep:
        return _parse(text, yaml.SafeLoader)  # no depth limit of its own: ours applies


class _LibyamlTooDeep(Exception):
    """libyaml's own nesting limit fired before ours could (see the module docstring)."""


def _parse(text: str, loader_class: type) -> LoadedListing:
    listing = LoadedListing(data={})
    loader = loader_class(text)
    try:
        listing.data = _read_document(loader, listing, text)
    except yaml.MarkedYAMLError as error:
        if _is_libyaml_depth_limit(error) and loader_class is not yaml.SafeLoader:
            raise _LibyamlTooDeep from None
        raise _syntax_error(error, text) from None
    except yaml.YAMLError:  # a ReaderError our own character check missed
        raise ListingLoadError(
            "The file contains a character YAML does not allow. Retype the line in a plain text editor."
        ) from None
    finally:
        loader.dispose()
    return listing


def _is_libyaml_depth_limit(error: yaml.MarkedYAMLError) -> bool:
    # libyaml: problem "exceeded maximum nesting depth", context "while increasing flow level"
    # (or "block level").
    return "nesting depth" in (error.problem or "") or "increasing" in (error.context or "")


def _read_document(loader: Any, listing: LoadedListing, text: str) -> dict[str, Any]:
    loader.get_event()  # StreamStart
    if loader.check_event(yaml.StreamEndEvent):
        raise _empty_file()
    loader.get_event()  # DocumentStart
    root = loader.peek_event()
    if isinstance(root, yaml.ScalarEvent) and root.value == "" and not root.style and not root.tag:
        raise _empty_file()
    if not isinstance(root, yaml.MappingStartEvent):
        what = "a list" if isinstance(root, yaml.SequenceStartEvent) else "a single value"
        raise ListingLoadError(
            "The file should be a list of fields, one per line, like `name: Example Café`, "
            f"but it holds {what}.",
            *_mark(root),
        )
    data = _Builder(listing, text).build(loader)
    loader.get_event()  # DocumentEnd
    if not loader.check_event(yaml.StreamEndEvent):
        raise ListingLoadError(
            "The file holds more than one YAML document (a second `---` line). A listing is one "
            "document: remove the `---` line and anything after it that is not part of this listing.",
            *_mark(loader.peek_event()),
        )
    return data


def _empty_file() -> ListingLoadError:
    return ListingLoadError(
        "The file is empty. A listing needs at least name, types, summary and last_verified; "
        "run `recovery-directory new <name>` for a starter file."
    )


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> ListingLoadError:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "").strip()
    lines = text.splitlines()
    if unclosed := _unclosed_quote(lines[:line]):  # the parser only notices lines later
        return ListingLoadError(
            "The quote that starts this value is never closed, so YAML reads on into the next lines. "
            "Add the closing quote at the end of the value.",
            *unclosed,
        )
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    flow = error.context_mark if "flow" in (error.context or "") else None
    if "\t" in indent or "'\\t'" in problem:
        message = "A tab is used for indenting. YAML needs spaces: replace the tab with spaces."
    elif typo := _field_typo(lines, line):  # YAML notices a line or two later, at the next field
        line, column, message = typo
    elif "expected ':'" in problem and (unindented := _text_without_field(lines, line)):
        line, column, message = unindented
    elif after_quote := _text_after_quote(source_line, column):
        message = (
            "Text follows the closing quote of this value, which YAML can't read. Put the whole value in "
            f"quotes: {after_quote}"
        )
    elif flow is not None and (colon := _colon_inside_brackets(text, flow.index)):
        line, column, key, value = colon
        message = (
            f"A value inside the {{ }} brackets contains a colon followed by a space, which YAML reads "
            f'as the start of another field. Put that value in quotes: {key}: "{_short(value)}"'
        )
    elif flow is not None and (hashed := _comment_inside_brackets(text, flow.index, error.problem_mark)):
        line, column, item = hashed
        message = (
            'A " #" inside the brackets starts a YAML comment, which hides the rest of the line, closing '
            f"bracket included. Put the value holding the # in quotes: {item}"
        )
    elif flow is not None and ("expected ','" in problem or "end of stream" in problem):
        line, column = flow.line + 1, flow.column + 1
        closing = "]" if text[flow.index : flow.index + 1] == "[" else "}"
        message = (
            f"The bracket opened here is not closed, or an item is missing its comma. Close it with "
            f'"{closing}" at the end of the line, e.g. types: [lero, mutual_aid].'
        )
    elif "mapping values are not allowed" in problem:
        message = (
            "A value contains a colon followed by a space, or the indentation is off. "
            'Put the whole value in quotes, e.g. summary: "Open 9:30: tea and talk".'
        )
    elif "cannot start any token" in problem:
        found = source_line[column - 1 : column] or "this character"
        message = f"A value cannot start with {found} in YAML. Put the whole value in quotes."
    elif "did not find expected key" in problem or "expected <block end>" in problem or "'-' indicator" in problem:
        message = (
            "The indentation here does not line up with the lines above. Use the same number of "
            "spaces as the other fields at this level (and a `- ` before each list item)."
        )
    elif "found undefined alias" in problem or "expected alphabetic" in problem:
        message = _text_without_bar(lines, line) or (
            "A `*` or `&` at the start of a value confuses YAML. Put the whole value in quotes."
        )
    else:
        message = (
            f"This line is not valid YAML ({problem or 'syntax error'}). "
            "Check the quotes, colons and indentation."
        )
    return ListingLoadError(message, line, column)


# A known field's line missing the space after its colon (`cost:free`, or a pasted non-breaking
# space there), or its colon (`cost free`, `postcode LS1 1AA`: a few words, as a value is; a longer
# line is more likely text that went on from the line above).
_FIELD_TYPO = re.compile(r"( *(?:- +)?)([A-Za-z_][A-Za-z0-9_]*)(?:(:)([^ \n]).*|(?: +[^ :\n]+){1,3})")
# A value whose quotes end before it does: `summary: "Peer-led" café`.
_QUOTED_THEN_TEXT = re.compile(r"""( *(?:- +)?[A-Za-z_][A-Za-z0-9_]*: +)(("|')(?:(?!\3).)*\3[ \t]*[^ \t#].*)""")


@cache
def _field_names() -> frozenset[str]:
    """Every field name the schema knows, at any level."""
    from .schema import load_schema

    names: set[str] = set()
    pending: list[Any] = [load_schema()]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return frozenset(names)


def _field_typo(lines: list[str], line: int) -> tuple[int, int, str] | None:
    """A field written without the space after its colon, or without its colon, on the line YAML
    stopped at or the last line with text before it: its line, column and what to write."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    # The line before counts only if not indented deeper than this one: else it is text inside
    # a block (`|`), which may read like a field without a colon.
    deepest = len(here) - len(here.lstrip(" ")) if here.strip() else None
    candidates = [line] + [number for number in range(line - 1, 0, -1) if lines[number - 1].strip()][:1]
    for number in candidates:
        if not 0 < number <= len(lines):
            continue
        text = lines[number - 1]
        if number != line and deepest is not None and len(text) - len(text.lstrip(" ")) > deepest:
            continue
        if _continues_a_value(lines, number):  # `description: A group for anyone` / `  how we …`
            continue
        found = _FIELD_TYPO.fullmatch(text.rstrip(" "))
        if found is None or found[2] not in _field_names():
            continue
        start, key = len(found[1]), found[2]
        rest = lines[number - 1][start + len(key) :].lstrip(":").strip(" \u00a0")
        fixed = f"{key}: {rest}"
        if found[4] == "\u00a0":
            return number, start + len(key) + 2, (
                "An invisible non-breaking space follows the colon here (pasted text often brings one), and "
                f"YAML needs an ordinary space. Delete it and type a space: {fixed}"
            )
        if found[3]:
            return number, start + len(key) + 2, f"Put a space after the colon: {fixed}"
        return number, start + len(key) + 1, f'The field name needs a colon and a space after it: {fixed}'
    return None


_KEY_LINE = re.compile(r"( *(?:- +)?)([A-Za-z_][A-Za-z0-9_]*):(?: |$)")


def _text_without_field(lines: list[str], line: int) -> tuple[int, int, str] | None:
    """Lines of text under a field, not indented (`description: We are…` then `We meet…` at the
    left edge, or `description: |` with its lines unindented): YAML reads the first as a field
    with no colon and says so a line later. The first such line, and how to write the text."""
    texts = []  # the lines of text between the field and where YAML stopped, last first
    start = min(line, len(lines))
    if start > 0 and _KEY_LINE.match(lines[start - 1]):
        start -= 1  # YAML stopped at the next field: the text is above it
    for number in range(start, 0, -1):
        text = lines[number - 1]
        if not text.strip() or text.lstrip(" ").startswith("#"):
            continue
        if opener := _KEY_LINE.match(text):
            break
        texts.append(number)
    else:
        return None
    def indent(text: str) -> int:
        return len(text) - len(text.lstrip(" "))

    base = indent(opener[1])  # the field's (or its list item's "-") column
    # The first line not indented under the field: a later paragraph may be the one left at the edge.
    unindented = [number for number in texts if indent(lines[number - 1]) <= base]
    if not unindented:
        return None  # indented under its field: some other mistake
    culprit = unindented[-1]
    key = opener[2]
    spaces = len(opener[1]) + 2  # further in than the field's name (a list item's "- " included)
    return culprit, indent(lines[culprit - 1]) + 1, (
        f"This line has no field name, so YAML can't read it. If it is more of the text of “{key}”, write "
        f"“{key}: |” and indent every line of the text below it by {spaces} spaces, further in than “{key}:”."
    )


def _continues_a_value(lines: list[str], number: int) -> bool:
    """Whether line `number` (1-based) may be the next line of a value begun above it: the nearest
    line with text above it whose field starts further left holds a field with a value after its
    colon, so YAML reads this line as more of that value, not as a field."""
    indent = _key_indent(lines[number - 1])
    for above in reversed(lines[: number - 1]):
        if not above.strip() or above.lstrip(" ").startswith("#"):
            continue
        at = _key_indent(above)
        if at < indent:
            opener = re.fullmatch(r" *(?:- +)?[A-Za-z_][A-Za-z0-9_]*: *(?:[|>][-+0-9]*)?( +#.*)?", above)
            return opener is None  # a field with nothing after its colon (or a |) opens a block
        if at == indent and not re.match(r" *(?:- +)?[A-Za-z_][A-Za-z0-9_]*:( |$)", above):
            return True  # a line at this indentation that is not a field: text going on
    return False


def _key_indent(line: str) -> int:
    """Where a line's field (or text) starts: after its indentation and any "- "."""
    found = re.match(r" *(?:- +)?", line)
    return found.end() if found else 0


def _text_after_quote(source_line: str, column: int) -> str | None:
    """`summary: "Peer-led" café`, YAML stopped after the closing quote: the value written as it
    should be."""
    found = _QUOTED_THEN_TEXT.fullmatch(source_line.rstrip(" "))
    if found is None or column <= len(found[1]) + 1:
        return None
    value = found[2]
    if len(value) > 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]  # `'We're a group'`: the quotes were meant to go round it all
    return found[1].strip() + " " + in_quotes(value)


def _text_without_bar(lines: list[str], line: int) -> str | None:
    """Line `line` (1-based) starts with * or & (Markdown's italics or bold) just after a field's
    line ending in its colon, `description:`: the text needs a | after that colon."""
    content = lines[line - 1].lstrip(" ") if 0 < line <= len(lines) else ""
    if not content.startswith(("*", "&")):
        return None
    before = [text for text in lines[: line - 1] if text.strip()]
    found = re.fullmatch(r" *(?:- +)?([A-Za-z_][A-Za-z0-9_]*): *", before[-1]) if before else None
    if found is None:
        return None
    markdown = " (Markdown for italics or bold)" if content[0] == "*" else ""
    return (
        f'This text starts with "{content[0]}"{markdown} on the line after "{found[1]}:", where YAML reads '
        f"that character as something else. Put a | after the colon ({found[1]}: |) so the lines below it "
        "are read as text."
    )


_FLOW_ITEM = re.compile(r"""\s*([A-Za-z_][\w-]*):\s+([^"'\[{][^,}\]]*?:\s[^,}\]]*)""")


def _colon_inside_brackets(text: str, start: int) -> tuple[int, int, str, str] | None:
    """In a `{key: value, …}` opened at `start`, an unquoted value holding ": " (`note: Meet: bring tea`):
    its line, column, key and text. YAML reports it as an unclosed bracket, which sends people looking
    in the wrong place."""
    if text[start : start + 1] != "{":
        return None
    end = text.find("\n", start)
    inside = text[start + 1 : end if end >= 0 else len(text)]
    for found in re.finditer(r"(?:^|,)", inside):
        item = _FLOW_ITEM.match(inside, found.end())
        if item:
            index = start + 1 + item.start(2)
            line = text.count("\n", 0, index) + 1
            return line, index - (text.rfind("\n", 0, index) + 1) + 1, item.group(1), item.group(2).strip()
    return None


_FLOW_KEY = re.compile(r"([A-Za-z_][\w-]*):\s+(.*)", re.DOTALL)


def _comment_inside_brackets(text: str, start: int, problem: Any) -> tuple[int, int, str] | None:
    """In `[…]` or `{…}` opened at `start`, an unquoted " #" with a closing bracket after it on its
    line (`note: Room #2}`), before the end of the line YAML stopped at: its line, column and the
    item it cuts, written quoted. YAML reports it as an unclosed bracket, because the comment hid
    the closing one. (A comment with no bracket after it, `[lero,  # main`, is fine in YAML.)"""
    end = text.find("\n", problem.index if problem is not None else start)
    end = len(text) if end < 0 else end
    quote, item_start, at = "", start + 1, start + 1
    while at < end:
        character = text[at]
        if quote:
            if character == "\\" and quote == '"':
                at += 1  # an escaped character, perhaps a quote
            elif character == quote:
                quote = ""
        elif character in "'\"":
            quote = character
        elif character in ",[]{}":
            item_start = at + 1
        elif character == "#" and text[at - 1] in " \t" and _bracket_after(text, at):
            line = text.count("\n", 0, at) + 1
            return line, at - (text.rfind("\n", 0, at) + 1) + 1, _flow_item_quoted(text, item_start, at)
        at += 1
    return None


def _bracket_after(text: str, at: int) -> bool:
    line_end = text.find("\n", at)
    rest = text[at : len(text) if line_end < 0 else line_end]
    return "]" in rest or "}" in rest


def _flow_item_quoted(text: str, start: int, comment: int) -> str:
    """The item from `start` to the "," or bracket that a comment at `comment` hid, as it should be
    written: `note: "Room #2"`."""
    line_end = text.find("\n", comment)
    end = len(text) if line_end < 0 else line_end
    for found in map(text.find, ",]}", [comment] * 3):
        if 0 <= found < end:
            end = found
    item = " ".join(text[start:end].split())
    keyed = _FLOW_KEY.fullmatch(item)
    return f"{keyed[1]}: {in_quotes(keyed[2])}" if keyed else in_quotes(item)


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_QUOTED_VALUE_START = re.compile(r"""^\s*(?:-\s+)*(?:[^\s"'#][^:#]*:\s+)?(["'])""")


def _unclosed_quote(lines: list[str]) -> tuple[int, int] | None:
    """Where a value opens a quote that its own line never closes, if any line does that."""
    for number, line in enumerate(lines, 1):
        start = _QUOTED_VALUE_START.match(line)
        if start is None:
            continue
        quote, rest = start.group(1), line[start.end() :]
        closed = rest.replace("''", "").find("'") >= 0 if quote == "'" else re.search(r'(?<!\\)"', rest)
        if not closed:
            return number, start.end()
    return None


def _mark(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Builder:
    """Builds values from parser events without recursion, recording where each came from.

    The loop is the validator's hot path (thousands of listings a second), so it dispatches on
    event classes directly and keeps each open mapping or list as a small [value, path, key] list.
    """

    def __init__(self, listing: LoadedListing, text: str) -> None:
        self.listing = listing
        self.text = text

    def build(self, loader: Any) -> dict[str, Any]:
        value_marks, key_marks = self.listing.value_marks, self.listing.key_marks
        source_text = self.listing.source_text
        get_event = loader.get_event
        # Only a text with a space or tab before a "#" can hold a comment after a value.
        comment_after = _COMMENT_AFTER.match if " #" in self.text or "\t#" in self.text else None
        # [mapping or list being filled, its path, key awaiting a value, that value's path]
        stack: list[list[Any]] = []
        while True:
            event = get_event()
            kind = event.__class__
            if kind is _MAPPING_END or kind is _SEQUENCE_END:
                done = stack.pop()
                if not stack:
                    return done[0]
                continue
            if kind is _ALIAS or event.anchor is not None:
                self._refuse_alias(event)
            if stack:
                top = stack[-1]
                container = top[0]
                if container.__class__ is dict:
                    if top[2] is None:  # this event is a key; its value shares the path made here
                        key = event.value if kind is _SCALAR and event.tag is None else None
                        if key is None or key in container or key == "<<" or _CONTROL_IN_VALUE.search(key):
                            self._refuse_key(event, top)
                        top[3] = path = (*top[1], key)
                        key_marks[path] = event.start_mark
                        top[2] = key
                        continue
                    path = top[3]
                else:
                    path = (*top[1], len(container))
            else:
                top, path = None, ()
            value_marks[path] = event.start_mark
            if kind is _SCALAR:
                text = event.value
                if event.tag is None and not event.style and not _CONTROL_IN_VALUE.search(text):
                    source_text[path] = text  # a plain scalar, the usual case: resolved here
                    value: Any = _plain_value(text) if text[:1] in _MAYBE_NOT_TEXT else text
                else:
                    value = self._scalar(event, path)
                if comment_after is not None and not event.style:
                    end = event.end_mark
                    if (found := comment_after(self.text, end.index)) is not None:
                        self._note_comment(path, end, found, text)
            else:
                self._open(event, len(stack))
                value = {} if kind is _MAPPING_START else []
                stack.append([value, path, None, None])
            if top is not None:
                if top[0].__class__ is dict:
                    top[0][top[2]] = value
                    top[2] = None
                else:
                    top[0].append(value)

    def _note_comment(self, path: Path_, end: Any, found: re.Match[str], typed: str) -> None:
        """A comment straight after an unquoted value on its line (`end`: the value's end mark)."""
        comments = self.listing.comments_after_values
        if not isinstance(comments, list):
            self.listing.comments_after_values = comments = []
        column = end.column + found.start(1) - end.index
        comments.append(CommentAfterValue(path, end.line + 1, column + 1, typed, found[1].rstrip(" \t\r")))

    def _open(self, event: Any, depth: int) -> None:
        self._check_collection_tag(event)
        if depth >= MAX_DEPTH:
            raise ListingLoadError(
                f"Values are nested more than {MAX_DEPTH} levels deep here; no listing field "
                "needs that many. Check the brackets and indentation.",
                *_mark(event),
            )

    def _refuse_alias(self, event: Any) -> None:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            if (message := _text_without_bar(self.text.splitlines(), event.start_mark.line + 1)) is not None:
                raise ListingLoadError(message, *_mark(event))
            raise ListingLoadError(
                "YAML anchors and aliases (`&name` and `*name`) are not allowed in listings. "
                "Write the value out in full where it is needed.",
                *_mark(event),
            )

    def _refuse_key(self, event: Any, top: list[Any]) -> None:
        """Explain why this key can't be used (the fast path in build() found something odd)."""
        if event.__class__ is not _SCALAR:
            raise ListingLoadError(
                "A field name must be a plain word, like `name:`. Check this line's punctuation.",
                *_mark(event),
            )
        self._check_scalar_tag(event)
        key = event.value
        if key == "<<" and not event.style:
            raise ListingLoadError(
                "`<<` merge keys are not allowed in listings. Write each field out in full.", *_mark(event)
            )
        self._reject_control_characters(key, event)
        if key in top[0]:
            first = self.listing.key_marks[(*top[1], key)]
            raise ListingLoadError(
                f'The field "{key}" appears twice (first on line {first.line + 1}). Keep one and delete the other.',
                *_mark(event),
            )
        raise ListingLoadError(  # a `!!str`-tagged key: legal YAML, but nobody writes one by accident
            "A field name must be a plain word, like `name:`, without a tag.", *_mark(event)
        )

    def _scalar(self, event: Any, path: Path_) -> Any:
        text = event.value
        if _CONTROL_IN_VALUE.search(text):
            self._reject_control_characters(text, event)
        if event.tag is not None:
            self._check_scalar_tag(event)
            return text  # `!!str` or `!`: text
        if event.style:  # quoted or block text is always text
            return text
        self.listing.source_text[path] = text
        return _plain_value(text)

    @staticmethod
    def _reject_control_characters(text: str, event: Any) -> None:
        if found := _CONTROL_IN_VALUE.search(text):
            raise ListingLoadError(
                f"This value contains an invisible control character (U+{ord(found.group()):04X}), "
                'probably written as an escape such as "\\e" or "\\x07". Remove it.',
                *_mark(event),
            )

    @staticmethod
    def _check_scalar_tag(event: Any) -> None:
        if event.tag not in _PLAIN_TAGS:
            _refuse_tag(event)

    @staticmethod
    def _check_collection_tag(event: Any) -> None:
        expected = _CORE + ("map" if isinstance(event, yaml.MappingStartEvent) else "seq")
        if event.tag not in (None, "!", expected):
            _refuse_tag(event)


def _refuse_tag(event: Any) -> None:
    raise ListingLoadError(
        f"The tag `{event.tag.replace(_CORE, '!!')}` is not allowed in listings: remove it and write "
        "a plain value (put text in quotes if it needs them).",
        *_mark(event),
    )
