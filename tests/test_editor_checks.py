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


def cases() -> dict:
    areas = []
    for authority in authorities().values():
        for written in (authority.name, authority.official_name, authority.name.upper(), f"{authority.name} Council",
                        f"{authority.name} City Council", authority.name[:-1], f"{authority.name}, {authority.name}"):
            found = resolve(written)
            areas.append([written, found.name if found else None])
    areas += [[name, None] for name in ("London", "Wales", "Halifax", "Yorkshire", "Swansae")]
    areas += [["Caerdydd", "Cardiff"], ["London Borough of Camden", "Camden"], ["national", "national"]]
    phones = []
    for shape in DRAMA:
        for number in (shape.format(123), shape.format(123)[:-1], "+44 " + shape.format(45)[1:]):
            phones.append([number, parse_phone(number) is not None])
    phones += [[number, parse_phone(number) is not None]
               for number in ("01534 123456", "01624 123456", "01481 123456", "07700 900123", "0113 496 012",
                              "116 123", "0800 1111", "07624 123456")]
    return {"checks": editor_checks(), "areas": areas, "phones": phones, "notOneCouncil": sorted(NOT_ONE_COUNCIL)}


def test_golden_editor_checks_are_what_the_build_makes() -> None:
    expected = cases()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert stored == expected, f"{GOLDEN} is out of date: see this file's docstring"
    assert any(valid for _, valid in expected["phones"]) and not all(valid for _, valid in expected["phones"])
    assert any(name is None for _, name in expected["areas"]) and any(name for _, name in expected["areas"])
