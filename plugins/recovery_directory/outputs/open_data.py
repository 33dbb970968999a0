"""Write the open-data exports under /data/ and the listing schema at /schema/.

The exports are pure functions (exports/); this module only turns them into files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ..exports.common import SCHEMA_PATH, export_context
from ..exports.hsds import hsds_document
from ..exports.meeting_guide import meeting_guide_feed
from ..exports.organisations_csv import organisations_csv
from ..exports.organisations_geojson import organisations_geojson
from ..exports.organisations_json import organisations_document
from ..schema import SCHEMA_PATH as SOURCE_SCHEMA

ORDER = 60

# Where each export is published, relative to the site root (the Open data page links these).
FILES = {
    "organisations_json": "data/organisations.json",
    "organisations_csv": "data/organisations.csv",
    "organisations_geojson": "data/organisations.geojson",
    "openreferral": "data/openreferral.json",
    "meetings": "data/meetings.json",
}


def json_bytes(data: Any) -> bytes:
    """Readable, diff-friendly and stable: insertion order, UTF-8 as is, newline at the end."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write(generator: Any, writer: Any) -> None:
    directory = generator.directory
    context = export_context(directory, generator.settings)
    files = {
        FILES["organisations_json"]: json_bytes(organisations_document(directory, context)),
        FILES["organisations_csv"]: organisations_csv(directory, context),
        FILES["organisations_geojson"]: json_bytes(organisations_geojson(directory, context)),
        FILES["openreferral"]: json_bytes(hsds_document(directory, context)),
        FILES["meetings"]: json_bytes(meeting_guide_feed(directory, context)),
    }
    root = Path(generator.output_path)
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (root / SCHEMA_PATH).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE_SCHEMA, root / SCHEMA_PATH)
