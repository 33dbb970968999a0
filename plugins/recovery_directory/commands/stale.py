"""`recovery-directory stale [--months N] [--format text|markdown|json]`: listings overdue for review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..clock import today
from ..listing.validate import listing_files
from ..settings import load_settings
from ..stale import InvalidListings, as_json, as_markdown, as_text, load_organisations, stale_listings

HELP = "List listings past their review date, least recently verified first, with their maintainers."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--months",
        type=_positive,
        metavar="N",
        help="count a listing as overdue N months after it was verified (default: its own review_every_months)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="markdown: a GitHub issue body with maintainers @-mentioned; json: for scripts",
    )


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    try:
        organisations = load_organisations(listing_files(settings), Path(settings["PATH"]).parent)
    except InvalidListings as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            "\nSome listings have problems, so the report would leave them out. "
            "Fix them (run `recovery-directory validate`) and run this again.",
            file=sys.stderr,
        )
        return 2
    date = today()
    stale = stale_listings(organisations, date, settings, args.months)
    if args.format == "json":
        sys.stdout.write(as_json(stale, date, args.months))
    elif args.format == "markdown":
        sys.stdout.write(as_markdown(stale, date))
    else:
        sys.stdout.write(as_text(stale, date))
    return 0


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of months (1 or more)")
    return number
