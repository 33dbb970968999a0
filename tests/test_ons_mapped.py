"""geocoding/ons_mapped.py answers single postcodes from the ONS index files without numpy, as
geocoding/ons_index.py does with it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from recovery_directory.geocoding import ons_index, ons_mapped, ons_postcodes


@pytest.mark.parametrize("letter", "BJIA")  # NI's Irish grid, Jersey, Isle of Man, rows without a grid
def test_the_same_row_and_answer_as_the_numpy_index(letter):
    index = ons_index.letter_index(letter)
    mapped = ons_mapped.mapped_letter(letter)
    assert index is not None and mapped is not None
    step = max(1, len(index.pcd) // 3000)
    for row in [*range(0, len(index.pcd), step), len(index.pcd) - 1]:
        code, lat, _ = index.answer(row)
        assert mapped.row(index.pcd[row].decode("ascii")) == row
        assert mapped.code_and_grid(row) == index.code_and_grid(row) == (code, lat is not None)
        assert mapped.answer(row) == index.answer(row)
    first, last = index.pcd[0].decode("ascii"), index.pcd[-1].decode("ascii")
    for missing in (f"{letter}      ", first[:-1] + " ", last[:-1] + "~", "", letter, "ÄB1 1AA", "AB1  1AA"):
        assert mapped.row(missing) == index.row(missing), repr(missing)


@pytest.mark.parametrize("letter", "JZF")  # 3,668, 758 and 20,145 rows: every one, and a miss beside each
def test_every_row_is_found_and_every_near_miss_is_not(letter):
    """The sampled search (a bisect, then `find` within STRIDE rows) at every row, on both sides of
    every sampled row, and for postcodes that would sort between two rows or straddle them."""
    index = ons_index.letter_index(letter)
    mapped = ons_mapped.mapped_letter(letter)
    assert index is not None and mapped is not None and len(index.pcd) > 2 * ons_mapped.STRIDE
    pcds = [pcd.decode("ascii") for pcd in index.pcd]
    for row, pcd in enumerate(pcds):
        assert mapped.row(pcd) == row
        across = (pcd + pcds[(row + 1) % len(pcds)])[row % 6 + 1 :][:7]  # bytes that straddle two rows
        for missing in (pcd[:-1] + " ", pcd[:-1] + "~", pcd[1:] + pcd[0], across):
            assert mapped.row(missing) == index.row(missing), repr(missing)


def test_a_file_not_in_the_expected_layout_is_not_read(tmp_path):
    path = tmp_path / "code.npy"
    header = b"{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + b"\0" * 12)
    assert ons_mapped._mapped(path, "<i2", 2, 3) is None  # another dtype
    assert ons_mapped._mapped(path, "<i4", 4, 3) is not None  # the same file, read as what it is
    assert ons_mapped._mapped(path, "<i4", 4, 4) is None  # more rows than it holds
    path.write_bytes(b"\x93NUMPY\x01\x00\xff\x00{'descr': ")
    assert ons_mapped._mapped(path, "<i4", 4, 3) is None  # a header cut short
    path.write_bytes(b"not numpy at all")
    assert ons_mapped._mapped(path, "<i4", 4, 3) is None


def test_numpy_headers_are_compared_as_text_and_any_other_spelling_is_still_read(tmp_path, monkeypatch):
    """numpy's own header is matched as text (no Python parse for each of a letter's six files);
    the same header written another way (another numpy) is still parsed and read."""
    import numpy

    path = tmp_path / "lat.npy"
    numpy.save(path, numpy.arange(5, dtype="<f8"))
    parsed = []
    monkeypatch.setattr(ons_mapped.ast, "literal_eval", lambda text: parsed.append(text))
    assert ons_mapped._mapped(str(path), "<f8", 8, 5) is not None
    assert ons_mapped._mapped(str(path), "<f8", 8, 6) is None  # a row count it doesn't have
    assert parsed  # ...was parsed, and found wanting
    monkeypatch.undo()
    header = b'{"shape": (3,), "fortran_order": False, "descr": "<i4"}'
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + b"\0" * 12)
    assert ons_mapped._mapped(str(path), "<i4", 4, 3) is not None
    assert ons_mapped._mapped(str(path), "<i2", 2, 3) is None


def test_checking_a_postcode_imports_no_numpy_once_the_letter_is_made():
    assert ons_postcodes.find("HX1 1RE") is not None  # made in this process's cache, if it wasn't
    code = (
        "import sys; from recovery_directory.geocoding import ons_postcodes; "
        "print(ons_postcodes.find('HX1 1RE'), ons_postcodes.find('HX9 9ZZ'), 'numpy' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert found[-1] == "False", found
    assert found[0].startswith("('E08000033'")


def test_placing_answers_the_same_from_the_mapped_files(monkeypatch):
    postcodes = ["HX1 1RE", "BT1 1AA", "JE2 3AB", "IM1 1AA", "EC1A 1BB", "ZZ9 9ZZ", "S1 2HE"]
    mapped = ons_postcodes.lookup(postcodes)
    monkeypatch.setattr(ons_mapped, "mapped_letter", lambda letter: None)  # the numpy index only
    assert ons_postcodes.lookup(postcodes) == mapped
    assert "HX1 1RE" in mapped and "ZZ9 9ZZ" not in mapped
