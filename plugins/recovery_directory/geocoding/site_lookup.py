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

Writing 2.7 million postcodes into 3,125 files takes seconds, so the files are generated once
per data package version into a cache folder (``RECOVERY_DIRECTORY_CACHE``, default
``~/.cache/recovery-directory``) and every build after that links or copies them into its output.
Each letter's files are made as a piece of their own (``…-v<FORMAT>.letters/<letter>/``, under
the letter's lock), then all are linked into the whole folder: on a fresh machine two processes
make letters from either end (outputs/postcode_lookup.py) instead of one making them all while
the other waits.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import ons_postcodes
from .cache_lock import in_scratch_folder, making

if TYPE_CHECKING:
    from .ons_index import LetterIndex

FORMAT = 3  # bump when the files change, so old caches are not reused (3: median centres)
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

    Read from the cache, written there the first time from every letter's codes (~1 s on a
    fresh machine, where `validate` of one listing needs them; nothing once the index is made).
    A cache that can't be written only means the next process lists them again."""
    path = cache_root() / f"authorities-{ons_postcodes.data_version()}.json"
    if (found := _cached_codes(path)) is not None:
        return found
    with making(path):  # another process listing them: wait, then read its list
        if (found := _cached_codes(path)) is not None:
            return found
        codes: set[str] = set()
        for letter in ons_postcodes.shard_letters():
            codes.update(_letter_codes(letter))
        found = sorted(codes - set(ons_postcodes.NOT_UK_CODES))
        with contextlib.suppress(OSError):  # read-only: the answer is still right
            _write_atomically(path, json.dumps(found).encode())
    return found


def _cached_codes(path: Path) -> list[str] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not made yet, damaged, or no cache folder at all
        return None


def _letter_codes(letter: str) -> list[str]:
    """One letter's authority codes: listed in its index's marker once the letter is converted
    (ons_index.py), else read from the package's file (~0.04 s a letter: converting it for this
    alone would cost ~0.2 s and numpy's import)."""
    from .ons_files import MARKER, index_folder

    try:
        listed = json.loads((index_folder() / letter / MARKER).read_text(encoding="utf-8"))["codes"]
        if isinstance(listed, list) and all(isinstance(code, str) for code in listed):
            return listed
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return list(ons_postcodes.authority_codes(letter))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, path)


def cached() -> bool:
    """Whether this machine's cache holds the lookup files for the installed data version."""
    return (cache_folder() / LOOKUP_FOLDER).is_dir()


def letters_folder() -> Path:
    """Where each letter's lookup files are made, one folder a letter, before the whole folder."""
    return cache_root() / f"{cache_folder().name}.letters"


def ensure_cached() -> Path:
    """The folder of lookup files for the installed data version, generating it if need be:
    each letter's files (lookup_letter), then all of them linked into a temporary folder renamed
    into place, so parallel builds are safe."""
    folder = cache_folder()
    if cached():
        return folder
    with making(folder):  # another process generating them: wait, then use its files
        if cached():
            return folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        in_scratch_folder(folder.parent, f".{folder.name}.", lambda scratch: _make_whole(scratch, folder))
    return folder


def _make_whole(scratch: Path, folder: Path) -> None:
    """Every letter's files linked into `scratch`, renamed into place as `folder`."""
    whole = scratch / LOOKUP_FOLDER
    whole.mkdir()
    for letter in ons_postcodes.shard_letters():
        made = lookup_letter(letter)
        if made is not None:
            _link_or_copy_all(made, whole)
    try:
        os.rename(scratch, folder)
    except OSError:  # another process got there first: theirs is as good as ours
        if not (folder / LOOKUP_FOLDER).is_dir():
            raise


def lookup_letter(letter: str) -> Path | None:
    """The folder of one letter's lookup files in the machine cache, made if need be (by one
    process while any other that needs it waits); None if no postcode starts with the letter."""
    folder = letters_folder() / letter
    if folder.is_dir():  # renamed into place whole: complete
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)  # OSError for a read-only cache, before any work
    with making(folder):
        if folder.is_dir():
            return folder
        from .ons_index import letter_index

        index = letter_index(letter)
        if index is None:
            return None
        in_scratch_folder(folder.parent, f".{letter}.", lambda scratch: _publish_letter(index, scratch, folder))
    return folder


def _publish_letter(index: LetterIndex, scratch: Path, folder: Path) -> None:
    """One letter's files written into `scratch`, renamed into place as `folder`."""
    _write_letter(index, scratch)
    try:
        os.rename(scratch, folder)
    except OSError:  # made by another process meanwhile (no lock to be had): as good
        if not folder.is_dir():
            raise


