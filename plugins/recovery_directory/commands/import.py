"""`recovery-directory import KIND SOURCE`: bring listings in from a Meeting Guide feed, Open
Referral UK data or the CSV template, or bring earlier imports up to date."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..importers import source_modules
from ..importers.fetch import SourceError, resolve
from ..importers.sync import Report, sync
from ..listing.validate import organisations_dir
from ..settings import load_settings

HELP = "Import listings from a Meeting Guide feed, Open Referral UK data or a CSV file; run again to update them."


def configure(parser: argparse.ArgumentParser) -> None:
    kinds = source_modules()
    parser.add_argument(
        "kind", choices=sorted(kinds), help="; ".join(f"{k}: {m.HELP}" for k, m in sorted(kinds.items()))
    )
    parser.add_argument("source", metavar="SOURCE", help="a file, a web address, or a name from IMPORT_SOURCES")
    parser.add_argument(
        "--prefer",
        choices=("source", "local"),
        help="when a field was edited here and also changed at the source: which to keep "
        "(default: keep the edit and list the conflict again next time)",
    )
    parser.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    parser.add_argument(
        "--types", default="", help="openreferral and csv: type codes for records that don't give any, e.g. treatment"
    )
    parser.add_argument("--into", type=Path, help="folder to write listings to (default: the content folder's)")
    parser.add_argument(
        "--source-was",
        metavar="OLD",
        help="the address these listings were imported from before, when the source has moved: "
        "they are matched and updated, not added again",
    )


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    module = source_modules()[args.kind]
    location, recorded = resolve(args.source, settings)
    default_types = [code for code in args.types.replace(",", " ").split() if code]
    try:
        parsed = module.read(location, settings, default_types)
    except SourceError as error:
        print(f"{error}\nNothing was imported.", file=sys.stderr)
        return 2
    parsed.source = recorded  # listings record the source as the project names it
    folder = args.into or organisations_dir(settings)
    was = resolve(args.source_was, settings)[1] if args.source_was else None
    try:
        report = sync(parsed, args.kind, folder, prefer=args.prefer, dry_run=args.dry_run, source_was=was)
    except SourceError as error:
        print(f"{error}\nNothing was imported.", file=sys.stderr)
        return 2
    print_report(report, parsed.source, parsed.read, args.dry_run)
    return 1 if report.problems else 0


def print_report(report: Report, source: str, read: int, dry_run: bool) -> None:
    would = "would be " if dry_run else ""
    print(f"Read {read} records from {source}.")
    print(f"  {len(report.added)} {would}added, {len(report.updated)} {would}updated, {report.unchanged} unchanged.")
    for path in report.added:
        print(f"  + {path}")
    for path, fields in report.updated:
        print(f"  ~ {path} ({', '.join(fields)})")
    if report.conflicts:
        count = len(report.conflicts)
        print(f"\n{count} {'field was' if count == 1 else 'fields were'} edited here and also changed at the source:")
        for conflict in report.conflicts:
            print(f"  {conflict.path}: {conflict.field}: {conflict.resolved}.")
            print(f"      here:   {_short(conflict.local)}\n      source: {_short(conflict.source)}")
        if any(c.resolved == "kept your edit" for c in report.conflicts):
            print(
                "  Run again with --prefer source to take the source's values, or --prefer local to keep yours "
                "and stop being asked."
            )
    if report.vanished:
        count = len(report.vanished)
        print(f"\n{count} {'listing is' if count == 1 else 'listings are'} no longer in the source "
              "(nothing was deleted):")
        for path, record_id in report.vanished:
            print(f"  {path} (id {record_id!r} at the source)")
        print("  Check each one: set `status: closed` if it has stopped, or delete the file.")
    count = len(report.changes)
    _list_on_stderr(
        report.changes,
        f"{count} {'value was' if count == 1 else 'values were'} imported but not exactly as the source gives them "
        "(check each one):",
    )
    count = len(report.problems)
    _list_on_stderr(
        report.problems,
        f"{count} {'problem' if count == 1 else 'problems'}: these records (or parts of them) were not imported.",
    )
    if dry_run:
        print("\nDry run: nothing was written.")


def _short(value: Any) -> str:
    text = "(not set)" if value is None else str(value)
    return text if len(text) <= 100 else text[:99] + "…"


def _list_on_stderr(items: list, heading: str) -> None:
    """A heading and one indented line an item, on stderr (nothing when there are none)."""
    if items:
        print(f"\n{heading}", file=sys.stderr)
        for item in items:
            print(f"  {item}", file=sys.stderr)
