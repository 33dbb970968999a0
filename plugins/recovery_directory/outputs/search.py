"""The search page (/search/) and its JSON index (/search/index.json).

The page is server-rendered with every filter as a real form control and links to every type
and area index, so it works without JavaScript; theme/static/js/search/ adds text search,
filters, distance, open now and the map from the index records.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..directory import Directory
from ..exports.search_index import encode_details, encode_index, encode_text, search_record
from ..exports.search_parts import SearchPart, details_texts, dumps, index_text, search_part, text_texts
from ..geocoding.site_lookup import LOOKUP_FOLDER
from ..listing.model import Organisation, type_slug
from ..listing.schema import labels, search_filters
from ..output_parts import ListingParts
from ..shared_constants import UK_CENTRE, UK_ZOOM

ORDER = 60
INDEX_PATH = "search/index.json"
DETAILS_FOLDER = "search/details"  # details/<n>.json: shard n of the print-only details
TEXT_FOLDER = "search/text"  # text/<n>.json: long text for the full text index (fetched by its worker)
TEXT_WORKER = "text-worker.js"  # builds the full text index off the page's main thread

# Filter groups (URL parameter, record field, label vocabulary, legend) from the schema's
# `x-search` marks. Checkboxes within a group widen the search (any of), groups narrow it (all of).
LIST_FILTERS = [(param, field, field, legend) for param, field, legend, _ in search_filters()]
VOCABULARIES = tuple(field for _, field, _, _ in LIST_FILTERS)
# Words people type for a filter value that its label doesn't contain ("cocaine" for Drugs):
# indexed with the label, so typing one finds every listing with that value. Never shown.
SEARCH_WORDS = {
    "substances": {
        "alcohol": "drink drinking alcoholism",
        "drugs": "cocaine crack heroin opiates opioids cannabis ketamine spice benzodiazepines amphetamines "
                 "methadone substances",
        "gambling": "betting gambler",  # "gambler" also finds "gamble", "gambles", "gamblers"
    },
    "audiences": {
        "young_people": "children teenagers youth",
        "families_carers": "family parents",
        "lgbtq": "gay lesbian bisexual trans",
        "veterans": "military forces",
        "criminal_justice": "prison probation offenders",
        "deaf_bsl": "sign language",
    },
    "types": {
        "recovery_housing": "accommodation supported housing",
        "treatment": "detox rehab",
    },
}

# Words a GP types for how a service takes referrals ("self referral", "GP referral"): matched as
# a label of every listing whose referral says so (as the "People can refer themselves" and
# "Professionals can refer" filters do), in search_labels()'s "referral".
REFERRAL_WORDS = {"self": "self referral refer yourself", "professional": "professional referral GP referral"}

# The UK nations, as a label of every listing that serves one (search_index.nations_served: a
# national service serves all four), so "Wales" or "Scotland" finds what is open to people there.
# Not "Welsh" or "English": those are languages a GP may be asking about.
NATION_WORDS = {
    "England": "England",
    "Wales": "Wales Cymru",
    "Scotland": "Scotland",
    "Northern Ireland": "Northern Ireland",
}

# Filter groups whose options are only the values some listing has, less those left out: of ~30
# languages a directory lists a few, and every service here is in English, so an "English" box
# (ticked by a GP wanting English-speaking services) found only the 3 listings that say so.
OFFERED_ONLY = {"languages": {"en"}}

# "Near": how far to look, in miles ("any": no limit). The default suits a town and its
# neighbours; one step at a time, the page offers "show services further away".
NEAR_DISTANCES = ["5", "10", "25", "50", "any"]
NEAR_DEFAULT = "10"
# Yes/no filters: URL parameter, label. The client computes each from the record.
FLAG_FILTERS = [
    ("self", "People can refer themselves"),
    ("professional", "Professionals can refer"),
    ("open_now", "Open now"),
    ("open_24_7", "Open 24/7"),
]


def write(generator: Any, writer: Any) -> None:
    directory: Directory = generator.directory
    settings = generator.settings
    vocabularies = {name: list(labels(name)) for name in VOCABULARIES}
    fields = tuple(field for _, field, _, _ in LIST_FILTERS)

    def part(org: Organisation) -> SearchPart:
        return search_part(search_record(directory.record(org)), vocabularies, fields)

    kept = ListingParts(generator, "search-parts")  # unchanged listings' parts from the last build
    parts = [kept.get(org, lambda org=org: part(org)) for org in directory.listed]
    kept.save()
    write_files(Path(generator.output_path), parts, vocabularies)
    writer.write_file(
        "search/index.html",
        generator.get_template("search"),
        generator.context,
        relative_urls=settings["RELATIVE_URLS"],
        url="search/",
        filter_groups=filter_groups([part.filters for part in parts]),
        flag_filters=FLAG_FILTERS,
        browse_types=browse_types(directory),
        browse_areas=[(area.url, area.name, len(area.organisations)) for area in directory.areas],
        search_config=client_config(settings),
        search_index_path=INDEX_PATH,
        search_worker=TEXT_WORKER,
        near_distances=NEAR_DISTANCES,
        near_default=NEAR_DEFAULT,
    )


def write_index(output: Path, records: list[dict[str, Any]]) -> None:
    """The reference for `write_files` (tests/test_search_parts.py): the files from records."""
    vocabularies = {name: list(labels(name)) for name in VOCABULARIES}
    write_json(output / INDEX_PATH, encode_index(records, vocabularies))
    write_shards(output / DETAILS_FOLDER, [dumps(shard) for shard in encode_details(records)])
    write_shards(output / TEXT_FOLDER, [dumps(shard) for shard in encode_text(records)])


def write_files(output: Path, parts: list[SearchPart], vocabularies: dict[str, list[str]]) -> None:
    """The index and its shards, joined from the listings' parts (exports/search_parts.py)."""
    (output / INDEX_PATH).parent.mkdir(parents=True, exist_ok=True)
    (output / INDEX_PATH).write_text(index_text(parts, vocabularies), encoding="ascii")
    write_shards(output / DETAILS_FOLDER, details_texts(parts))
    write_shards(output / TEXT_FOLDER, text_texts(parts))


