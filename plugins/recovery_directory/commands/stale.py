"""`recovery-directory stale [--months N] [--format text|markdown|json]`: listings overdue for
review, past `last_verified` + `review_every_months`, oldest first.

Used by `recovery-directory stale` and the scheduled workflow that keeps one GitHub issue
listing them, with each listing's maintainers mentioned so the people who own it hear about it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..clock import today
from ..confirmation import confirm_url
from ..directory import load_directory
from ..listing.model import Organisation, add_months
from ..listing.text import long_date
from ..listing.validate import listing_files
from ..settings import load_settings


@dataclass(frozen=True)
class StaleListing:
    organisation: Organisation
    review_due: dt.date
    days_overdue: int
    edit_url: str
    confirm_url: str = ""


def stale_listings(
    organisations: list[Organisation], today: dt.date, settings: dict[str, Any], months: int | None = None
) -> list[StaleListing]:
    """Listings still shown on the site whose review date has passed, least recently verified first.

    `months` replaces every listing's own `review_every_months` (e.g. 6: not checked in 6 months).
    Closed listings are left out: nobody needs to re-check a service that has ended.
    """
    found = []
    for org in organisations:
        if not org.is_listed:
            continue
        due = add_months(org.last_verified, months) if months else org.review_due
        if today > due:
            found.append(
                StaleListing(
                    org, due, (today - due).days, edit_url(settings, org.source_path),
                    confirm_url(settings, org.slug, org.name),
                )
            )
    return sorted(found, key=lambda item: (item.organisation.last_verified, item.organisation.slug))


def edit_url(settings: dict[str, Any], source_path: str) -> str:
    return f"{settings['REPOSITORY_URL'].rstrip('/')}/edit/{settings['REPOSITORY_BRANCH']}/{source_path}"


def as_text(stale: list[StaleListing], today: dt.date) -> str:
    if not stale:
        return f"No listings are overdue for review (today is {today.isoformat()}).\n"
    noun = "listing is" if len(stale) == 1 else "listings are"
    lines = [f"{len(stale)} {noun} overdue for review (today is {today.isoformat()}), oldest first:", ""]
    for item in stale:
        org = item.organisation
        lines += [
            org.source_path,
            f"  {org.name}",
            f"  last verified {org.last_verified.isoformat()}; review was due {item.review_due.isoformat()} "
            f"({_days(item.days_overdue)} ago)",
            f"  maintainers: {_mentions(org.maintainers) or 'none listed'}",
            "",
        ]
    return "\n".join(lines)


def as_markdown(stale: list[StaleListing], today: dt.date) -> str:
    """A GitHub issue body. Maintainers are @-mentioned; contributor text is escaped."""
    if not stale:
        return f"No listings are overdue for review as of {long_date(today)}. Thank you, everyone.\n"
    one = len(stale) == 1
    noun = "listing has not been checked within its" if one else "listings have not been checked within their"
    lines = [
        f"{len(stale)} {noun} review period (as of {long_date(today)}), least recently verified first.",
        "",
        "If one of these is yours, check every detail against what you offer today. **Still accurate?** "
        "Select *Confirm* on its row: one click opens an issue, and a pull request setting `last_verified` "
        "to today follows. **Something changed?** Open the listing with its link and update it "
        "(set `status: closed` if the service has ended). CONTRIBUTING.md explains each step.",
        "",
        "| Listing | Last verified | Review was due | Maintainers | Still accurate? |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in stale:
        org = item.organisation
        lines.append(
            f"| [{escape_markdown(org.name)}]({item.edit_url}) | {long_date(org.last_verified)} "
            f"| {long_date(item.review_due)} | {_mentions(org.maintainers) or 'none listed'} "
            f"| [Confirm]({item.confirm_url}) |"
        )
    lines += ["", "_This issue is updated by the scheduled stale-listings workflow._", ""]
    return "\n".join(lines)


def as_json(stale: list[StaleListing], today: dt.date, months: int | None) -> str:
    listings = [
        {
            "slug": item.organisation.slug,
            "name": item.organisation.name,
            "path": item.organisation.source_path,
            "status": item.organisation.status,
            "last_verified": item.organisation.last_verified.isoformat(),
            "review_due": item.review_due.isoformat(),
            "days_overdue": item.days_overdue,
            "maintainers": list(item.organisation.maintainers),
            "edit_url": item.edit_url,
        }
        for item in stale
    ]
    report = {"today": today.isoformat(), "months": months, "count": len(listings), "listings": listings}
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def escape_markdown(text: str) -> str:
    """Contributor text made inert in GitHub Markdown: no links, formatting or @-mentions."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return text.replace("@", "@\u200b")  # a zero-width space stops GitHub linking a mention


def _mentions(maintainers: tuple[str, ...]) -> str:
    return ", ".join(f"@{name}" for name in maintainers)


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


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
    loaded = load_directory(listing_files(settings), Path(settings["PATH"]).parent)
    if not loaded.ok:  # a report would silently leave the broken listings out
        for problem in loaded.problems:
            print(problem, file=sys.stderr)
        print(
            "\nSome listings have problems, so the report would leave them out. "
            "Fix them (run `recovery-directory validate`) and run this again.",
            file=sys.stderr,
        )
        return 2
    date = today()
    stale = stale_listings(loaded.directory.organisations, date, settings, args.months)
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
