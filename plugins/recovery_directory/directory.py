"""The whole directory as built: every organisation, with the groupings the pages need."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .listing.model import NATIONAL, Organisation, area_slug
from .listing.schema import labels
from .public import public_record


@dataclass
class Area:
    slug: str
    name: str
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"areas/{self.slug}/"


@dataclass
class Directory:
    organisations: list[Organisation]  # every listing, closed ones too, sorted by name
    _records: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def record(self, org: Organisation) -> dict[str, Any]:
        """The listing's public record (public.py), made once per build and shared by every output."""
        found = self._records.get(org.slug)
        if found is None:
            found = self._records[org.slug] = public_record(org)
        return found

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
                area = found.setdefault(area_slug(name), Area(area_slug(name), name))
                area.organisations.append(org)
        local = sorted(found.values(), key=lambda area: area.name.casefold())
        national = [org for org in self.listed if org.is_national or not org.locations]
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
