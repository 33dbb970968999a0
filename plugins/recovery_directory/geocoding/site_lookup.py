"""The site's own postcode lookup: one small JSON file per outcode, generated from the ONS data,
so a visitor's browser looks a postcode up on our origin and nowhere else.

``/postcodes/HX1.json``::

    {"outcode": "HX1", "lat": 53.7217, "lon": -1.8629,          # the outcode's centre
     "districts": ["Calderdale"], "codes": ["E08000033"],        # its local authorities
     "inward": "1AA1AB1AD…",                                     # each postcode's last 3 characters
     "dlat": [537231, -3, …], "dlon": [-18601, 12, …],           # 1e-4 degrees, each from the last
     "district": [0, 0, …]}                                      # only when there are several

A postcode without a grid reference has ``null`` in ``dlat``/``dlon`` (it exists, but has no
point). The largest file is about 16 KB gzipped, so a lookup fetches one file well under 30 KB.

Turning 2.7 million grid references into files takes seconds, so the files are generated once
per data package version into a cache folder (``RECOVERY_DIRECTORY_CACHE``, default
``~/.cache/recovery-directory``) and every build after that links or copies them into its output.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from . import ons_postcodes

FORMAT = 2  # bump when the files change, so old caches are not reused
SCALE = 10_000  # coordinates in 1e-4 degrees: about 11 m, plenty for "near" sorting
LOOKUP_FOLDER = "postcodes"
AUTHORITIES_FILE = "authorities.json"


def cache_root() -> Path:
    configured = os.environ.get("RECOVERY_DIRECTORY_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "recovery-directory"


def cache_folder() -> Path:
    return cache_root() / f"postcode-lookup-{ons_postcodes.data_version()}-v{FORMAT}"


def authority_codes_in_directory() -> list[str]:
    """Every real local authority code the postcode directory uses (pseudo codes left out).

    Read from the cache, written there the first time (that reads every letter: ~1.5 s)."""
    path = cache_root() / f"authorities-{ons_postcodes.data_version()}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        pass
    codes: set[str] = set()
    for letter in ons_postcodes.shard_letters():
        codes.update(code for code in ons_postcodes.shard(letter).laua if isinstance(code, str) and code)
    found = sorted(codes - set(ons_postcodes.NOT_UK_CODES))
    _write_atomically(path, json.dumps(found).encode())
    return found


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, path)


def ensure_cached() -> Path:
    """The folder of lookup files for the installed data version, generating it if need be.
    Generation writes to a temporary folder renamed into place, so parallel builds are safe."""
    folder = cache_folder()
    if (folder / LOOKUP_FOLDER).is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        generate(scratch / LOOKUP_FOLDER)
        try:
            os.rename(scratch, folder)
        except OSError:  # another process got there first: theirs is as good as ours
            if not (folder / LOOKUP_FOLDER).is_dir():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def generate(target: Path) -> int:
    """Write one file per outcode into `target`; returns how many files."""
    import numpy as np

    from .authorities import all_names, display_name

    names = all_names()
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for letter in ons_postcodes.shard_letters():
        shard = ons_postcodes.shard(letter)
        east = np.asarray(shard.east, dtype=float)
        north = np.asarray(shard.north, dtype=float)
        lat, lon = ons_postcodes.grid_to_latlon(shard.pcd, east, north)
        placed = np.isfinite(lat) & np.isfinite(lon)  # NaN where the grid reference is missing
        lat_q = np.round(np.where(placed, lat, 0) * SCALE).astype(np.int64).tolist()
        lon_q = np.round(np.where(placed, lon, 0) * SCALE).astype(np.int64).tolist()
        placed = placed.tolist()
        outcodes: dict[str, list[int]] = defaultdict(list)
        for row, pcd in enumerate(shard.pcd):
            outcodes[pcd[:4].rstrip()].append(row)
        for outcode, rows in outcodes.items():
            rows.sort(key=lambda row: shard.pcd[row][4:])
            record = _outcode_file(outcode, rows, shard, lat_q, lon_q, placed, names, display_name)
            (target / f"{outcode}.json").write_text(json.dumps(record, separators=(",", ":")), encoding="utf-8")
            count += 1
    return count


def _outcode_file(outcode, rows, shard, lat_q, lon_q, placed, names, display_name) -> dict:
    codes: list[str] = []
    district: list[int | None] = []
    for row in rows:
        code = shard.laua[row]
        if isinstance(code, str) and code in names:
            if code not in codes:
                codes.append(code)
            district.append(codes.index(code))
        else:
            district.append(None)
    dlat: list[int | None] = []
    dlon: list[int | None] = []
    last_lat = last_lon = 0
    for row in rows:
        if not placed[row]:
            dlat.append(None)
            dlon.append(None)
            continue
        dlat.append(lat_q[row] - last_lat)
        dlon.append(lon_q[row] - last_lon)
        last_lat, last_lon = lat_q[row], lon_q[row]
    positioned = [row for row in rows if placed[row]]
    record: dict = {"outcode": outcode}
    if positioned:
        record["lat"] = round(sum(lat_q[row] for row in positioned) / len(positioned) / SCALE, 4)
        record["lon"] = round(sum(lon_q[row] for row in positioned) / len(positioned) / SCALE, 4)
    record["districts"] = [display_name(names[code]) for code in codes]
    record["codes"] = codes
    record["inward"] = "".join(shard.pcd[row][4:] for row in rows)
    record["dlat"], record["dlon"] = dlat, dlon
    if len(codes) > 1 or None in district:
        record["district"] = district
    return record


def publish(output_path: str | os.PathLike[str]) -> Path:
    """Put the lookup files into the site at /postcodes/: hard links to the cache where the file
    system allows (instant, no extra disk), else copies."""
    source = ensure_cached() / LOOKUP_FOLDER
    target = Path(output_path) / LOOKUP_FOLDER
    if _linked(source, target):  # a rebuild: the last build's links are still there, nothing else
        return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    try:
        _link_all(source, target)
    except OSError:
        shutil.rmtree(target)
        shutil.copytree(source, target)
    return target


def _link_all(source: Path, target: Path) -> None:
    """Hard-link every file of `source` into `target` by name within the two open folders: making
    two paths a file and resolving them cost twice the links themselves (0.12 s against 0.06 for
    the 3,125 files, a tenth of a small build's site-wide outputs)."""
    source_fd = os.open(source, os.O_RDONLY | os.O_DIRECTORY)
    try:
        target_fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for name in os.listdir(source_fd):
                os.link(name, name, src_dir_fd=source_fd, dst_dir_fd=target_fd, follow_symlinks=False)
        finally:
            os.close(target_fd)
    finally:
        os.close(source_fd)


def _linked(source: Path, target: Path) -> bool:
    """Whether `target` holds exactly `source`'s files as hard links (same names, same inodes on
    the same device): then it is what `publish` would make. Copies are made again each build."""
    try:
        if os.stat(source).st_dev != os.stat(target).st_dev:
            return False
        with os.scandir(source) as entries:
            wanted = {entry.name: entry.inode() for entry in entries}
        with os.scandir(target) as entries:
            return {entry.name: entry.inode() for entry in entries} == wanted
    except OSError:
        return False
