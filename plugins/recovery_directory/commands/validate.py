"""`recovery-directory validate [PATH ...]`: check listings, every problem with file:line:col."""

from __future__ import annotations

import argparse
import sys

from ..listing.problems import all_valid_sentence, count_sentence
from ..listing.validate import check_files, listing_files
from ..settings import load_settings

HELP = "Check listing files and explain every problem (default: all listings)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="listing files or folders")
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: also print GitHub Actions annotations so problems show on the pull request",
    )


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    files = listing_files(settings, args.paths)
    missing = [path for path in files if not path.exists()]
    for path in missing:
        print(f"{path}: no such file.", file=sys.stderr)
    results = check_files(path for path in files if path.exists())
    failed = [result for result in results if not result.ok]
    for result in failed:
        for problem in result.problems:
            print(problem)
            if args.format == "github":
                print(problem.github_annotation())
    if failed:
        print(f"\n{count_sentence(len(failed), len(results))}. Fix the lines above and run this again.")
    else:
        print(all_valid_sentence(len(results)))
    return 1 if failed or missing or not results else 0
