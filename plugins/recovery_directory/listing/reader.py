"""Pelican reader for `content/organisations/*.yaml`: each listing becomes a page object
carrying its Organisation, rendered with the `organisation` template."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from pelican.readers import BaseReader

from .model import build_organisation
from .validate import check_file


class OrganisationReader(BaseReader):
    enabled = True
    file_extensions = ["yaml", "yml"]

    def _source_path(self, filename: str) -> str:
        """Repository-relative path, e.g. content/organisations/foo.yaml. Pelican finds files by
        walking PATH, so plain path arithmetic is enough: resolving every file's symlinks (a
        system call per folder) cost more than anything else the reader did apart from checking."""
        return Path(os.path.relpath(os.path.abspath(filename), _project_folder(self.settings["PATH"]))).as_posix()

    def read(self, filename: str) -> tuple[str, dict]:
        path = Path(filename)
        result = check_file(path)
        slug = path.stem
        if not result.ok:
            # Never raise: Pelican would log a traceback and build on without the file. The
            # problems travel with the page (so the content cache can't hide them) and
            # `build.fail_on_invalid_listings` stops the build before anything is written.
            return "", {
                "title": slug,
                "slug": slug,
                "status": "draft",
                "listing_problems": [str(problem) for problem in result.problems],
            }
        organisation = build_organisation(result.data, slug, self._source_path(filename))
        return organisation.description_html, {
            "title": organisation.name,
            "slug": slug,
            "template": "organisation",
            "url": organisation.url,
            "save_as": f"{organisation.url}index.html",
            "organisation": organisation,
            "listing_data": result.data,  # as checked: the listing editor starts from it
        }


@cache
def _project_folder(content_path: str) -> str:
    return os.path.dirname(os.path.abspath(content_path))
