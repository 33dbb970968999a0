"""tests/run_order.py: `make test` hands out the longest test files first."""

from __future__ import annotations

from types import SimpleNamespace

from run_order import DURATIONS, longest_first, recorded


def test_the_longest_files_go_first_and_a_new_file_before_them():
    names = ["tests/test_a.py::one", "tests/test_b.py::one", "tests/test_a.py::two", "tests/test_new.py::one",
             "tests/test_c.py::one", "tests/test_new.py::two"]
    items = [SimpleNamespace(nodeid=name) for name in names]
    longest_first(items, {"tests/test_a.py": 5.0, "tests/test_b.py": 50.0, "tests/test_c.py": 0.1})
    assert [item.nodeid for item in items] == [
        "tests/test_new.py::one", "tests/test_new.py::two",  # not recorded yet: first, in its own order
        "tests/test_b.py::one", "tests/test_a.py::one", "tests/test_a.py::two", "tests/test_c.py::one",
    ]


def test_the_recorded_times_are_read_and_name_test_files(root):
    seconds = recorded()
    assert seconds, f"{DURATIONS} is missing or empty: record it (CONTRIBUTING.md, For developers)"
    assert all(name.startswith("tests/test_") and name.endswith(".py") for name in seconds)
    assert all(isinstance(value, (int, float)) and value >= 0 for value in seconds.values())
    # Most of the files run today are recorded (a few new ones may not be yet).
    files = {f"tests/{path.name}" for path in (root / "tests").glob("test_*.py")}
    assert len(files & seconds.keys()) >= 0.8 * len(files)


def test_a_damaged_times_file_only_loses_the_order(tmp_path, monkeypatch):
    import run_order

    times = tmp_path / "durations.json"
    monkeypatch.setattr(run_order, "DURATIONS", times)
    times.write_text('{"tests/test_a.py": 3, "tests/test_b.py": null, "tests/test_c.py": "9", "tests/test_d.py": true, '
                     f'"tests/test_e.py": 1{"0" * 400}}}')
    assert run_order.recorded() == {"tests/test_a.py": 3.0}
    for damaged in ("[1, 2]", "{", ""):
        times.write_text(damaged)
        assert run_order.recorded() == {}
    times.unlink()
    assert run_order.recorded() == {}
