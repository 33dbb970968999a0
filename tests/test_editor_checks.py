"""The listing editor's copy of the build's rules beyond the schema (outputs/editor.py
editor_checks: phone patterns, council names), pinned by a golden file that
`node --test tests/js/` reads: the browser's checks.js must answer each case as the build does.
The cases come from the data (every council's names, Ofcom's drama numbers and their slips), not
from a hand-picked few. After a deliberate change, rewrite the file:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_editor_checks.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from recovery_directory.geocoding.authorities import NOT_ONE_COUNCIL, authorities, resolve
from recovery_directory.listing.checks import parse_phone
from recovery_directory.outputs.editor import editor_checks

GOLDEN = Path(__file__).resolve().parent / "js" / "golden" / "editor-checks.json"
DRAMA = ["020 7946 0{:03d}", "0113 496 0{:03d}", "0131 496 0{:03d}", "0141 496 0{:03d}", "029 2018 0{:03d}",
         "028 9649 6{:03d}", "0808 157 0{:03d}"]


def build_answer(written: str) -> str | None:
    """What checks._check_areas makes of an area: "national", the authority's name, or None."""
    if written.strip().casefold() == "national":
        return "national"
    found = resolve(written)
    return found.name if found else None


def cases() -> dict:
    written = []
    for authority in authorities().values():
        name = authority.name
        written += [name, authority.official_name, name.upper(), f"{name} Council", f"{name} City Council", name[:-1],
                    f"{name}, {name}", f"City of {name} Council", f"London Borough of {name} Council"]
    written += ["London", "Wales", "Halifax", "Yorkshire", "Swansae", "National.", "the national", "National",
                "national", "Caerdydd", "Ynys Môn", "City and County of Swansea", "City of London Council", "Norfolk",
                "Lancashire County Council", "Durham County Council"]
    areas = [[text, build_answer(text)] for text in written]
    phones = []
    for shape in DRAMA:
        for number in (shape.format(123), shape.format(123)[:-1], "+44 " + shape.format(45)[1:]):
            phones.append([number, parse_phone(number) is not None])
    phones += [[number, parse_phone(number) is not None]
               for number in ("01534 123456", "01624 123456", "01481 123456", "07700 900123", "0113 496 012",
                              "116 123", "0800 1111", "07624 123456", "+44 (0)113 496 0123",
                              "0044 113 496 0123", "(0113) 496 0123", "+44(0)20 7946 0123", "+33 1 23 45 67 89")]
    return {"checks": editor_checks(), "areas": areas, "phones": phones, "notOneCouncil": sorted(NOT_ONE_COUNCIL)}


def test_golden_editor_checks_are_what_the_build_makes() -> None:
    expected = cases()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert stored == expected, f"{GOLDEN} is out of date: see this file's docstring"
    assert any(valid for _, valid in expected["phones"]) and not all(valid for _, valid in expected["phones"])
    assert any(name is None for _, name in expected["areas"]) and any(name for _, name in expected["areas"])