def write_shards(folder: Path, shards: list[str]) -> None:
    if folder.exists():  # shards from an earlier, larger build must not linger
        for stale in folder.glob("*.json"):
            stale.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    for number, shard in enumerate(shards):
        (folder / f"{number}.json").write_text(shard, encoding="ascii")


def write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Compact separators keep the files small; no timestamps, so builds are reproducible. ASCII
    # only: see search_parts.dumps.
    path.write_text(dumps(payload), encoding="ascii")


def filter_groups(values: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Each group's options with how many listings have each value (the no-JS counts). `values`:
    each listing's value of each group's field, in LIST_FILTERS order (SearchPart.filters)."""
    groups = []
    for position, (param, field, vocabulary, legend) in enumerate(LIST_FILTERS):
        counts: Counter[str] = Counter()  # one pass over the listings per group, not one per value
        for listing in values:
            value = listing[position]
            counts.update((value,) if isinstance(value, str) else set(value))
        options = [
            {"value": code, "label": label, "count": counts[code]} for code, label in labels(vocabulary).items()
            if field not in OFFERED_ONLY or (counts[code] and code not in OFFERED_ONLY[field])
        ]
        groups.append({"param": param, "field": field, "legend": legend, "options": options})
    return groups


def browse_types(directory: Directory) -> list[tuple[str, str, int]]:
    return [
        (f"types/{type_slug(code)}/", label, len(directory.by_type[code]))
        for code, label in labels("types").items()
    ]


def client_config(settings: dict[str, Any]) -> dict[str, Any]:
    """What the search scripts need from settings and the schema (read from a JSON block)."""
    return {
        "postcodeLookupUrl": f"{LOOKUP_FOLDER}/",  # this site's own files, relative to its root
        "tileUrl": settings["MAP_TILE_URL"],
        "tileAttribution": settings["MAP_TILE_ATTRIBUTION"],
        "maxZoom": settings["MAP_MAX_ZOOM"],
        "ukCentre": UK_CENTRE,
        "ukZoom": UK_ZOOM,
        # leftOut: values with no box (OFFERED_ONLY), ignored in a link that still asks for them
        "listFilters": [
            {"param": param, "field": field, "leftOut": sorted(OFFERED_ONLY.get(field, ()))}
            for param, field, _, _ in LIST_FILTERS
        ],
        "flagFilters": [{"param": param, "label": label} for param, label in FLAG_FILTERS],
        "labels": {name: labels(name) for name in VOCABULARIES},
        "searchLabels": search_labels(),
        "detailsUrl": DETAILS_FOLDER + "/",
        "textUrl": TEXT_FOLDER + "/",
        "nearDistances": NEAR_DISTANCES,
        "nearDefault": NEAR_DEFAULT,
        "siteName": settings["SITENAME"],
    }


def search_labels() -> dict[str, dict[str, str]]:
    """Each vocabulary's labels with SEARCH_WORDS added: the text the search matches for a value."""
    words = {name: SEARCH_WORDS.get(name, {}) for name in VOCABULARIES}
    return {
        **{
            name: {code: f"{label} {words[name].get(code, '')}".strip() for code, label in labels(name).items()}
            for name in VOCABULARIES
        },
        "referral": REFERRAL_WORDS,
        "nations": NATION_WORDS,
    }
