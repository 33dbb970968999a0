"""The safe YAML loader on its own: YAML 1.2 typing, positions, and the traps it refuses."""

from __future__ import annotations

import os

import pytest
import yaml
from recovery_directory.listing import loader, yaml_events
from recovery_directory.listing.loader import MAX_DEPTH, CommentAfterValue, ListingLoadError, load_listing_bytes


@pytest.fixture(autouse=True, params=["libyaml", "pure Python"])
def event_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with libyaml's parser (what installs from the lock) and with PyYAML's own
    (where PyYAML was built without libyaml, and our fallback when libyaml's depth limit fires)."""
    if request.param == "libyaml":
        if not yaml.__with_libyaml__:
            # The lock installs PyYAML's wheels, which include libyaml: in CI its absence is a broken
            # install, never a reason to test less. Elsewhere (PyYAML built from source) say why.
            if os.environ.get("CI"):
                pytest.fail("PyYAML was installed without libyaml: reinstall from requirements/test.txt")
            pytest.skip("this PyYAML was built without libyaml")
        monkeypatch.setattr(yaml_events, "_EventLoader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yaml_events, "_EventLoader", yaml.SafeLoader)


def load(text: str) -> dict:
    return load_listing_bytes(text.encode()).data


def refusal(raw: bytes) -> ListingLoadError:
    with pytest.raises(ListingLoadError) as caught:
        load_listing_bytes(raw)
    return caught.value


def test_yaml_1_2_core_types_only() -> None:
    data = load("a: NO\nb: yes\nc: 0123\nd: 18:30\ne: 2026-10-01\nf: true\ng: 1.5\nh: ~\ni: 0x1F\nj: .inf\n")
    assert data == {
        "a": "NO", "b": "yes", "c": 123, "d": "18:30", "e": "2026-10-01",
        "f": True, "g": 1.5, "h": None, "i": "0x1F", "j": ".inf",
    }


def test_quoted_and_str_tagged_values_stay_text() -> None:
    assert load("a: '0123'\nb: \"true\"\nc: !!str 12\nd: ! 7\n") == {"a": "0123", "b": "true", "c": "12", "d": "7"}


def test_positions_and_typed_text_are_kept() -> None:
    listing = load_listing_bytes(b"name: x\nphones:\n  - number: 01134960123\n")
    assert listing.position(("phones", 0, "number")) == (3, 13)
    assert listing.position(("phones", 0, "number"), key=True) == (3, 5)
    assert listing.position(("phones", 5, "number")) == (3, 3)  # nearest written parent: the list
    assert listing.source_text[("phones", 0, "number")] == "01134960123"


def test_byte_order_mark_and_crlf_are_fine() -> None:
    listing = load_listing_bytes(b"\xef\xbb\xbfname: x\r\nsummary: y\r\n")
    assert listing.data == {"name": "x", "summary": "y"}
    assert listing.position(("summary",)) == (2, 10)


def test_a_huge_integer_does_not_crash() -> None:
    assert load("a: " + "9" * 5000 + "\n")["a"] == float("inf")


@pytest.mark.parametrize(
    "raw, line, column, phrase",
    [
        (b"a: &x 1\nb: *x\n", 1, 4, "anchors and aliases"),
        (b"a: *x\n", 1, 4, "anchors and aliases"),
        (b"a: 1\na: 2\n", 2, 1, 'The field "a" appears twice (first on line 1)'),
        (b"a: !!python/object/apply:os.system [ls]\n", 1, 4, "!!python/object/apply:os.system"),
        (b"a: !!int 1\n", 1, 4, "The tag `!!int` is not allowed"),
        (b"a: " + b"[" * 30_000 + b"]" * 30_000, 1, 4 + MAX_DEPTH - 1, "nested more than"),
        (b"a:\n" + b"- " * 30_000 + b"x\n", 2, 2 * MAX_DEPTH - 1, "nested more than"),
        (b"a: b\n---\na: c\n", 2, 1, "more than one YAML document"),
        (b"- a\n", 1, 1, "but it holds a list"),
        (b"# only a comment\n", 1, 1, "The file is empty"),
        (b"a: caf\xe9\n", 1, 7, "not UTF-8"),
        (b"a: b\x1bc\n", 1, 5, "control character (U+001B)"),
        (b'a: "b\\ec"\n', 1, 4, "control character (U+001B)"),
        (b"? [a]\n: b\n", 1, 3, "A field name must be a plain word"),
        (b"a:\n\t- b\n", 2, 1, "A tab is used for indenting"),
        (b"a: [b, c\nd: e\n", 1, 4, 'Close it with "]"'),
        (b'a: "b\nc: d\ne: "f"\n', 1, 4, "quote that starts this value is never closed"),
        (b"a: {note: Room #2}\n", 1, 16, 'hides the rest of the line, closing bracket included. Put the value '
         'holding the # in quotes: note: "Room #2"'),
        (b'a: [x, "y #1", z #2]\n', 1, 18, 'Put the value holding the # in quotes: "z #2"'),
        (b"a: [x, # a note\n  y\n", 1, 4, 'Close it with "]"'),  # a comment there is fine: the bracket isn't
        # A field missing the space after its colon, or its colon: YAML notices at the next field.
        (b"name: X\ncost:free\nattendance: [in_person]\n", 2, 6, "Put a space after the colon: cost: free"),
        (b"name: X\ncost:free\n", 2, 6, "Put a space after the colon: cost: free"),
        (b"referral:\n  self:true\n  how: Phone.\n", 2, 8, "Put a space after the colon: self: true"),
        (b"name: X\nwebsite:https://example.org\ncost: free\n", 2, 9, "after the colon: website: https://example.org"),
        (b"name: X\ncost free\nattendance: [in_person]\n", 2, 5, "needs a colon and a space after it: cost: free"),
        ("name: X\nsummary:\u00a0Tea and talk.\ncost: free\n".encode(), 2, 9,
         "An invisible non-breaking space follows the colon here"),
        (b"locations:\n  - town: Leeds\n    postcode:LS1 1AA\n    address: x\n", 3, 14,
         "Put a space after the colon: postcode: LS1 1AA"),
        # More of a value on its next line is not taken for a field missing its colon, even when
        # its first word is a field's name (review: "how", "town").
        (b"name: X\ndescription: A friendly group for anyone who wants to find out\n"
         b"  how recovery could work for them.\n  Open: Mondays\nsummary: Peer support.\n", 4, 7,
         "A value contains a colon followed by a space"),
        (b"name: X\nlocations:\n  - address: 1 High Street, next to the\n    town hall on the high street.\n"
         b"    Please bring: a friend\n", 5, 5, "not valid YAML"),
        # More lines of a description at the left edge, without or with its |: said at the first.
        (b"name: X\ndescription: We are a group of people in recovery.\nWe meet on Tuesdays.\ncost: free\n", 3, 1,
         "This line has no field name, so YAML can't read it. If it is more of the text of \u201cdescription\u201d"),
        (b"name: X\ndescription: |\nWe are a group.\nWe meet on Tuesdays.\ncost: free\n", 3, 1,
         "write \u201cdescription: |\u201d and indent every line of the text below it by 2 spaces"),
        (b"name: X\ndescription: |\n  We are a group.\n\nWe meet on Tuesdays.\n  Tea is free.\ncost: free\n", 5, 1,
         "If it is more of the text of \u201cdescription\u201d"),  # a later paragraph left at the edge
        (b"name: X\nreferral:\n  how: Phone us.\nOr walk in.\ncost: free\n", 4, 1,
         "write \u201chow: |\u201d and indent every line of the text below it by 4 spaces, further in"),
        # The quotes end before the value does.
        ('name: X\nsummary: "Peer-led" caf\u00e9 and drop-in.\ncost: free\n'.encode(), 2, 21,
         "Text follows the closing quote of this value, which YAML can't read. Put the whole value in quotes: "
         "summary: '\"Peer-led\" caf\u00e9 and drop-in.'"),
        (b'referral:\n  how: "Phone" us first.\n  self: true\n', 2, 16, """how: '"Phone" us first.'"""),
        # An apostrophe inside single quotes: the suggestion quotes the words, not the quotes too.
        (b"summary: 'We're a friendly group in Leeds'\n", 1, 14, 'summary: "We\'re a friendly group in Leeds"'),
        # Markdown's italics or bold at the start of a description written without its |.
        (b"name: X\ndescription:\n  *This is italic* and more.\ncost: free\n", 3, 3,
         "Put a | after the colon (description: |)"),
        (b"name: X\ndescription:\n\n  **Bold** and more.\n", 4, 4, "Put a | after the colon (description: |)"),
        (b"name: X\ndescription:\n  & more\n", 3, 4, 'This text starts with "&" on the line after "description:"'),
    ],
)
def test_refusals(raw: bytes, line: int, column: int, phrase: str) -> None:
    error = refusal(raw)
    assert (error.line, error.column) == (line, column), error.message
    assert phrase in error.message


def test_every_forbidden_character_is_searched_for() -> None:
    """load_listing_bytes searches only files holding a suspect byte: every forbidden character
    must bring one, however it is surrounded."""
    forbidden = [chr(code) for code in range(0x110000) if loader._FORBIDDEN_IN_FILE.fullmatch(chr(code))]
    assert len(forbidden) > 60
    for character in forbidden:
        raw = f"a: b{character}c\n".encode("utf-8", "surrogatepass")
        assert raw.translate(None, loader._UNSUSPECT_BYTES), f"U+{ord(character):04X}"
        error = refusal(raw)
        assert (error.line, error.column) == (1, 5) and f"U+{ord(character):04X}" in error.message


def test_a_file_without_suspect_bytes_is_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    searched = []
    monkeypatch.setattr(loader, "_reject_forbidden_characters", searched.append)
    load_listing_bytes("a: café – ok\n".encode())  # é: C3 A9, no suspect byte; the dash: E2 80 93
    load_listing_bytes(b"a: plain\n")
    assert searched == ["a: café – ok\n"]


@pytest.mark.parametrize(
    "text, verbatim_without_placeholder",
    [("name: Café – open\n", True), ("name: Café – cHaNgE-mE\n", False), ("name: CHANGE ME\n", False),
     ("name: change of heart\n", True), ("name: CHANGE\u00a0ME\n", True), ("\ufeffname: ChAnGe me\n", False)],
)
def test_only_a_text_without_the_placeholder_skips_the_search(text: str, verbatim_without_placeholder: bool) -> None:
    """The line path (the only one that may skip the search) decides from the file's bytes."""
    assert loader.line_values(text.removeprefix("\ufeff")) is not None
    assert load_listing_bytes(text.encode()).verbatim_without_placeholder is verbatim_without_placeholder


def test_a_usual_listing_is_read_without_importing_pyyaml() -> None:
    """yaml_events.py (and PyYAML, ~25 ms to import) are loaded only for a file the line reader
    leaves to them; checking a sample listing loads neither."""
    import subprocess
    import sys
    from pathlib import Path

    sample = sorted((Path(__file__).resolve().parents[1] / "content" / "organisations").glob("*.yaml"))[0]
    code = (
        "import sys; from recovery_directory.listing.validate import check_file; "
        f"print(check_file({str(sample)!r}).ok, 'yaml' in sys.modules, "
        "'recovery_directory.listing.yaml_events' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert found.split() == ["True", "False", "False"], found
    assert load_listing_bytes(b"a: b  # a comment\n").data == {"a": "b"}  # left to yaml_events.py, which reads it



@pytest.mark.parametrize(
    "text, noted",
    [
        ("a: b  # c\n", [(("a",), 1, 7, "b", "# c")]),
        ("a: #1 x\n", [(("a",), 1, 4, "", "#1 x")]),
        ("a:\n  b: x y #1 z  \n", [(("a", "b"), 2, 10, "x y", "#1 z")]),
        ("a:\n- x #1\n- # y\n", [(("a", 0), 2, 5, "x", "#1"), (("a", 1), 3, 3, "", "# y")]),
        ("a: x\n  y # z\r\nb: 1  # n\r\n", [(("a",), 2, 5, "x y", "# z"), (("b",), 3, 7, "1", "# n")]),
        ("a: café – x # ü\n", [(("a",), 1, 13, "café – x", "# ü")]),
        # Nothing cut off: quoted, a list, the "|" of a block (and a "#" inside it), no space before
        # the "#", a comment on a line of its own, or after a key whose value starts below.
        ("a: 'x #1' # c\nb: \"y\" # c\nc: [x] # c\nd: {e: f} # c\n", []),
        ("a: | # c\n  #1 x\nb: x#1\nc: https://x.org/#y\n", []),
        ("# c\na: x\n  # c\nb: # c\n  c: 1\nd: # c\n  text\ne:\n- # c\n  f: 1\n", []),
    ],
)
def test_comments_after_unquoted_values_are_noted(text: str, noted: list[tuple]) -> None:
    """Where the reference path saw a comment straight after an unquoted value: comments.py decides
    which to report. Line and column are the "#"'s, 1-based."""
    expected = [CommentAfterValue(*note) for note in noted]
    assert list(load_listing_bytes(text.encode()).comments_after_values) == expected
    assert list(yaml_events.load_tracked(text).comments_after_values) == expected


def test_a_text_with_a_space_before_a_hash_skips_the_quick_libyaml_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """plain_values.py records no comments, so it must not be the one to read such a text; any other
    text it reads as before (the line path reads neither of these: a `>` block)."""
    asked = []
    monkeypatch.setattr(yaml_events, "plain_values", lambda text, loader_class: asked.append(text))
    load_listing_bytes(b"a: >\n  x\nb: y # c\n")
    load_listing_bytes(b"a: >\n  x\nb: y#c\n")
    assert asked == ["a: >\n  x\nb: y#c\n"]
