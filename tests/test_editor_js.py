"""The listing editor's pure JavaScript (checks, YAML, GitHub links) under Node's own test runner."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT


def test_editor_modules_pass_their_node_tests():
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed: `make test` needs it (apt-get install -y nodejs).")
    result = subprocess.run(
        [node, "--no-warnings", "--test", "tests/js/editor.test.mjs"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
