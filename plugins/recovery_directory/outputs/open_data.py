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
from ..exports.organisations_csv import organisations_csv, template_csv
from ..exports.organisations_geojson import organisations_geojson
from ..exports.organisations_json import organisations_document
from ..listing.schema import SCHEMA_PATH as SOURCE_SCHEMA

ORDER = 60

# Where each export is published, relative to the site root (the Open data page links these).
FILES = {
    "organisations_json": "data/organisations.json",
    "organisations_csv": "data/organisations.csv",
    "organisations_geojson": "data/organisations.geojson",
    "openreferral": "data/openreferral.json",
    "meetings": "data/meetings.json",
    "import_template": "data/import-template.csv",
}


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def json_bytes(data: Any) -> bytes:
    """Diff-friendly and stable: insertion order, UTF-8 as is, newline at the end; the top-level
    fields one per line and each record of a top-level list on a line of its own, so changing a
    listing changes its own lines only.

    Each line is written by json's C encoder: `indent=` switches json to its pure-Python encoder,
    which took several times longer than everything else the exports do.
    """
    if not isinstance(data, dict):
        return (_COMPACT(data) + "\n").encode("utf-8")
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(map(_COMPACT, value))
            lines.append(f"  {_COMPACT(key)}: [\n    {items}\n  ]")
        else:
            lines.append(f"  {_COMPACT(key)}: {_COMPACT(value)}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def write(generator: Any, writer: Any) -> None:
    directory = generator.directory
    context = export_context(directory, generator.settings)
    files = {
        FILES["organisations_json"]: json_bytes(organisations_document(directory, context)),
        FILES["organisations_csv"]: organisations_csv(directory, context),
        FILES["organisations_geojson"]: json_bytes(organisations_geojson(directory, context)),
        FILES["openreferral"]: json_bytes(hsds_document(directory, context)),
        FILES["meetings"]: json_bytes(meeting_guide_feed(directory, context)),
        FILES["import_template"]: template_csv(),
    }
    root = Path(generator.output_path)
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (root / SCHEMA_PATH).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE_SCHEMA, root / SCHEMA_PATH)
