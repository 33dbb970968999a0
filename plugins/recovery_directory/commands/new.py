"""`recovery-directory new <slug>`: write a commented starter listing."""

from __future__ import annotations

import argparse
import sys

from ..clock import today
from ..listing.checks import check_slug
from ..listing.schema import labels
from ..listing.validate import organisations_dir
from ..settings import load_settings

HELP = "Start a new listing file with every field explained."

TEMPLATE = """\
# yaml-language-server: $schema=../../schema/organisation.schema.json
# New listing. Replace every CHANGE ME, delete the optional fields you don't need, then run
#   recovery-directory validate {path}
# Text with a colon (:) or starting with a symbol needs "quotes".

name: "CHANGE ME: the organisation's name"
# Choose every type that fits: {types}
types: [lero]
summary: "CHANGE ME: one plain sentence on what you offer (up to 160 characters)."
# Optional longer description in Markdown (paragraphs, lists, links):
description: |
  CHANGE ME: who you are, what happens when someone gets in touch, what to expect.
lived_experience_led: true
website: https://example.org/CHANGE-ME
email: CHANGE-ME@example.org
phones:
  - number: "0113 496 0000"          # CHANGE ME: in quotes, with the area code
    description: Mon–Fri 9am–5pm
# Who it is especially for (leave out if everyone): {audiences}
audiences: [adults]
# What people come for help with: {substances}
substances: [alcohol, drugs]
cost: free                           # {costs}
attendance: [in_person]              # {attendance}
open_24_7: false
referral:
  self: true                         # people can refer themselves
  professional: true                 # GPs and other professionals can refer
  how: "CHANGE ME: how to refer, e.g. Phone or walk in. GPs can email referrals@example.org."
# Local authority areas you serve, or [national]
areas_served: [CHANGE ME]
locations:                           # leave out for online or phone-only services
  - name: CHANGE ME (building name)
    address: CHANGE ME (number and street)
    town: CHANGE ME
    postcode: CHANGE ME              # e.g. HX1 1AA
    accessibility: [step_free]       # {accessibility}
    hours:                           # 24-hour times in quotes; days: mon tue wed thu fri sat sun
      - {{days: [mon, tue, wed, thu, fri], opens: "09:00", closes: "17:00"}}
last_verified: {today}               # the date you checked these details (YYYY-MM-DD)
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
        print(f"{path} already exists: edit it instead (nothing was written).", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(render(path.as_posix()))
    print(f"Wrote {path}. Replace every CHANGE ME, then run: recovery-directory validate {path}")
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
        today=today().isoformat(),
    )
