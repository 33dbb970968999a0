"""geocoding/ons_files.py answers single postcodes from the ONS index files without numpy, as
geocoding/ons_index.py does with it, and without mapping the files into the process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from recovery_directory.geocoding import ons_files, ons_index, ons_postcodes


@pytest.mark.parametrize("letter", "BJIA")  # NI's Irish grid, Jersey, Isle of Man, rows without a grid
def test_the_same_row_and_answer_as_the_numpy_index(letter):
    index = ons_index.letter_index(letter)
    files = ons_files.letter_files(letter)
    assert index is not None and files is not None
    step = max(1, len(index.pcd) // 3000)
    for row in [*range(0, len(index.pcd), step), len(index.pcd) - 1]:
        code, lat, _ = index.answer(row)
        assert files.row(index.pcd[row].decode("ascii")) == row
        assert files.code_and_grid(row) == index.code_and_grid(row) == (code, lat is not None)
        assert files.answer(row) == index.answer(row)
    first, last = index.pcd[0].decode("ascii"), index.pcd[-1].decode("ascii")
    for missing in (f"{letter}      ", first[:-1] + " ", last[:-1] + "~", "", letter, "ÄB1 1AA", "AB1  1AA"):
        assert files.row(missing) == index.row(missing), repr(missing)


@pytest.mark.parametrize("letter", "JZF")  # 3,668, 758 and 20,145 rows: every one, and a miss beside each
def test_every_row_is_found_and_every_near_miss_is_not(letter):
    """The sampled search (a bisect, then `find` within STRIDE rows) at every row, on both sides of
    every sampled row, and for postcodes that would sort between two rows or straddle them."""
    index = ons_index.letter_index(letter)
    files = ons_files.letter_files(letter)
    assert index is not None and files is not None and len(index.pcd) > 2 * ons_files.STRIDE
    pcds = [pcd.decode("ascii") for pcd in index.pcd]
    for row, pcd in enumerate(pcds):
        assert files.row(pcd) == row
        across = (pcd + pcds[(row + 1) % len(pcds)])[row % 6 + 1 :][:7]  # bytes that straddle two rows
        for missing in (pcd[:-1] + " ", pcd[:-1] + "~", pcd[1:] + pcd[0], across):
            assert files.row(missing) == index.row(missing), repr(missing)


def _data_start(path, dtype, width, rows):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        return ons_files.data_start(descriptor, dtype, width, rows)
    finally:
        os.close(descriptor)


def test_a_file_not_in_the_expected_layout_is_not_read(tmp_path):
    path = tmp_path / "code.npy"
    header = b"{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + b"\0" * 12)
    assert _data_start(path, "<i2", 2, 3) is None  # another dtype
    assert _data_start(path, "<i4", 4, 3) == 10 + len(header)  # the same file, read as what it is
    assert _data_start(path, "<i4", 4, 4) is None  # more rows than it holds
    path.write_bytes(b"\x93NUMPY\x01\x00\xff\x00{'descr': ")
    assert _data_start(path, "<i4", 4, 3) is None  # a header cut short
    path.write_bytes(b"not numpy at all")
    assert _data_start(path, "<i4", 4, 3) is None
    path.write_bytes(b"")
    assert _data_start(path, "<i4", 4, 3) is None


def test_a_header_claiming_more_than_the_file_holds_is_not_read(tmp_path):
    """A damaged header's length (up to 4 GB in format 2) is checked against the file before any
    of it is read: reading what it claimed ran out of memory (here under a 1 GB limit)."""
    path = tmp_path / "code.npy"
    path.write_bytes(b"\x93NUMPY\x02\x00" + (0xFFFFFFF0).to_bytes(4, "little") + b"{'descr': '<i2'" + b"\0" * 64)
    code = (
        "import os, resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
        "from recovery_directory.geocoding import ons_files; "
        "descriptor = os.open(sys.argv[1], os.O_RDONLY); print(ons_files.data_start(descriptor, '<i2', 2, 3))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "None"), done.stderr[-500:]


def test_numpy_headers_are_compared_as_text_and_any_other_spelling_is_still_read(tmp_path, monkeypatch):
    """numpy's own header is matched as text (no Python parse for each of a letter's six files);
    the same header written another way (another numpy) is still parsed and read."""
    import numpy

    path = tmp_path / "lat.npy"
    numpy.save(path, numpy.arange(5, dtype="<f8"))
    parsed = []
    monkeypatch.setattr(ons_files.ast, "literal_eval", lambda text: parsed.append(text))
    assert _data_start(str(path), "<f8", 8, 5) is not None
    assert not parsed
    assert _data_start(str(path), "<f8", 8, 6) is None  # more rows than the file holds: not read at all
    assert not parsed
    assert _data_start(str(path), "<f8", 8, 4) is None  # another row count than its header's
    assert parsed  # ...was parsed, and found wanting
    monkeypatch.undo()
    header = b'{"shape": (3,), "fortran_order": False, "descr": "<i4"}'
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + b"\0" * 12)
    assert _data_start(str(path), "<i4", 4, 3) is not None
    assert _data_start(str(path), "<i2", 2, 3) is None


def test_searching_maps_none_of_the_index_into_the_process():
    """A search reads copies of the rows it needs: a mapped page stays the process's memory (PSS)
    until unmapped: 24 and 37 MB in the two reading processes of a 1,000-listing build, where plain
    Pelican's whole build of those pages peaks at ~45 MB. In a fresh process: postcodes in many
    letters found and placed, then its memory map looked at."""
    for postcode in ("HX1 1RE", "BT1 1AA", "EC1A 1BB", "S1 2HE", "ZE1 0AA"):  # their letters made
        assert ons_postcodes.find(postcode) is not None
    code = (
        "import sys; from recovery_directory.geocoding import ons_files, ons_postcodes; "
        "found = [ons_postcodes.find(p) for p in ('HX1 1RE', 'BT1 1AA', 'EC1A 1BB', 'S1 2HE', 'ZE1 0AA')]; "
        "places = ons_postcodes.lookup(['HX1 1RE', 'BT1 1AA', 'S1 2HE']); "
        "folder = str(ons_files.index_folder()); "
        "mapped = [line for line in open('/proc/self/maps') if folder in line]; "
        "print(all(found), len(places), len(ons_files._OPEN), len(mapped), 'numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "3", "5", "0", "False"], done.stdout + done.stderr


def _open_descriptors() -> set[str]:
    """The paths of this process's open files (listdir's own descriptor is gone when read)."""
    paths = set()
    for name in os.listdir("/proc/self/fd"):
        try:
            paths.add(os.readlink(f"/proc/self/fd/{name}"))
        except FileNotFoundError:
            continue
    return paths


def test_closing_letters_closes_their_files_and_a_kept_letter_then_fails_loudly(tmp_path, monkeypatch):
    ons_files.close_letters()
    files = ons_files.letter_files("H")
    assert files is not None and files.row("HX1 1RE") is not None
    folder = str(ons_files.index_folder() / "H")
    assert sum(path.startswith(folder) for path in _open_descriptors()) == len(ons_files.LAYOUT)
    number = files.pcd
    ons_files.close_letters()
    assert not any(path.startswith(folder) for path in _open_descriptors())
    # The postcodes' file's number, reused by another file: the kept letter must not read that file.
    other = tmp_path / "other.bin"
    other.write_bytes(b"HX1 1RE" * 1000)
    reused = os.open(other, os.O_RDONLY)
    if reused != number:
        os.dup2(reused, number)
        os.close(reused)
    try:
        with pytest.raises(OSError):
            files.row("HX1 1RE")
    finally:
        os.close(number)
    assert ons_files.letter_files("H").row("HX1 1RE") is not None  # opened again when asked


def test_a_letter_not_in_the_expected_layout_leaves_no_file_open(tmp_path, monkeypatch):
    import shutil

    source = ons_files.index_folder() / "J"
    assert ons_files.letter_files("J") is not None  # made, if it wasn't
    monkeypatch.setenv("RECOVERY_DIRECTORY_CACHE", str(tmp_path))
    broken = ons_files.index_folder() / "J"
    shutil.copytree(source, broken)
    (broken / "lat.npy").write_bytes((broken / "lat.npy").read_bytes()[:200])  # cut short
    ons_files.close_letters()
    before = _open_descriptors()
    assert ons_files.letter_files("J") is None
    assert _open_descriptors() == before
    ons_files.close_letters()


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
    monkeypatch.setattr(ons_files, "letter_files", lambda letter: None)  # the numpy index only
    assert ons_postcodes.lookup(postcodes) == mapped
    assert "HX1 1RE" in mapped and "ZZ9 9ZZ" not in mapped
