"""The pure browser JavaScript's unit tests (tests/js/*.test.mjs), run by Node's own test runner
so `make test` and CI run them with everything else."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_node_unit_tests_pass() -> None:
    node = shutil.which("node")
    if not node:
        pytest.fail("Node.js is not installed: it is needed for `npm ci` and the JavaScript unit tests.")
    tests = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests" / "js").glob("*.test.mjs"))
    assert tests, "no JavaScript unit tests found in tests/js/"
    result = subprocess.run([node, "--test", *tests], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"node --test failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    assert "# fail 0" in result.stdout
