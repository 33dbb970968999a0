"""The search page's JavaScript as one file: its ES modules (js/search/*.js and the shortlist's card
button) bundled by esbuild (npm, pinned in package-lock.json) into <THEME_STATIC_DIR>/js/search-page.js.

One request instead of some twenty, and one script to compile: on a 2-core machine the search page
was ready about 180 ms sooner (docs/benchmarks.md). The modules stay as they are in theme/static/,
where the Node tests import them and the text worker (text-worker.js, its own module graph, started
after the first results) still loads them one by one. esbuild's output depends only on its inputs
and version, so repeated builds write the same bytes.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from ..vendor import MissingAssets, esbuild_path

ORDER = 10
BUNDLE = "js/search-page.js"
# In page order: each module script of the search page, as the template once loaded them.
ENTRY = 'import "./search/main.js";\nimport "./shortlist/results.js";\n'


def write(generator: Any, writer: Any) -> None:
    settings = generator.settings
    source = Path(settings["THEME"]) / "static" / "js"
    target = Path(generator.output_path) / settings["THEME_STATIC_DIR"] / BUNDLE
    bundle = build_bundle(esbuild_path(settings), source)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_bytes() != bundle:  # an unchanged file keeps its time
        target.write_bytes(bundle)


def build_bundle(esbuild: Path, source: Path) -> bytes:
    """The bundled, minified page script, from the modules in `source`."""
    result = subprocess.run(
        [str(esbuild.resolve()), "--bundle", "--format=esm", "--minify", "--target=es2022", "--log-level=error",
         "--sourcefile=search-page.js", "--charset=utf8"],
        input=ENTRY.encode(), cwd=source, capture_output=True, check=False,
    )
    if result.returncode != 0:
        problem = result.stderr.decode(errors="replace")
        raise MissingAssets(f"esbuild could not bundle the search page's scripts:\n{problem}")
    return result.stdout
