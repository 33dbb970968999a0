"""The whole directory as built: every organisation, with the groupings the pages need, and
`load_directory`, which reads a set of listing files into one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .geocoding.authorities import resolve
from .listing.model import NATIONAL, Organisation, area_slug
from .listing.problems import Problem
from .listing.read import ReadListing, read_listing
from .listing.schema import labels
from .public import public_record


@dataclass
class Area:
    slug: str
    name: str  # the local authority's name as the site shows it ("Bristol")
    organisations: list[Organisation] = field(default_factory=list)
    code: str | None = None  # its GSS code ("E06000023"); None for the national / online group

    @property
    def url(self) -> str:
        return f"areas/{self.slug}/"


@dataclass
class Directory:
    organisations: list[Organisation]  # every listing, closed ones too, sorted by name
    _records: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, organisations: Iterable[Organisation]) -> Directory:
        """A directory of these listings in its A–Z order (by name, then slug)."""
        return cls(sorted(organisations, key=lambda org: (org.name.casefold(), org.slug)))

    def record(self, org: Organisation) -> dict[str, Any]:
        """The listing's public record (public.py), made once per build and shared by every output."""
        found = self._records.get(org.slug)
        if found is None:
            found = self._records[org.slug] = public_record(org)
        return found

    def remember(self, org: Organisation, record: dict[str, Any]) -> None:
        """Use `record` as the listing's public record (one an earlier build made from the same
        inputs: output_parts.py)."""
        self._records[org.slug] = record

    @cached_property
    def listed(self) -> list[Organisation]:
        """What search, indexes, maps, counts and exports show: everything but closed."""
        return [org for org in self.organisations if org.is_listed]

    @cached_property
    def by_type(self) -> dict[str, list[Organisation]]:
        groups: dict[str, list[Organisation]] = {code: [] for code in labels("types")}
        for org in self.listed:
            for code in org.types:
                groups[code].append(org)
        return groups

    @cached_property
    def areas(self) -> list[Area]:
        """Local areas (by name, A–Z), then the national / online group last."""
        found: dict[str, Area] = {}
        for org in self.listed:
            for name in org.area_names:
                if name not in found:
                    authority = resolve(name)
                    found[name] = Area(area_slug(name), name, code=authority.code if authority else None)
                found[name].organisations.append(org)
        local = sorted(found.values(), key=lambda area: area.name.casefold())
        national = [org for org in self.listed if org.open_anywhere]
        if national:
            local.append(Area(NATIONAL, "National and online", national))
        return local

    @cached_property
    def by_letter(self) -> dict[str, list[Organisation]]:
        groups: dict[str, list[Organisation]] = defaultdict(list)
        for org in self.listed:
            first = org.name[:1].upper()
            groups[first if first.isalpha() else "#"].append(org)
        return dict(sorted(groups.items()))


@dataclass
class LoadedDirectory:
    directory: Directory  # every listing that passed
    read: list[ReadListing]  # one per file, in the order given

    @property
    def problems(self) -> list[Problem]:
        return [problem for item in self.read for problem in item.check.problems]

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.read)


def load_directory(paths: Iterable[str | Path], project_root: str | Path) -> LoadedDirectory:
    """Load, validate and model every listing file in `paths`: the build reads each through the
    same `read_listing` (as Pelican hands it files), commands and tests read them all at once.
    Nothing is geocoded here: the build places locations only once every listing has passed."""
    read = [read_listing(path, project_root) for path in paths]
    return LoadedDirectory(Directory.of(item.organisation for item in read if item.organisation), read)
