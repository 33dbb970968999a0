"""`recovery-directory confirm [--event FILE]`: act on a "Confirm <listing> is up to date" issue.

"Still accurate?" in one click: listing pages and the weekly stale-listings issue link to a
pre-filled issue (confirmation.py). The confirm-listing workflow runs this command on the issue
event (default: $GITHUB_EVENT_PATH); everything is decided here, tested with event fixtures
(tests/events/): when the issue's author may confirm the listing, its `last_verified` becomes
today. It prints what the workflow should do as JSON: {"changed", "path", "branch", "title",
"body", "reply"}. Anything wrong in the issue gets a polite `reply`, never a crash; exit 2 only
when the event file itself can't be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..clock import today
from ..confirmation import LISTING_HEADING
from ..listing.checks import SLUG
from ..listing.validate import check_bytes, organisations_dir
from ..settings import load_settings
from .stale import escape_markdown

HELP = "Confirm a listing is still accurate from a GitHub issue event (the confirm-listing workflow)."

# author_association values of people who belong to the project itself (GitHub's own list).
PROJECT_ROLES = {"OWNER", "MEMBER", "COLLABORATOR"}
LAST_VERIFIED_LINE = re.compile(r"^last_verified:[ \t]*[^\s#]*", re.MULTILINE)  # the value, not its comment
SLUG_IN_TEXT = re.compile(r"(?:organisations/|^)([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.ya?ml)?/?$")


@dataclass(frozen=True)
class Outcome:
    """What the workflow should do: always reply; open a pull request when `changed`."""

    reply: str
    changed: bool = False
    path: str = ""  # the listing file, repository-relative, when changed
    branch: str = ""
    title: str = ""
    body: str = ""  # the pull request's description

    def as_dict(self) -> dict[str, Any]:
        return {
            "changed": self.changed, "path": self.path, "branch": self.branch, "title": self.title,
            "body": self.body, "reply": self.reply,
        }


def listing_slug(body: Any) -> str | None:
    """The slug from the issue form's "Listing" answer (a slug, a file name or the listing's address)."""
    if not isinstance(body, str):
        return None
    lines = body.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if line.strip().lstrip("#").strip().lower() == LISTING_HEADING.lower():
            answer = next((text.strip() for text in lines[index + 1 :] if text.strip()), "")
            if answer.startswith("#"):
                return None  # the field was left empty: the next heading follows
            found = SLUG_IN_TEXT.search(answer.strip("`<> ").split("?")[0].split("#")[0])
            return found.group(1) if found else None
    return None


def decide(event: Any, project_root: Path, listings_folder: Path, today: dt.date) -> Outcome:
    """The answer to one `issues` event. Never raises for anything in the event itself."""
    issue = event.get("issue") if isinstance(event, dict) else None
    if not isinstance(issue, dict):
        return Outcome(reply="This doesn't look like an issue, so there is nothing to confirm.")
    author = _login(issue.get("user"))
    slug = listing_slug(issue.get("body"))
    if slug is None or not SLUG.fullmatch(slug):
        return Outcome(
            reply=(
                "Thank you. We couldn't tell which listing this is about: the **Listing** box should hold "
                "the listing's web address name, like `calder-valley-recovery-cafe` (the last part of its "
                "address on the directory). Please open a new confirmation from the **Confirm these details "
                "are still accurate** link on the listing's page."
            )
        )
    path = listings_folder / f"{slug}.yaml"
    if not path.is_file():
        return Outcome(
            reply=(
                f"Thank you. There is no listing called `{slug}`. Please use the **Confirm these details are "
                "still accurate** link on the listing's own page, which fills this in for you."
            )
        )
    relative = path.resolve().relative_to(project_root.resolve()).as_posix()
    raw = path.read_bytes()
    result = check_bytes(path, raw)
    if not result.ok:
        return Outcome(
            reply=(
                f"Thank you. `{relative}` has problems that need fixing before it can be confirmed, so a "
                "maintainer will look at it. Its problems are listed by `recovery-directory validate`."
            )
        )
    maintainers = {name.lower() for name in result.data.get("maintainers", ())}
    role = str(issue.get("author_association", "")).upper()
    name = escape_markdown(result.data["name"])
    if not author or (author.lower() not in maintainers and role not in PROJECT_ROLES):
        listed = ", ".join(f"`{m}`" for m in result.data.get("maintainers", ())) or "nobody yet"
        return Outcome(
            reply=(
                f"Thank you for checking {name}. Only the listing's maintainers can confirm it in one click, "
                f"and {'@' + author if author else 'this account'} isn't one of them (the listing names "
                f"{listed}). If you work there, ask a maintainer to confirm it, or update the listing with "
                "the editor (its **Edit this listing** link) and add your GitHub username under "
                "**Maintainers**. A project maintainer will also see this issue."
            )
        )
    if result.data["last_verified"] == today.isoformat():
        return Outcome(reply=f"Thank you, @{author}: {name} was already confirmed today. Nothing to change.")
    text = raw.decode("utf-8-sig")
    updated, count = LAST_VERIFIED_LINE.subn(f"last_verified: {today.isoformat()}", text, count=1)
    if count != 1:
        return Outcome(
            reply="Thank you. The listing's `last_verified` line couldn't be found, so a maintainer will update it."
        )
    path.write_text(updated, encoding="utf-8", newline="")
    return Outcome(
        reply=(
            f"Thank you, @{author}. A pull request sets {name}'s *last verified* date to "
            f"{today.isoformat()}; it goes live once a maintainer merges it. This issue will close then."
        ),
        changed=True,
        path=relative,
        branch=f"confirm/{slug}-{today.isoformat()}",
        title=f"Confirm {result.data['name']} is up to date",
        body=_pull_request_body(author, issue.get("number"), today),
    )


def _pull_request_body(author: str, number: Any, today: dt.date) -> str:
    text = f"@{author}, a maintainer of this listing, confirmed its details are still accurate on {today.isoformat()}."
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        text += f"\n\nCloses #{number}."
    return text + "\n\nOnly `last_verified` changes."


def _login(user: Any) -> str:
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) and re.fullmatch(r"[A-Za-z0-9-]{1,39}(\[bot\])?", login) else ""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--event", type=Path, default=os.environ.get("GITHUB_EVENT_PATH"),
        help="the event JSON file (default: $GITHUB_EVENT_PATH, as GitHub Actions sets it)",
    )


def run(args: argparse.Namespace) -> int:
    if args.event is None:
        print("No event file: pass --event FILE (GitHub Actions sets $GITHUB_EVENT_PATH).", file=sys.stderr)
        return 2
    try:
        event = json.loads(Path(args.event).read_text(encoding="utf-8"))
    except OSError as error:
        print(f"{args.event}: could not be read ({error.strerror or error}).", file=sys.stderr)
        return 2
    except ValueError:
        event = None  # decide() answers politely
    settings = load_settings(args.settings)
    outcome = decide(event, Path(settings["PATH"]).parent, organisations_dir(settings), today())
    print(json.dumps(outcome.as_dict(), ensure_ascii=False))
    return 0
