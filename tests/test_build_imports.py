"""What a build imports once the machine's caches are made: none of the heavy libraries kept for
other jobs. Each costs every build (and every rebuild in `make serve`) its import time, so one
creeping back in (as numpy did, through an import at the top of a function whose cached answer
needs none) is a regression a test should catch, not a profile weeks later."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from site_tools import ROOT, build_site
from temp_project import make_project

# Only making the ONS index (numpy, pyproj), geocoding online (geopy, requests), explaining an
# invalid listing (jsonschema) and the map's reference script (folium) need these.
NOT_IN_A_BUILD = ("numpy", "pyproj", "geopy", "requests", "jsonschema", "folium", "pandas")
IN_PROCESS_BUILD = (
    "import sys, pelican\n"
    "try:\n"
    "    pelican.main(sys.argv[1:])\n"
    "except SystemExit as stop:\n"
    "    if stop.code:\n"
    "        raise\n"
    f"print('imported:', *[name for name in {NOT_IN_A_BUILD!r} if name in sys.modules])\n"
)


def test_a_build_on_a_made_machine_imports_none_of_the_heavy_libraries(tmp_path: Path):
    settings = make_project(tmp_path / "project", settings={"BUILD_CACHE_PATH": str(tmp_path / "cache")})
    build_site(tmp_path / "first", settings=settings)  # makes whatever the machine's cache lacks
    empty_cache = ["-e", f"BUILD_CACHE_PATH={json.dumps(str(tmp_path / 'empty-cache'))}"]
    for output, extra in (("full", empty_cache), ("rebuild", [])):  # the rebuild: the first build's cache
        # One process, so whatever reading or writing imports is in the process that reports.
        command = [sys.executable, "-c", IN_PROCESS_BUILD, "-s", str(settings), "-o", str(tmp_path / output)]
        command += ["-q", "-e", "BUILD_PROCESSES=1", *extra]
        found = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=300)
        assert found.stdout.splitlines()[-1] == "imported:", (output, found.stdout, found.stderr)
