"""What the last build left in the output folder, kept in the build cache, so that a build into
the folder as it is (`make build`, `make serve`) ends with the files a build into an empty folder
makes, whatever happened in between.

- At the start, once every listing has passed, files the last finished build did not leave are
  deleted from the site's own folders: written by a build that stopped part-way or a build without
  the cache. The build makes again whichever of them it needs. The site's own folders are the
  top-level names under which a build of ours has created files (organisations/, areas/, theme/ …),
  never one starting with "." or kept by OUTPUT_RETENTION. Anything else in the output folder (a
  .git, another site's folder, a file of one's own) is never touched, as Pelican deletes nothing
  unasked; nor is anything in a folder that holds the content, nor the build cache if it is kept
  inside. With no list (a new or deleted cache) nothing is deleted, and a folder that isn't empty
  gets a note.
- At the end, what Pelican itself wrote last time (its pages, articles and static files) and not
  now is deleted, as output_records.prune does for the plugin's pages, and the folder's files
  are listed for the next build.

A build without the cache (BUILD_CACHE_PATH = "") does neither, as Pelican would not.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from .build_cache import folder, load_file, pickle_atomically
from .output_folder import holds_content
from .output_records import record_path

_started_ns = time.time_ns()  # set again as each build starts (`started`)
_pelican_files: set[str] = set()  # what Pelican itself writes in this build, relative to the output folder
_present_at_start: set[str] = set()  # the files in the folder when writing began (none if emptied)
_folders_at_start: dict[str, tuple] = {}  # files_in's folders then, so the end reads only what changed
_record_at_start: dict[str, Any] = {}  # the last finished build's record, as read then (read once a build)


def started() -> None:
    """A build (or `pelican --autoreload`'s next one) starts."""
    global _started_ns
    _started_ns = time.time_ns()
    _pelican_files.clear()
    _present_at_start.clear()
    _folders_at_start.clear()
    _record_at_start.clear()


def pelican_writes(names: list[str]) -> None:
    """Pelican's generators will write these (pages, articles, static files), relative to the
    output folder. Its other pages (tags, categories, archives, feeds) are switched off here."""
    _pelican_files.update(name for name in names if name)


# A folder is read again unless it is the same folder (inode) with the change time it had when last
# read. Creating, deleting or renaming an entry moves a folder's change time; writing into a file
# doesn't, nor need it. The change time, not the modification time: copytree, `cp -a`, rsync or
# touch can set a modification time back, but nothing sets a change time. A time this close to the
# reading, or later, could be shared by a change right after it (file times come from a clock that
# ticks in steps: some filesystems' in seconds), so such a folder is read again next time, as git
# treats a file changed as its index was written ("racy git"). This compares the filesystem's
# times with this machine's clock: a network mount whose clock is more than SETTLED_NS behind,
# with times in whole seconds, could hide a change made within a second of a listing.
SETTLED_NS = 2_000_000_000


def files_in(output: str, known: dict[str, tuple] | None = None) -> tuple[set[str], dict[str, tuple]]:
    """Every file (and link, never followed) in the folder, relative to it, with "/" between
    folders; and each folder's ((inode, change time) or None, files, folders), for the next listing.

    A folder listed in `known` and unchanged isn't read again: at N = 10,000 (11,000 folders,
    34,000 files) a stat each costs ~0.12 s, against ~0.38 s reading each on a quiet machine (over
    1 s on a busy one), twice a rebuild. scandir's own entry types: no stat a file."""
    known = known or {}
    found: set[str] = set()
    folders: dict[str, tuple] = {}
    settled = time.time_ns() - SETTLED_NS
    pending = [""]
    base = os.path.join(os.path.realpath(output), "")
    while pending:
        here = pending.pop()
        try:
            stat = os.stat(base + here)
        except OSError:
            continue
        state = (stat.st_ino, stat.st_ctime_ns)
        last = known.get(here)
        if last is not None and last[0] == state:
            files, subfolders = last[1], last[2]
        else:
            names: tuple[list[str], list[str]] = ([], [])  # files, folders
            try:
                entries = os.scandir(base + here)
            except OSError:
                continue
            with entries:
                for entry in entries:
                    names[entry.is_dir(follow_symlinks=False)].append(entry.name)
            # Names joined by "\0" (which no name holds): 11,000 lists of names made the kept
            # listing ~0.1 s to unpickle, most of what reusing them saves.
            files, subfolders = "\0".join(names[0]), "\0".join(names[1])
        folders[here] = (state if stat.st_ctime_ns < settled else None, files, subfolders)
        if files:
            found.update(here + name for name in files.split("\0"))
        if subfolders:
            pending.extend(f"{here}{name}/" for name in subfolders.split("\0"))
    return found, folders


def clear_unrecorded(settings: dict[str, Any], output: str) -> None:
    """Delete what the last finished build did not leave in the site's own folders; with no list
    of that, delete nothing and say so."""
    path = record_path(settings, output, ".files")
    if path is None or not os.path.isdir(output) or holds_content(settings, output):
        return
    last = load_file(path)
    if isinstance(last, dict):
        _record_at_start.update(last)
    recorded = last.get("files") if isinstance(last, dict) else None
    families = last.get("families") if isinstance(last, dict) else None
    listed, folders = files_in(output, _recorded_folders(last))
    _folders_at_start.update(folders)
    present = _ours(settings, output, listed)
    if not isinstance(recorded, (set, frozenset)) or not isinstance(families, (set, frozenset)):
        if present:
            print(f"Note: {output} holds files from a build this build cache doesn't know of, so files no build "
                  "makes any more may stay there. To start afresh, delete it (make clean).", file=sys.stderr)
        _present_at_start.update(present)
        return
    stray = {name for name in present - recorded if name.split("/", 1)[0] in _families(settings, families)}
    delete(output, stray)
    _present_at_start.update(present - stray)


def _families(settings: dict[str, Any], names: Any) -> set[str]:
    """The site's own top-level names among `names`: never a hidden one, nor OUTPUT_RETENTION's."""
    kept = set(settings.get("OUTPUT_RETENTION") or ())
    return {name for name in names if not name.startswith(".") and name not in kept}


def _ours(settings: dict[str, Any], output: str, names: set[str]) -> set[str]:
    """`names` less the build cache's own files, if the cache is kept inside the output folder."""
    cache = folder(settings)
    if cache is None:
        return names
    inside = os.path.relpath(os.path.realpath(cache), os.path.realpath(output))
    if inside.startswith("..") or os.path.isabs(inside):
        return names
    prefix = "" if inside == "." else inside.replace(os.sep, "/") + "/"
    return set() if not prefix else {name for name in names if not name.startswith(prefix)}


def remember(settings: dict[str, Any], output: str) -> None:
    """After a build that finished: delete the pages and static files Pelican made last time and
    not now, then list the folder's files for the next build."""
    path = record_path(settings, output, ".files")
    if path is None or holds_content(settings, output):
        return  # nothing is deleted there, so nothing need be listed
    last = _record_at_start or load_file(path)  # read at the start unless the folder was emptied
    made = last.get("pelican") if isinstance(last, dict) else None
    if isinstance(made, (set, frozenset)):
        base = os.path.realpath(output)
        gone = set()
        for name in made - _pelican_files:
            try:  # not if written in this build, whoever wrote it
                if os.lstat(os.path.join(base, name)).st_ctime_ns < _started_ns:
                    gone.add(name)
            except OSError:
                continue
        delete(output, gone)
    listed, folders = files_in(output, _folders_at_start or _recorded_folders(last))
    present = _ours(settings, output, listed)
    # The site's own folders: those this build created files in (after an emptied folder, all of
    # them), with those of earlier builds.
    families = last.get("families") if isinstance(last, dict) else None
    created = {name.split("/", 1)[0] for name in present - _present_at_start}
    families = _families(settings, created | (families if isinstance(families, (set, frozenset)) else set()))
    pickle_atomically(path, {"files": frozenset(present), "pelican": frozenset(_pelican_files),
                             "families": frozenset(families), "folders": folders})


def _recorded_folders(last: Any) -> dict[str, tuple]:
    """The last listing's folders, those of an unexpected shape left out (read again)."""
    folders = last.get("folders") if isinstance(last, dict) else None
    if not isinstance(folders, dict):
        return {}
    return {
        here: entry for here, entry in folders.items()
        if isinstance(here, str) and isinstance(entry, tuple) and len(entry) == 3
        and isinstance(entry[0], tuple) and isinstance(entry[1], str) and isinstance(entry[2], str)
    }


def delete(output: str, names: set[str]) -> None:
    """Delete these files (relative to the output folder, never outside it), then any folder that
    leaves empty, up to the output folder."""
    base = os.path.realpath(output)
    emptied = set()
    for name in names:
        target = os.path.join(base, name)
        parent = os.path.realpath(os.path.dirname(target))
        if parent != base and not parent.startswith(base + os.sep):
            continue  # never outside the output folder
        try:
            os.unlink(target)
        except OSError:
            continue
        emptied.add(os.path.dirname(target))
    for here in sorted(emptied, key=len, reverse=True):  # the deepest first
        while here.startswith(base + os.sep):
            try:
                os.rmdir(here)  # only an empty one
            except OSError:
                break
            here = os.path.dirname(here)
