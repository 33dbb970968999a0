"""Pelican reader for `content/organisations/*.yaml`: each listing becomes a page object
carrying its Organisation, rendered with the `organisation` template."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from pelican.readers import BaseReader

from .read import read_listing


class OrganisationReader(BaseReader):
    enabled = True
    file_extensions = ["yaml", "yml"]

    def read(self, filename: str) -> tuple[str, dict]:
        path = Path(filename)
        read = read_listing(path, _project_folder(self.settings["PATH"]))
        slug = path.stem
        organisation = read.organisation
        if organisation is None:
            # Never raise: Pelican would log a traceback and build on without the file. The
            # problems travel with the page (so the content cache can't hide them) and the
            # build stops in DirectoryGenerator before anything is geocoded or written.
            return "", {
                "title": slug,
                "slug": slug,
                "status": "draft",
                "listing_problems": [str(problem) for problem in read.check.problems],
            }
        return organisation.description_html, {
            "title": organisation.name,
            "slug": slug,
            "template": "organisation",
            "url": organisation.url,
            "save_as": f"{organisation.url}index.html",
            "organisation": organisation,
            "listing_data": read.check.data,  # as checked: the listing editor starts from it
        }


@cache
def _project_folder(content_path: str) -> str:
    return os.path.dirname(os.path.abspath(content_path))