def generate(target: Path) -> int:
    """Write one file per outcode into `target`, straight from the index (no machine cache of
    lookup files: a read-only one); returns how many files.

    Positions come from the ONS index (ons_index.py), converted there once per machine: a second
    pyproj pass over 2.7 million grid references, and a Python loop over each postcode, made this
    ~11 s on a fresh machine, where every deploy preview runs."""
    from .ons_index import letter_index

    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for letter in ons_postcodes.shard_letters():
        index = letter_index(letter)
        if index is not None:
            count += _write_letter(index, target)
    return count


def _write_letter(index: LetterIndex, target: Path) -> int:
    """One letter's files, one per outcode, into `target`; returns how many."""
    from .authorities import all_names, display_name

    names = all_names()
    count = 0
    for record in _outcode_records(index, names, display_name):
        text = json.dumps(record, separators=(",", ":"))
        (target / f"{record['outcode']}.json").write_text(text, encoding="utf-8")
        count += 1
    return count


def _link_or_copy_all(source: Path, target: Path) -> None:
    try:
        _link_all(source, target)
    except OSError:  # a file system without hard links: copies (any link made is removed first,
        for name in os.listdir(source):  # so no copy writes into the file it links to)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target / name)
            shutil.copyfile(source / name, target / name)


def _outcode_records(index: LetterIndex, names: dict[str, str], display_name: Callable[[str], str]) -> Iterator[dict]:
    """The file of each outcode in one letter's index. The index is sorted by postcode, so an
    outcode's rows are consecutive and in the order of their inward codes."""
    import numpy as np

    real = index.pcd != b""  # a postcode that isn't 7 ASCII characters can't be looked up
    code = index.code[real]
    if not len(code):
        return
    chars = index.pcd[real].view(np.uint8).reshape(len(code), -1)  # a row a postcode: "S1  1AA"
    lat, lon = index.lat[real], index.lon[real]
    placed = np.isfinite(lat) & np.isfinite(lon)  # NaN where the grid reference is missing
    lat_q = np.round(np.where(placed, lat, 0) * SCALE).astype(np.int64)
    lon_q = np.round(np.where(placed, lon, 0) * SCALE).astype(np.int64)
    named = np.array([value in names for value in index.codes] + [False])  # code -1 (none) is last
    starts = np.flatnonzero(np.r_[True, (chars[1:, :4] != chars[:-1, :4]).any(axis=1)]).tolist()
    for start, end in zip(starts, [*starts[1:], len(chars)], strict=True):
        rows = slice(start, end)
        # the outcode's authorities in order of first appearance; a postcode whose authority has
        # no name (or none at all) gets None in `district`
        known = named[code[rows]]
        codes_known = code[rows][known]
        found, first = np.unique(codes_known, return_index=True)
        order = found[np.argsort(first)].tolist()
        codes = [index.codes[value] for value in order]
        record: dict = {"outcode": chars[start, :4].tobytes().decode("ascii").rstrip()}
        where = placed[rows]
        if where.any():
            # The middle of the outcode's postcodes: the median, not the mean, so a few postcodes
            # placed far off (16 of TR21's, on St Mary's, sit at Penzance) don't put it in the sea.
            record["lat"] = round(float(np.median(lat_q[rows][where])) / SCALE, 4)
            record["lon"] = round(float(np.median(lon_q[rows][where])) / SCALE, 4)
        record["districts"] = [display_name(names[value]) for value in codes]
        record["codes"] = codes
        record["inward"] = chars[rows, 4:].tobytes().decode("ascii")
        record["dlat"], record["dlon"] = _steps(lat_q[rows], where), _steps(lon_q[rows], where)
        if len(codes) > 1 or not known.all():
            rank = np.zeros(len(index.codes), np.int64)
            rank[order] = np.arange(len(order))
            record["district"] = _where(known, rank[codes_known])
        yield record


def _steps(quantised: Any, placed: Any) -> list[int | None]:
    """Each placed postcode's coordinate as a step from the last placed one (the first from 0);
    None for a postcode without a position."""
    import numpy as np

    return _where(placed, np.diff(quantised[placed], prepend=0))


def _where(chosen: Any, values: Any) -> list[int | None]:
    """`values` (ints) at the chosen places of a list as long as `chosen`, None elsewhere."""
    import numpy as np

    if chosen.all():
        return values.tolist()
    spread = np.full(len(chosen), None, dtype=object)
    spread[chosen] = values  # stored as Python ints, as tolist() would make them
    return spread.tolist()


def publish(output_path: str | os.PathLike[str]) -> Path:
    """Put the lookup files into the site at /postcodes/: hard links to the cache where the file
    system allows (instant, no extra disk), else copies. Where no machine cache can be made (a
    read-only home), they are made straight into the site, the same files, every build."""
    target = Path(output_path) / LOOKUP_FOLDER
    try:
        source = ensure_cached() / LOOKUP_FOLDER
    except OSError:
        if target.exists():
            shutil.rmtree(target)
        generate(target)
        return target
    if _linked(source, target):  # a rebuild: the last build's links are still there, nothing else
        return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    _link_or_copy_all(source, target)
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
