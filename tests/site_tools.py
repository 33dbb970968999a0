"""Build a site with the real `pelican` command; serve it on loopback like Netlify does (the server
is recovery_directory.preview, shared with the benchmarks and tools)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from recovery_directory.preview import netlify_headers, serve_directory

__all__ = ["ROOT", "build_site", "netlify_headers", "serve_directory"]

ROOT = Path(__file__).resolve().parents[1]


def build_site(
    output: Path,
    *,
    settings: Path | str = ROOT / "pelicanconf.py",
    content: Path | None = None,
    extra: list[str] = (),
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess:
    """Run `pelican` as a subprocess (content defaults to the settings' PATH)."""
    command = [sys.executable, "-m", "pelican"]
    if content is not None:
        command.append(str(content))
    command += ["-s", str(settings), "-o", str(output), "--delete-output-directory", *extra]
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"pelican failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result
