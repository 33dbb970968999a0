"""Match imported records with the listings already in the content folder, merge and write them.

Each imported listing keeps a `source:` block: where it came from, the record's id there, when
it was imported, a hash of the source record and a short hash of each field's value as imported.
So a re-import can tell, field by field, who changed what:

- the source changed a field nobody touched here  -> take the source's value;
- someone edited a field here, the source didn't change it -> keep the edit;
- both changed it -> a conflict: listed, and decided by --prefer (source or local). Without
  --prefer the edit is kept and the conflict is listed again on every import until decided.

Records match listings by (kind, source, id), so a listing keeps its file name (slug) for ever;
a new one gets a free slug from its name. The source is compared in one written form (same_source),
so the same feed typed another way finds its listings. Listings whose record has gone from the
source are reported, never deleted. A listing file that can't be read but came from this source
holds its record back until it is fixed (importing it again would make a second listing). Every
file is checked exactly as `recovery-directory validate` checks it before it is written, and
written whole (temporary file, then rename).

`last_verified` is the source's date when it gives one (the later date wins). When it gives none,
a new listing is dated the day it is first imported, and later imports keep the listing's date:
importing again is not checking again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..clock import today
from ..listing.checks import check_slug
from ..listing.listing_yaml import listing_yaml
from ..listing.loader import ListingLoadError, load_listing
from ..listing.schema import load_schema
from ..listing.text import slugify
from ..listing.validate import LISTING_SUFFIXES, check_bytes
from . import Parsed, Problem, Record, source_modules
from .fetch import SourceError, is_url, normal_url

SLUG_MAX = 80
COMMENT = "Imported by `recovery-directory import` ({kind}). Edit freely: the next import keeps your edits."
# A listing's `source:` block and its first-level `kind:`, `url:` and `id:` lines, read from the text
# of a file that can't be loaded (sync: it must not be imported a second time)
SOURCE_BLOCK = re.compile(r"^source:[ \t]*\n((?:[ \t]+\S.*(?:\n|$)|[ \t]*\n)+)", re.MULTILINE)
SOURCE_LINE = re.compile(r"(?P<indent>[ \t]+)(?P<key>kind|url|id):[ \t]*(?P<value>.*?)[ \t]*$")


class SourceMoved(SourceError):
    """This source's records were imported before from another address: importing would add each again."""


def same_source(kind: str, source: str) -> str:
    """The one form of a source address that every way of typing it shares (fetch.normal_url, and
    the format's own rule: an Open Referral API's base address and its /services are one source).
    A file is recorded relative to the project already (fetch.resolve)."""
    if not is_url(source):
        return source
    module = source_modules().get(kind)
    return module.normal_source(source) if hasattr(module, "normal_source") else normal_url(source)


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def record_hash(raw: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical(raw)).hexdigest()


