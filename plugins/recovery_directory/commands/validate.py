"""`recovery-directory validate [PATH ...]`: check listings, every problem with file:line:col."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..listing.folder import same_name_problems, stray_problem
from ..listing.problems import Problem, all_valid_sentence, count_sentence
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
    strays: list[Path] = []
    files = listing_files(settings, args.paths, strays)
    missing = [path for path in files if not path.exists()]
    results = check_files(path for path in files if path.exists())
    # The build's own checks of the folder as a whole, so this (the pull-request check) never
    # passes what the build then stops on.
    problems: dict[str, list[Problem]] = {}
    for problem in [
        *(problem for result in results for problem in result.problems),
        *same_name_problems((result.path for result in results), on_disk=True),
        *map(stray_problem, strays),
        *(Problem(str(path), 1, 1, "", "There is no such file. Check the name and the folder.") for path in missing),
    ]:
        problems.setdefault(problem.path, []).append(problem)
    for path in sorted(problems):
        for problem in sorted(problems[path]):
            print(problem)
            if args.format == "github":
                print(problem.github_annotation())
    total = len(results) + len(strays) + len(missing)
    if problems:
        print(f"\n{count_sentence(len(problems), total)}. Fix the lines above and run this again.")
    elif results:
        print(all_valid_sentence(total))
    else:
        print("No listing files were found to check.")
    return 1 if problems or not results else 0
