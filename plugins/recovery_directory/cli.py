"""`recovery-directory`: the command line. Each module in `commands/` is one subcommand."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from . import commands
from .settings import SettingsNotFound


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or (`only`) of that one alone: each command module imports
    what it runs with, and `validate` of one file took ~0.85 s CPU when it also imported geopy,
    the importers and the rest for the others' help text."""
    parser = argparse.ArgumentParser(
        prog="recovery-directory",
        description="Check, geocode and maintain the Recovery Directory's listings.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))
    for name in [only] if only in names else names:
        module = importlib.import_module(f"{commands.__name__}.{name}")
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        sub.add_argument(
            "--settings",
            default="pelicanconf.py",
            help="Pelican settings file (default: %(default)s)",  # a command may set its own default
        )
        module.configure(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The command is the first argument that isn't an option (none of ours come before it); with
    # none, or an unknown one, every command is loaded for the usage message.
    command = next((argument for argument in argv if not argument.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    try:
        return args.run(args)
    except SettingsNotFound as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
