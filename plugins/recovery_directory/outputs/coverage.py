"""Write /coverage/ (theme/templates/coverage.html) and the same table as /data/coverage.csv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..coverage import CSV_PATH, coverage, coverage_csv

ORDER = 60


def write(generator: Any, writer: Any) -> None:
    report = coverage(generator.directory)
    writer.write_file(
        "coverage/index.html", generator.get_template("coverage"), generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"], url="coverage/", coverage=report, coverage_csv=CSV_PATH,
    )
    target = Path(generator.output_path) / CSV_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(coverage_csv(report))
