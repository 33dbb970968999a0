"""What UK geography adds to a build, measured in fresh processes (run by `make bench` through
`measure(site)`, or alone):

    python -m benchmarks.geography /tmp/recovery-directory-bench/n1000/out

- placing every listing's postcodes offline (reading the data letters the listings need, finding
  each postcode, converting grid references), as a build does;
- the same for 10,000 postcodes spread over every letter: the most any build can load;
- publishing the postcode lookup files from the warm cache (hard links), as every build does;
- generating them cold (a new data version, or a fresh machine such as a Netlify build without a
  cache), with the authority list;
- the lookup files' size.

Times are CPU seconds (user + system) of a child process, from os.wait4, so a busy machine's queue
for a core doesn't count; wall time is shown beside them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]

PLACE = """
import json, sys
from recovery_directory.geocoding.offline import ONSPostcodes
from recovery_directory.geocoding.authorities import authorities
postcodes = json.load(open(sys.argv[1]))
placed = ONSPostcodes().geocode_many(postcodes)
authorities()
assert len(placed) >= 0.95 * len(postcodes), (len(placed), len(postcodes))
"""
PUBLISH = """
import sys
from recovery_directory.geocoding.site_lookup import publish
publish(sys.argv[1])
"""
COLD = """
import os, sys
os.environ["RECOVERY_DIRECTORY_CACHE"] = sys.argv[1]
from recovery_directory.geocoding.site_lookup import authority_codes_in_directory, publish
authority_codes_in_directory()
publish(sys.argv[2])
"""


def _child(script: str, *args: str) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of a fresh Python running `script`."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", script, *args], cwd=PROJECT_ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"geography benchmark step failed: {script.strip().splitlines()[-1]}")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start


def _baseline() -> tuple[float, float]:
    """Python start-up plus the imports, so the figures are the work itself."""
    return _child("import recovery_directory.geocoding.offline, recovery_directory.geocoding.site_lookup")


def listing_postcodes(site: Path) -> list[str]:
    """The postcodes of the listings a built site came from (its records in data/)."""
    records = json.loads((site / "data" / "organisations.json").read_text(encoding="utf-8"))["organisations"]
    return sorted({loc["postcode"] for r in records for loc in r["locations"] if loc.get("postcode")})


def spread_postcodes(count: int) -> list[str]:
    from recovery_directory.geocoding import ons_postcodes

    every = [
        ons_postcodes.from_ons_form(pcd)
        for letter in ons_postcodes.shard_letters()
        for pcd in ons_postcodes.shard(letter).pcd
    ]
    step = max(1, len(every) // count)
    return every[::step][:count]


def lookup_size(folder: Path) -> dict[str, Any]:
    files = sorted(folder.glob("*.json"))
    raw = [path.stat().st_size for path in files]
    zipped = [len(gzip.compress(path.read_bytes(), 6)) for path in files]
    return {
        "files": len(files), "raw_mb": sum(raw) / 1e6, "gzip_mb": sum(zipped) / 1e6, "largest_kb": max(zipped) / 1024,
    }


def measure(site: Path) -> dict[str, Any]:
    site = Path(site)
    base_cpu, _ = _baseline()
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for label, postcodes in (
            (f"placing this build's {len(listing_postcodes(site)):,} postcodes offline", listing_postcodes(site)),
            ("placing 10,000 postcodes from every letter offline", spread_postcodes(10_000)),
        ):
            (scratch / "postcodes.json").write_text(json.dumps(postcodes), encoding="utf-8")
            cpu, wall = _child(PLACE, str(scratch / "postcodes.json"))
            found[f"{label}, CPU (wall) s"] = f"{cpu - base_cpu:.2f} ({wall:.2f})"
        cpu, wall = _child(PUBLISH, str(scratch / "warm"))
        # Hard links cost less than the start-up noise: never print a negative time.
        found["publishing the lookup files from the cache, CPU (wall) s"] = f"{max(cpu - base_cpu, 0):.2f} ({wall:.2f})"
        cpu, wall = _child(COLD, str(scratch / "cache"), str(scratch / "cold"))
        found["generating the lookup cold (no cache: a fresh Netlify build), CPU (wall) s"] = (
            f"{cpu - base_cpu:.1f} ({wall:.1f})"
        )
        size = lookup_size(scratch / "cold" / "postcodes")
    found["lookup files added to the output"] = (
        f"{size['files']:,} files, {size['raw_mb']:.1f} MB ({size['gzip_mb']:.1f} MB gzipped)"
    )
    found["largest lookup file (one lookup), KB gzipped"] = round(size["largest_kb"], 1)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure what UK geography adds to a build.")
    parser.add_argument("site", type=Path, help="a built site's output folder")
    args = parser.parse_args(argv)
    for key, value in measure(args.site).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