def fingerprint(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()[:12]


@dataclass
class Existing:
    path: Path
    data: dict[str, Any]

    @property
    def slug(self) -> str:
        return self.path.stem


@dataclass
class Conflict:
    path: Path
    field: str
    local: Any
    source: Any
    resolved: str  # "kept your edit" / "took the source's value"


@dataclass
class Report:
    added: list[Path] = field(default_factory=list)
    updated: list[tuple[Path, list[str]]] = field(default_factory=list)  # path, fields changed
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    vanished: list[tuple[Path, str]] = field(default_factory=list)  # path, record id
    problems: list[Problem] = field(default_factory=list)
    changes: list[Problem] = field(default_factory=list)  # values imported, changed to fit (Parsed.changes)


@dataclass
class Unreadable:
    """A listing file that can't be loaded, with the source block its text shows (may be empty)."""

    path: Path
    error: ListingLoadError
    source: dict[str, str]


Imported = list[tuple[tuple[str, str, str], Existing]]  # (kind, source, id) and the listing, by file name


def existing_listings(folder: Path) -> tuple[Imported, set[str], list[Unreadable]]:
    """Listings that came from an import, each with its (kind, source, id), in file name order (two
    files may hold one record: a copy made by hand); every slug in use; and the files that can't be
    loaded, with the source block their text shows."""
    imported: Imported = []
    slugs: set[str] = set()
    unreadable: list[Unreadable] = []
    if not folder.is_dir():
        return imported, slugs, unreadable
    for path in sorted(folder.iterdir()):
        if path.suffix not in LISTING_SUFFIXES:
            continue
        slugs.add(path.stem)
        try:
            listing = load_listing(path)
        except ListingLoadError as error:
            unreadable.append(Unreadable(path, error, _source_in_text(path)))
            continue
        source = listing.data.get("source")
        if isinstance(source, dict) and all(isinstance(source.get(k), str) for k in ("kind", "id")):
            key = (source["kind"], str(source.get("url", "")), source["id"])
            imported.append((key, Existing(path, listing.data)))
    return imported, slugs, unreadable


def _source_in_text(path: Path) -> dict[str, str]:
    """kind, url and id from the `source:` block of a file YAML can't read (one hand edit broke it)."""
    try:
        found = SOURCE_BLOCK.search(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return {}
    fields: dict[str, str] = {}
    indent = None
    for line in found[1].splitlines() if found else []:
        if not line.strip():
            continue
        indent = indent or re.match(r"[ \t]*", line)[0]
        if (item := SOURCE_LINE.fullmatch(line)) and item["indent"] == indent:
            value = item["value"]
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields.setdefault(item["key"], value)
    return fields


def ordered(listing: dict[str, Any], where: str = "") -> dict[str, Any]:
    """Fields in the schema's order (as a person would write them), locations and hours too."""
    schema = load_schema()
    order = list((schema["$defs"][where] if where else schema)["properties"])
    result = dict(sorted(listing.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))
    for key, inner in (("locations", "location"), ("hours", "hours"), ("online_hours", "hours")):
        if isinstance(result.get(key), list):
            result[key] = [ordered(item, inner) if isinstance(item, dict) else item for item in result[key]]
    return result


def new_slug(name: str, taken: set[str], hint: str = "") -> str:
    base = (hint if hint and not check_slug(hint) else slugify(name))[:SLUG_MAX].strip("-") or "listing"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def merge(
    existing: dict[str, Any],
    new: dict[str, Any],
    prefer: str | None,
) -> tuple[dict[str, Any], dict[str, str], list[tuple[str, Any, Any, str]], list[str]]:
    """(merged listing, field hashes to record, conflicts, fields changed), as the module doc says."""
    recorded: dict[str, str] = dict((existing.get("source") or {}).get("fields") or {})
    result = {k: v for k, v in existing.items() if k != "source"}
    hashes = dict(recorded)
    conflicts, changed = [], []
    for name in dict.fromkeys([*new, *recorded]):
        source_hash = fingerprint(new[name]) if name in new else None
        if source_hash == recorded.get(name):
            continue  # the source didn't change it: whatever is here stays
        if name == "last_verified" and name not in new:
            continue  # the source gives no date: the listing's own stays (importing again is not checking)
        local_hash = fingerprint(result[name]) if name in result else None
        take = True
        if name == "last_verified" and name in result and name in new:
            take = new[name] > result[name]  # the later confirmation wins, never a conflict
        elif local_hash not in (recorded.get(name), source_hash):
            take = prefer == "source"
            how = "took the source's value" if take else "kept your edit"
            conflicts.append((name, result.get(name), new.get(name), how))
            if not take and prefer is None:
                continue  # undecided: asked again next time
        if take and local_hash != source_hash:
            changed.append(name)
            if name in new:
                result[name] = new[name]
            else:
                result.pop(name, None)
        if source_hash is None:
            hashes.pop(name, None)
        else:
            hashes[name] = source_hash
    return result, hashes, conflicts, changed


def sync(
    parsed: Parsed,
    kind: str,
    folder: Path,
    *,
    prefer: str | None = None,
    dry_run: bool = False,
    progress: bool = True,
    source_was: str | None = None,
) -> Report:
    """`source_was`: the address these listings were imported from before, when the source has
    moved: its listings are matched as this source's, and record the new address once updated.
    Raises SourceMoved, writing nothing, when nothing was imported from this source before but its
    records were, from another address (importing would give each a second listing)."""
    report = Report(problems=list(parsed.problems), changes=list(parsed.changes))
    source = same_source(kind, parsed.source)
    addresses = {source} | ({same_source(kind, source_was)} if source_was else set())
    imported, taken, unreadable = existing_listings(folder)
    ours: dict[str, Existing] = {}
    for (k, url, record_id), existing in imported:
        if k != kind or same_source(kind, url) not in addresses:
            continue
        if record_id in ours:  # the same record under two ways of writing the source, or two addresses
            report.problems.append(Problem(
                parsed.source, existing.path.name, "",
                f"came from the same record as {ours[record_id].path.name} (id {record_id!r}), so only that one is "
                "updated. Keep one of the two listings (move any edits into it) and delete the other.",
                record_id,
            ))
            continue
        ours[record_id] = existing
    if source_was and not any(
        k == kind and same_source(kind, url) == same_source(kind, source_was) for (k, url, _), _ in imported
    ):
        raise SourceMoved(
            f"--source-was {source_was}: no listing in {folder} was imported from that address, so none could be "
            "moved (importing now would add every record again). Copy the address from the `url:` under `source:` "
            "in one of the listings, and run the import again."
        )
    if not ours:
        _stop_if_moved(imported, kind, parsed)
    broken = {
        item.source.get("id", ""): item
        for item in unreadable
        if item.source.get("kind") == kind and same_source(kind, item.source.get("url", "")) in addresses
    }
    if "" in broken:
        item = broken.pop("")
        report.problems.append(
            Problem(
                parsed.source,
                item.path.name,
                "",
                f"can't be read ({item.error.message}, line {item.error.line}) and came from this source, but "
                "which record it holds can't be told, so that record may have been added again as a new listing. "
                "Fix this file first (recovery-directory validate shows where), delete any second listing, and "
                "import again.",
            )
        )
    seen: set[str] = set()
    records = sorted(parsed.records, key=lambda record: record.id)
    for record in tqdm(records, desc="Importing", unit=" listings", disable=None if progress else True):
        seen.add(record.id)
        if item := broken.get(record.id):
            report.problems.append(
                Problem(
                    parsed.source,
                    record.label,
                    "",
                    f"its listing {item.path} can't be read ({item.error.message}, line {item.error.line}), so "
                    "this record was not imported or updated. Fix that file first (recovery-directory validate "
                    "shows where), then import again.",
                    record.id,
                )
            )
            continue
        _sync_record(record, kind, source, ours.get(record.id), taken, folder, prefer, dry_run, report)
    seen.update(_problem_ids(parsed))
    report.vanished = [(existing.path, record_id) for record_id, existing in ours.items() if record_id not in seen]
    return report


def _stop_if_moved(imported: Imported, kind: str, parsed: Parsed) -> None:
    """Nothing came from this source before: if at least half its records did, from one other
    address (the same id and the same name as imported then), it is that source typed another way or
    moved: say so rather than add each one a second time."""
    names = {record.id: fingerprint(record.listing.get("name")) for record in parsed.records}
    elsewhere: dict[str, list[Path]] = {}
    for (k, url, record_id), existing in imported:
        recorded = ((existing.data.get("source") or {}).get("fields") or {}).get("name")
        if k == kind and record_id in names and recorded == names[record_id]:
            elsewhere.setdefault(url, []).append(existing.path)
    if not elsewhere:
        return
    old, paths = max(elsewhere.items(), key=lambda item: len(item[1]))
    count = len(paths)
    if 2 * count < len(names):
        return  # a few shared records: another source that lists some of the same services
    raise SourceMoved(
        f"{parsed.source}: nothing has been imported from this address before, but {count} of its records "
        f"{'was' if count == 1 else 'were'} imported from {old} (for example {paths[0]}). If it is the same source "
        f"at a new address, run the import again with --source-was {old} to move those listings to it (your "
        "edits are kept). If it is a different source listing the same services, import only one of the two: "
        "each service would otherwise get a second listing."
    )


def _problem_ids(parsed: Parsed) -> Iterable[str]:
    return (problem.record_id for problem in parsed.problems if problem.record_id)


def _sync_record(
    record: Record,
    kind: str,
    url: str,
    existing: Existing | None,
    taken: set[str],
    folder: Path,
    prefer: str | None,
    dry_run: bool,
    report: Report,
) -> None:
    new_hash = record_hash(record.raw)
    if existing is None:
        slug = new_slug(record.listing["name"], taken, record.slug)
        path = folder / f"{slug}.yaml"
        hashes = {name: fingerprint(value) for name, value in record.listing.items()}
        listing, conflicts, changed = dict(record.listing), [], ["(new)"]
        # a source that gives no date: the listing was checked against it today, when first imported
        listing.setdefault("last_verified", today().isoformat())
        imported = today().isoformat()
    else:
        path = existing.path
        listing, hashes, conflicts, changed = merge(existing.data, record.listing, prefer)
        old_source = existing.data.get("source") or {}
        same = not changed and old_source.get("hash") == new_hash
        imported = old_source.get("imported") if same else today().isoformat()
        if same_source(kind, str(old_source.get("url", ""))) == url:
            url = str(old_source["url"])  # the same source written another way: the file stays as it is
    source = {"kind": kind, "url": url, "id": record.id, "imported": imported, "hash": new_hash, "fields": hashes}
    text = listing_yaml(ordered({**listing, "source": source}), COMMENT.format(kind=kind))
    for name, local, theirs, how in conflicts:
        report.conflicts.append(Conflict(path, name, local, theirs, how))
    if existing is not None and _same(existing.data, {**listing, "source": source}):
        report.unchanged += 1  # same values: the file stays as it is, its layout and comments too
        return
    result = check_bytes(path, text.encode("utf-8"))
    if not result.ok:
        report.problems += [
            Problem(url, record.label, problem.field, f"{problem.message} (not written: {path.name})", record.id)
            for problem in result.problems
        ]
        if existing is None:
            taken.discard(path.stem)
        return
    if existing is None:
        report.added.append(path)
    else:
        report.updated.append((path, changed or ["source"]))
    if not dry_run:
        write_atomically(path, text)


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return canonical(old) == canonical(new)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader sees the old file or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
