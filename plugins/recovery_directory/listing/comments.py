"""A `#` after a space in an unquoted value starts a YAML comment, which YAML leaves out without a
word: `summary: Peer-led café #1 in Halifax` reads as "Peer-led café", and `summary: #1 recovery
café` as nothing at all. The loader notes each comment written straight after an unquoted value
(loader.CommentAfterValue; only the reference path in yaml_events.py finds them, and only in a text
with a space or tab before a `#`); this turns those that may have cut text off into problems.

Reported: a comment after the value of a text field that holds words (name, summary, description,
referral's how, a location's name, address or town, a note …), empty values included: the words
after the `#` may be part of what the page should show, and only quotes can say so.

Not reported: a comment after a value that can't hold the words, which with them would be refused:
true/false, a number, one of a field's fixed codes (`cost: free  # ask first`, `self: true  # yes`),
a time, a date, a web address (a pattern or format in the schema), a postcode, email address, phone
number or council area (formats checks.py reads). There the `#` can only start a note, and the note
loses nothing visible: refusing it would stop a build over nothing, and the starter file
(`recovery-directory new`) writes such notes itself (`postcode: CHANGE ME  # e.g. HX1 1AA`). Nor a
comment after a quoted value or a `[…]` list, which visibly end before it, after the `|` that
starts a block of text (a `#` inside the block is text), or on a line of its own. A field the schema
doesn't know is reported as that already.

A value reported here gets this one message: the schema's about the cut value ("This is empty",
too short, a number where text belongs) would send people after the wrong fix. A value that can't
hold words, left empty by a comment (`cost: #free`, `self: # yes`), is refused as empty by the
schema as before; that message then also says the text after " #" is left out, and why.
"""

from __future__ import annotations

from dataclasses import replace

from .loader import CommentAfterValue, LoadedListing
from .positions import schema_at
from .problems import Problem
from .yaml_rules import in_quotes

# Schema keywords that limit a text to values a note can't be part of.
_NOT_FREE_TEXT = ("pattern", "format", "enum", "const", "oneOf", "anyOf")
# Text fields checks.py reads as a format (a postcode, an email address, a phone number, a council
# area), the last field name in their path. tests/test_validator.py checks that checks.py refuses
# each with words after it, and no other text field.
FORMATTED_TEXT = frozenset({"postcode", "email", "number", "join_phone", "areas_served"})


def with_comment_problems(listing: LoadedListing, name: str, problems: list[Problem]) -> list[Problem]:
    """`problems` plus one for each value a comment may have cut off, replacing any other problem
    with that value. A value that can't hold words left empty before a comment (`cost: #free`) is
    not reported for the comment, but its own problem ("This is empty …") says where the text went."""
    from .schema_messages import field_name

    found, emptied = [], {}
    for comment in listing.comments_after_values:
        where = field_name(comment.path)
        if takes_text(comment.path):
            found.append(Problem(name, comment.line, comment.column, where, comment_message(comment)))
        elif not comment.value:
            emptied[where] = comment
    cut = {problem.field for problem in found}
    return [
        replace(problem, message=f"{problem.message} {_left_out(emptied[problem.field])}")
        if problem.field in emptied else problem
        for problem in problems
        if problem.field not in cut
    ] + found


def takes_text(path: tuple[str | int, ...]) -> bool:
    """True if the value at `path` may be any words (not a code, time, date, web address, postcode…)."""
    node = schema_at(path)
    if node.get("type") != "string" or any(keyword in node for keyword in _NOT_FREE_TEXT):
        return False
    return next((part for part in reversed(path) if isinstance(part, str)), "") not in FORMATTED_TEXT


def comment_message(comment: CommentAfterValue) -> str:
    key = comment.path[-1] if comment.path else ""
    written = f"{comment.value} {comment.comment}" if comment.value else comment.comment
    example = ("- " if isinstance(key, int) else f"{key}: ") + in_quotes(_shorten(written, 60))
    left_out = (
        f'The text after " #" would be left out ("{_shorten(comment.comment, 40)}"), because YAML reads '
        "a space followed by # as the start of a comment"
    )
    if comment.value:
        return (
            f'{left_out}: this would say just "{_shorten(comment.value, 40)}". Put the whole value in '
            f"quotes: {example}. If the words after the # are a note, put the note on a line of its own."
        )
    return (
        f"{left_out}: this would be empty. Put the whole value in quotes: {example}. If the words after "
        "the # are a note, put the note on a line of its own and write the value after the colon."
    )


def _left_out(comment: CommentAfterValue) -> str:
    return (
        f'The text after " #" ("{_shorten(comment.comment, 40)}") is left out, because YAML reads a space '
        "followed by # as the start of a comment."
    )


def _shorten(text: str, limit: int) -> str:
    """The text on one line, cut at a space before `limit` characters (with "…") if longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut) + "…"
