"""Write the open-data exports under /data/ and the listing schema at /schema/.

The exports are pure functions (exports/); this module only turns them into files. Each listing's
part of every file is encoded once (`listing_exports`: a pure function of its public record and
the build's ExportContext, so a cache keyed by the record can keep it), then each file is its
header followed by every listing's part, listings sorted by slug.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..exports.common import SCHEMA_PATH, ExportContext, export_context
from ..exports.csv_table import csv_header
from ..exports.hsds import TABLES, hsds_header, listing_tables, taxonomy_tables
from ..exports.json_text import Encoded, LastListWriter, Spooled, compact, json_bytes, json_pieces
from ..exports.meeting_guide import listing_meetings
from ..exports.organisations_csv import column_names, listing_csv, template_csv
from ..exports.organisations_geojson import listing_features
from ..exports.organisations_json import document_header, organisation_record
from ..listing.schema import SCHEMA_PATH as SOURCE_SCHEMA
from ..output_parts import ListingParts

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

__all__ = ["FILES", "ExportFiles", "ListingExports", "json_bytes", "listing_exports", "write"]


@dataclass(frozen=True)
class ListingExports:
    """One listing's part of each export, already encoded: compact JSON lines and CSV text."""

    organisation: str  # its line of organisations.json
    features: tuple[str, ...]  # its lines of organisations.geojson (one per location with a pin)
    hsds: dict[str, tuple[str, ...]]  # its rows of each openreferral.json table
    meetings: tuple[str, ...]  # its entries of meetings.json
    csv: str  # its rows of organisations.csv


def listing_exports(record: dict[str, Any], context: ExportContext) -> ListingExports:
    """`context` needs only its site_url (`write` passes no build date)."""
    return ListingExports(
        organisation=compact(organisation_record(record, context)),
        features=tuple(map(compact, listing_features(record, context))),
        hsds={table: tuple(map(compact, rows)) for table, rows in listing_tables(record, context).items()},
        meetings=tuple(map(compact, listing_meetings(record, context))),
        csv=listing_csv(record, context),
    )


class ExportFiles:
    """Every /data/ export, written as the listings' parts come (in slug order), none held: each
    file is its header and every listing's part. Made whole in memory, the files (~60 MB at
    N = 10,000) and the parts (~90 MB) made this the build's largest process. openreferral.json's
    tables each gather every listing's rows, so those wait in temporary files until the end."""

    def __init__(self, root: Path, context: ExportContext, count: int) -> None:
        self.files: list[TextIO] = []
        self.organisations = LastListWriter(
            self._open(root, "organisations_json"), document_header(context, count), "organisations"
        )
        self.features = LastListWriter(
            self._open(root, "organisations_geojson"), {"type": "FeatureCollection"}, "features"
        )
        self.meetings = LastListWriter(self._open(root, "meetings"), None)
        self.csv = self._open(root, "organisations_csv", "utf-8-sig")
        self.csv.write(csv_header(column_names()))
        self.openreferral = self._open(root, "openreferral")
        self.header = hsds_header(context)
        taxonomies, terms = taxonomy_tables(context)
        self.tables = {table: Spooled() for table in TABLES}
        self.tables["taxonomies"].extend(map(compact, taxonomies))
        self.tables["taxonomy_terms"].extend(map(compact, terms))
        (root / FILES["import_template"]).write_bytes(template_csv())

    def _open(self, root: Path, name: str, encoding: str = "utf-8") -> TextIO:
        target = root / FILES[name]
        target.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(target.open("w", encoding=encoding, newline=""))
        return self.files[-1]

    def add(self, part: ListingExports) -> None:
        self.organisations.add(part.organisation)
        for line in part.features:
            self.features.add(line)
        for line in part.meetings:
            self.meetings.add(line)
        self.csv.write(part.csv)
        for table, rows in part.hsds.items():
            self.tables[table].extend(rows)

    def close(self) -> None:
        for writer in (self.organisations, self.features, self.meetings):
            writer.close()
        self.openreferral.writelines(
            json_pieces({**self.header, **{table: Encoded(lines) for table, lines in self.tables.items()}})
        )
        for file in (*self.files, *self.tables.values()):
            file.close()


def write(generator: Any, writer: Any) -> None:
    directory = generator.directory
    context = export_context(directory, generator.settings)
    listed = sorted(directory.listed, key=lambda org: org.slug)
    # The listings' parts know only the site's address: the build date (the newest listing's)
    # is in the files' headers, so one edited listing never changes the others' parts.
    per_listing = ExportContext(context.site_url)
    kept = ListingParts(generator, "open-data", streamed=True)  # unchanged listings' parts from the last build
    files = ExportFiles(Path(generator.output_path), context, len(listed))
    try:
        for org in listed:
            files.add(kept.get(org, lambda org=org: listing_exports(directory.record(org), per_listing)))
    finally:
        files.close()
    kept.save()
    root = Path(generator.output_path)
    (root / SCHEMA_PATH).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE_SCHEMA, root / SCHEMA_PATH)
