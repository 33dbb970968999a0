"""The whole directory as built: every organisation, with the groupings the pages need."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .geocoding.authorities import resolve
from .listing.model import NATIONAL, Organisation, area_slug
from .listing.schema import labels


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
