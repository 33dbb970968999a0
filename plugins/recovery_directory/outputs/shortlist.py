"""The shortlist: /my-list/ (kept in the visitor's browser, printed as a referral handout) and
one small organisations/<slug>/handout.json per listing that it fetches for the chosen few.

Closed listings keep a handout file too, so a list shared before a service closed still says
what became of it (with no referral route) instead of failing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..directory import Directory
from ..exports.handout import HANDOUT_FILE, handout_path, handout_record

ORDER = 55
PAGE = "my-list/index.html"


def write(generator: Any, writer: Any) -> None:
    directory: Directory = generator.directory
    output = Path(generator.output_path)
    for org in directory.organisations:
        target = output / handout_path(org)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(handout_record(org, generator.settings), ensure_ascii=False, separators=(",", ":")),
            encoding="utf-8",
        )
    writer.write_file(
        PAGE, generator.get_template("my-list"), generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"], url="my-list/", handout_file=HANDOUT_FILE,
    )
