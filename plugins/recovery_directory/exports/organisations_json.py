"""/data/organisations.json: every published listing's public record (public.py), with its page's
address, coordinates and local authority per location."""

from __future__ import annotations

from typing import Any

from ..directory import Directory
from .common import ExportContext

# Not exported: what public.PRIVATE names, a source file's path on the importer's computer
# (public.source_record), and "stale" (it depends on the day of the build;
# `review_due` gives the same answer reproducibly).


def organisation_record(record: dict[str, Any], context: ExportContext) -> dict[str, Any]:
    """The public record (public.py), with an absolute page URL and `source` without a local path."""
    return {**record, "url": context.url(record["url"])}


def organisations_document(directory: Directory, context: ExportContext) -> dict[str, Any]:
    """The whole file: provenance first, then the listings sorted by slug (a stable order)."""
    listed = sorted(directory.listed, key=lambda org: org.slug)
    return {**document_header(context, len(listed)), "organisations": [
        organisation_record(directory.record(org), context) for org in listed
    ]}


def document_header(context: ExportContext, count: int) -> dict[str, Any]:
    """Every field of the file before its list of listings."""
    return {**context.header(), "count": count}
