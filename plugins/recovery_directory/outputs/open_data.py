"""Write the open-data exports under /data/ and the listing schema at /schema/.

The exports are pure functions (exports/); this module only turns them into files. Each listing's
part of every file is encoded once (`listing_exports`: a pure function of its public record and
the build's ExportContext, so a cache keyed by the record can keep it), then each file is its
header followed by every listing's part, listings sorted by slug.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..exports.common import SCHEMA_PATH, ExportContext, export_context
from ..exports.csv_table import csv_header, csv_pieces
from ..exports.hsds import TABLES, hsds_header, listing_tables, taxonomy_tables
from ..exports.json_text import Encoded, compact, json_bytes, json_pieces
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

__all__ = ["FILES", "ListingExports", "json_bytes", "listing_exports", "write"]


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


def export_files(parts: list[ListingExports], context: ExportContext) -> dict[str, Iterable[bytes]]:
    """Every /data/ export from the listings' parts (in slug order): file path -> its content, in
    pieces made as the file is written (the files are ~60 MB at N = 10,000: never held whole)."""
    taxonomies, terms = taxonomy_tables(context)
    tables: dict[str, list[str]] = {table: [] for table in TABLES}
    tables["taxonomies"], tables["taxonomy_terms"] = list(map(compact, taxonomies)), list(map(compact, terms))
    for part in parts:
        for table, rows in part.hsds.items():
            tables[table] += rows
    return {
        FILES["organisations_json"]: _utf8(json_pieces(
            {**document_header(context, len(parts)), "organisations": Encoded([part.organisation for part in parts])}
        )),
        FILES["organisations_csv"]: csv_pieces(csv_header(column_names()), *(part.csv for part in parts)),
        FILES["organisations_geojson"]: _utf8(json_pieces(
            {"type": "FeatureCollection", "features": Encoded([line for part in parts for line in part.features])}
        )),
        FILES["openreferral"]: _utf8(json_pieces(
            {**hsds_header(context), **{table: Encoded(lines) for table, lines in tables.items()}}
        )),
        FILES["meetings"]: _utf8(json_pieces(Encoded([line for part in parts for line in part.meetings]))),
        FILES["import_template"]: (template_csv(),),
    }


def _utf8(pieces: Iterable[str]) -> Iterable[bytes]:
    return (piece.encode("utf-8") for piece in pieces)


def write(generator: Any, writer: Any) -> None:
    directory = generator.directory
    context = export_context(directory, generator.settings)
    listed = sorted(directory.listed, key=lambda org: org.slug)
    # The listings' parts know only the site's address: the build date (the newest listing's)
    # is in the files' headers, so one edited listing never changes the others' parts.
    per_listing = ExportContext(context.site_url)
    kept = ListingParts(generator, "open-data")  # unchanged listings' parts from the last build
    parts = [kept.get(org, lambda org=org: listing_exports(directory.record(org), per_listing)) for org in listed]
    kept.save()
    root = Path(generator.output_path)
    for path, content in export_files(parts, context).items():  # one file at a time, in pieces
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            out.writelines(content)
    (root / SCHEMA_PATH).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE_SCHEMA, root / SCHEMA_PATH)
