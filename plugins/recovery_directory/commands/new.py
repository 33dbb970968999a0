"""`recovery-directory new <slug>`: write a commented starter listing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..listing.checks import check_slug
from ..listing.problems import display_path
from ..listing.schema import labels
from ..listing.validate import organisations_dir
from ..settings import load_settings

HELP = "Start a new listing file with every field explained."

TEMPLATE = """\
# yaml-language-server: $schema=../../schema/organisation.schema.json
# A new listing. It claims nothing yet: replace every CHANGE ME with your organisation's real
# details, and delete each optional field (and its comment) that doesn't apply. Until every
# CHANGE ME is gone the checks fail, so nothing untrue can go live by accident. Check it with
#   recovery-directory validate {path}
# (Or fill in the listing editor on the site instead: no YAML to write.)
# Text with a colon (:) or starting with a symbol needs "quotes".

name: "CHANGE ME: the organisation's name"
# Choose every type that fits: {types}
types: [CHANGE ME]
summary: "CHANGE ME: one plain sentence on what you offer (up to 160 characters)."
# Optional longer description in Markdown (paragraphs, lists, links):
description: |
  CHANGE ME: who you are, what happens when someone gets in touch, what to expect.
lived_experience_led: CHANGE ME      # true if led by people with lived experience of recovery, else false
website: https://example.org/CHANGE-ME
email: CHANGE-ME@example.org
phones:
  - number: "CHANGE ME: the number in quotes, with its area code"
    description: "CHANGE ME: when it is answered, or delete this line"
# Who it is especially for (delete if it is for everyone): {audiences}
audiences: [CHANGE ME]
# What people come for help with: {substances}
substances: [CHANGE ME]
cost: CHANGE ME                      # {costs}
attendance: [CHANGE ME]              # {attendance}
open_24_7: CHANGE ME                 # true only if support is there round the clock, every day
referral:
  self: CHANGE ME                    # true if people can refer themselves, else false
  professional: CHANGE ME            # true if GPs and other professionals can refer, else false
  how: "CHANGE ME: how to refer, e.g. who to phone or email and what to send"
# Local authority areas you serve, or [national]
areas_served: [CHANGE ME]
locations:                           # delete for online or phone-only services
  - name: CHANGE ME (building name)
    address: CHANGE ME (number and street)
    town: CHANGE ME
    postcode: CHANGE ME              # e.g. HX1 1AA
    # Only what is true of this building; delete if none: {accessibility}
    accessibility: [CHANGE ME]
    hours:                           # 24-hour times in quotes; days: mon tue wed thu fri sat sun
      - {{days: [CHANGE ME], opens: "CHANGE ME", closes: "CHANGE ME"}}
last_verified: CHANGE ME             # the date you checked these details, YYYY-MM-DD
review_every_months: 12
maintainers: [CHANGE-ME-github-username]
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("slug", help="the file name, e.g. calder-valley-recovery-cafe")


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    slug = args.slug.removesuffix(".yaml")
    if problem := check_slug(slug):
        print(problem, file=sys.stderr)
        return 2
    path = organisations_dir(settings) / f"{slug}.yaml"
    if path.exists():
        print(f"{display_path(path)} already exists: edit it instead (nothing was written).", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named from the project folder, never the machine's own absolute path: the file gets shared.
    try:
        shown = path.relative_to(Path(settings["PATH"]).parent).as_posix()
    except ValueError:  # ORGANISATIONS_PATH outside the project
        shown = display_path(path)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(render(shown))
    print(f"Wrote {display_path(path)}. Replace every CHANGE ME, then run: recovery-directory validate {shown}")
    return 0


def render(path: str) -> str:
    def words(vocabulary: str) -> str:
        return ", ".join(labels(vocabulary))

    return TEMPLATE.format(
        path=path,
        types=words("types"),
        audiences=words("audiences"),
        substances=words("substances"),
        costs=" | ".join(labels("cost")),
        attendance=words("attendance"),
        accessibility=words("accessibility"),
    )
