"""Records for the search page (and the big map): one per listed organisation.

`search_records` gives full, readable dicts; `encode_index` and `encode_details` pack them into
the compact files the browser downloads (decoded by theme/static/js/search/records.js).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..directory import Directory
from ..geocoding.authorities import NATION_ORDER, NATIONS, resolve
from ..listing.hours import hours_text
from ..listing.model import NATIONAL
from ..listing.schema import labels, search_filters
from ..shared_constants import COORDINATE_SCALE
from ..shared_constants import FLAGS as SHARED_FLAGS

# Coordinates to 5 decimal places are ~1 m: plenty for distances and pins, and fewer bytes.
COORDINATE_DECIMALS = 5


def search_records(directory: Directory) -> list[dict[str, Any]]:
    """One record per listed organisation (closed ones excluded), in the directory's A–Z order."""
    return [search_record(directory.record(org)) for org in directory.listed]


def search_record(record: dict[str, Any]) -> dict[str, Any]:
    """What the search page needs of a listing's public record (public.py)."""
    referral = record["referral"]
    areas = record["areas_served"]
    return {
        "slug": record["slug"],
        "name": record["name"],
        "summary": record["summary"],
        "status": record["status"],
        "towns": list(dict.fromkeys(location["town"] for location in record["locations"])),
        **{field: record[field] for _, field, _, _ in search_filters()},
        "self_referral": bool(referral["self"]),  # a flag: "says so" (None, not stated, is not)
        "professional_referral": bool(referral["professional"]),
        "referral_how": referral["how"],
        "referral_url": referral["url"],
        "open_24_7": record["open_24_7"],
        # Services open to anyone in the UK are grouped apart from distance-sorted results
        # (Organisation.open_anywhere: a local phone line with no venue is not one).
        "national": open_anywhere(record),
        "areas_served": [area for area in areas if area.casefold() != NATIONAL],
        "nations": nations_served(record),
        "phones": [
            {"display": phone["number"], "tel": phone["tel"], "description": phone["description"]}
            for phone in record["phones"]
        ],
        "website": record["website"],
        "email": record["email"],
        "locations": [search_location(location) for location in record["locations"]],
        # Sessions held only online or by phone: "open now" counts them, the printed list shows them.
        "online_hours": [search_hours(hours, online=True) for hours in record["online_hours"]],
        "last_verified": record["last_verified"],
        # Long text, for the full text index only (text shards: encode_text).
        "description": plain_text(record.get("description") or ""),
        "language_names": language_names(record.get("languages")),
        # What its places offer, in words ("Hearing loop", "British Sign Language available"), for the
        # full text index: a GP types "hearing loop" or "bsl".
        "accessibility_names": accessibility_names(record["locations"]),
    }


def open_anywhere(record: dict[str, Any]) -> bool:
    """Organisation.open_anywhere, from the listing's public record: its areas served say national,
    or it names no area and no place."""
    areas = record["areas_served"]
    return any(area.casefold() == NATIONAL for area in areas) or not (areas or record["locations"])


def nations_served(record: dict[str, Any]) -> list[str]:
    """The UK nations a listing serves, in NATION_ORDER, so a GP typing "Wales" finds the services
    open to people in Wales: every nation for a national service (and for one with neither areas
    nor places: online, open to anyone), else the nations of its areas served and of its places
    (a venue may be over a council border)."""
    areas = record["areas_served"]
    if open_anywhere(record):
        return list(NATION_ORDER)
    found = {authority.nation for area in areas if (authority := resolve(area))}
    found |= {NATIONS[code[0]] for location in record["locations"] if (code := location["local_authority_code"])}
    return [nation for nation in NATION_ORDER if nation in found]


def plain_text(markdown: str) -> str:
    """Markdown as the words a reader sees: link targets and bare web addresses left out, so
    "example" or "https" never match every listing with a link."""
    text = _LINK_TARGET.sub("]", markdown)
    return _WEB_ADDRESS.sub(" ", text)


_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WEB_ADDRESS = re.compile(r"<?(?:https?://|www\.)\S+|<[^>\s]+@[^>\s]+>")


def language_names(codes: Any) -> list[str]:
    """The `languages` field's values as people write them ("Polish"), from the schema's labels."""
    names = labels("languages")
    return [names.get(str(code), str(code)) for code in codes or ()]


def accessibility_names(locations: list[dict[str, Any]]) -> list[str]:
    names = labels("accessibility")
    return list(dict.fromkeys(names.get(code, code) for location in locations for code in location["accessibility"]))


def search_location(location: dict[str, Any]) -> dict[str, Any]:
    coordinates = location["coordinates"]
    return {
        "name": location["name"],
        "address": location["address"],
        "town": location["town"],
        "postcode": location["postcode"],
        "lat": round(coordinates["lat"], COORDINATE_DECIMALS) if coordinates else None,
        "lon": round(coordinates["lon"], COORDINATE_DECIMALS) if coordinates else None,
        "hours": [search_hours(hours) for hours in location["hours"]],
    }


def search_hours(hours: dict[str, Any], *, online: bool = False) -> dict[str, Any]:
    """What "open now" and the printed list use of an opening time or session: the dial-in
    number too, and for a session held only online its join link and meeting ID (a place's
    meeting prints its address; its link is on the listing page)."""
    return {
        **{key: hours[key] for key in ("days", "opens", "closes", "note")},
        "text": hours_text(hours["days"], hours["opens"], hours["closes"]),
        "join_phone": hours.get("join_phone", ""),
        "join_url": hours.get("join_url", "") if online else "",
        "join_notes": hours.get("join_notes", "") if online else "",
    }


# -- the browser's copy: compact index + details loaded only for the printed list ---------------
# The search page downloads `index.json` on every visit, so it holds only what matching, filters,
# distance, open now, cards and the map need, as positional arrays (names in "fields") with codes
# packed into bit masks. Addresses, phone lists, how to refer and hours in words go into small
# `details/<n>.json` shards the page fetches for the results it may print.
INDEX_VERSION = 2
DETAILS_SHARD_SIZE = 100
# List fields the search filters on (the schema's `x-search` marks), sent as bit masks: bit i = vocabulary[i].
MASKED_FIELDS = tuple(field for _, field, _, is_list in search_filters() if is_list)
FLAGS = {name: bit for name, bit in SHARED_FLAGS.items() if name != "temporarily_closed"}
TEMPORARILY_CLOSED = SHARED_FLAGS["temporarily_closed"]
TEXT_SHARD_SIZE = 2000  # records per text/<n>.json (long text for the full text index)
DAY_BITS = {day: 1 << index for index, day in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
INDEX_FIELDS = [
    "slug", "name", "summary", "flags", *MASKED_FIELDS, "cost", "nations", "online", "areas", "locations",
    "verified_month",
]
DETAIL_FIELDS = ["referral_how", "referral_url", "website", "phones", "locations", "last_verified", "email", "online"]
E4 = COORDINATE_SCALE  # coordinates as integers of 1/10,000 degree (~11 m): plenty for pins and miles


def encode_index(records: list[dict[str, Any]], vocabularies: dict[str, list[str]]) -> dict[str, Any]:
    """The compact index: tables of area and town names, and one array per record."""
    areas: dict[str, int] = {}
    towns = _town_table(records)
    rows = []
    totals = _Totals(vocabularies)
    for record in records:
        flags = sum(bit for name, bit in FLAGS.items() if record[name])
        flags |= TEMPORARILY_CLOSED if record["status"] == "temporarily_closed" else 0
        row = [
            _encode_slug(record["slug"], record["name"]),
            record["name"],
            record["summary"],
            flags,
            *(_mask(record[name], vocabularies[name]) for name in MASKED_FIELDS),
            vocabularies["cost"].index(record["cost"]) + 1 if record["cost"] else 0,
            _mask(record["nations"], NATION_ORDER),
            weekly_hours(record["online_hours"]),
            [areas.setdefault(area, len(areas)) for area in record["areas_served"]],
            [_encode_location(location, towns) for location in record["locations"]],
            int(record["last_verified"][:7].replace("-", "")),  # YYYYMM: cards say "checked October 2026"
        ]
        totals.add(row)
        rows.append(_trim(row))
    return {**index_header(vocabularies, areas, towns, totals), "records": rows}


def index_header(
    vocabularies: dict[str, list[str]], areas: dict[str, int], towns: dict[str, Any], totals: _Totals
) -> dict[str, Any]:
    """Everything of search/index.json but its records, in the file's order (the records follow)."""
    return {
        "version": INDEX_VERSION,
        "fields": INDEX_FIELDS,
        "masked": list(MASKED_FIELDS),
        "constants": {"flags": SHARED_FLAGS, "coordinate_scale": E4},
        "vocabularies": vocabularies,
        "nations": NATION_ORDER,  # bit i of a row's "nations" is nations[i]
        "areas": list(areas),
        "towns": [[name, *centre] for name, (_, centre) in towns.items()],
        "detailsShardSize": DETAILS_SHARD_SIZE,
        "textShardSize": TEXT_SHARD_SIZE,
        "totals": totals.encoded(),
    }


class _Totals:
    """How many records carry each value of each filtered field (by bit, as in the rows) and each
    flag: the filter counts when nothing narrows the search, so the page's first results need not
    count every record (theme/static/js/search/filters.js). Counted from the rows themselves, so
    they agree with what the page would count."""

    def __init__(self, vocabularies: dict[str, list[str]]) -> None:
        self.fields = {name: [0] * len(vocabularies[name]) for name in (*MASKED_FIELDS, "cost")}
        self.flags = dict.fromkeys(SHARED_FLAGS, 0)
        self.at = {name: INDEX_FIELDS.index(name) for name in (*MASKED_FIELDS, "cost", "flags")}

    def add(self, row: list[Any]) -> None:
        for name in MASKED_FIELDS:
            counts, mask = self.fields[name], row[self.at[name]]
            while mask:  # each set bit once: a listing has a few values of dozens
                lowest = mask & -mask
                counts[lowest.bit_length() - 1] += 1
                mask ^= lowest
        if cost := row[self.at["cost"]]:
            self.fields["cost"][cost - 1] += 1
        for name, bit in SHARED_FLAGS.items():
            self.flags[name] += bool(row[self.at["flags"]] & bit)

    def encoded(self) -> dict[str, Any]:
        return {**self.fields, "flags": self.flags}


def encode_details(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shards of DETAILS_SHARD_SIZE records, in index order: shard n holds records n*size…"""
    rows = [
        _trim([
            record["referral_how"],
            record["referral_url"],
            record["website"],
            [_trim([phone["display"], phone["tel"], phone["description"]]) for phone in record["phones"]],
            [
                _trim([
                    location["name"], location["address"], location["postcode"],
                    [session_row(hours) for hours in location["hours"]],
                ])
                for location in record["locations"]
            ],
            record["last_verified"],
            record["email"],
            [session_row(hours, online=True) for hours in record["online_hours"]],
        ])
        for record in records
    ]
    return [
        {"version": INDEX_VERSION, "fields": DETAIL_FIELDS, "start": start, "records": rows[start : start + size]}
        for start, size in ((start, DETAILS_SHARD_SIZE) for start in range(0, len(rows), DETAILS_SHARD_SIZE))
    ]


# -- long text for the full text index, in shards the text worker fetches once the page is ready --
# Descriptions, how to refer, opening-hours notes, languages and addresses: everything a GP might
# type that the compact index leaves out. The page never waits for these files; the worker adds
# them to the typo-tolerant index it builds after the first results are on screen.
TEXT_FIELDS = ["description", "referral", "notes", "languages", "places", "access", "also"]
# Words GPs type for a service that listings write another way: a listing whose text holds the key
# (a whole word, any case) is also found by the words ("needle exchange" for a listing offering
# "needle and syringe provision"). Only terms that always mean the same service.
ALSO_KNOWN_AS = {"syringe": "needle exchange", "syringes": "needle exchange", "british sign language": "BSL"}
_ALSO = re.compile(r"\b(" + "|".join(map(re.escape, ALSO_KNOWN_AS)) + r")\b", re.IGNORECASE)


def encode_text(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shards of TEXT_SHARD_SIZE records, in index order: shard n holds records n*size…"""
    rows = [_trim(text_row(record)) for record in records]
    return [
        {"version": INDEX_VERSION, "fields": TEXT_FIELDS, "start": start, "records": rows[start : start + size]}
        for start, size in ((start, TEXT_SHARD_SIZE) for start in range(0, len(rows), TEXT_SHARD_SIZE))
    ]


def text_row(record: dict[str, Any]) -> list[str]:
    """One record's long text, a string per TEXT_FIELDS entry."""
    notes = [hours["note"] for location in record["locations"] for hours in location["hours"] if hours["note"]]
    places = [
        " ".join(filter(None, (location["name"], location["address"], location["postcode"])))
        for location in record["locations"]
    ]
    row = [
        record["description"],
        record["referral_how"],
        " ".join(dict.fromkeys(notes)),
        ", ".join(record["language_names"]),
        " ".join(places),
        ", ".join(record["accessibility_names"]),
    ]
    also = dict.fromkeys(ALSO_KNOWN_AS[found.lower()] for text in row for found in _ALSO.findall(text))
    return [*row, " ".join(also)]


def name_slug(name: str) -> str:
    """Lower-case ASCII letters and digits of `name`, joined by single hyphens.
    Mirrored exactly by nameSlug() in theme/static/js/search/records.js."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _encode_slug(slug: str, name: str) -> str | int:
    """Most slugs are the start of the name's slug ("calder-valley-recovery-cafe" from "Calder
    Valley Recovery Cafe (sample listing)"): send how many characters, not the text. Only for
    ASCII names, so the browser's lower-casing can't differ from Python's."""
    if name.isascii() and slug and name_slug(name).startswith(slug):
        return len(slug)
    return slug


def _town_table(records: list[dict[str, Any]]) -> dict[str, tuple[int, list[int | None]]]:
    """town -> (position, [lat, lon] in E4 units: the middle of its pins, or [] with none).
    Locations store their offset from their town's middle: small numbers, so fewer bytes."""
    pins: dict[str, list[tuple[float, float]]] = {}
    for record in records:
        for location in record["locations"]:
            found = pins.setdefault(location["town"], [])
            if location["lat"] is not None and location["lon"] is not None:
                found.append((location["lat"], location["lon"]))
    return {town: (position, _middle(points)) for position, (town, points) in enumerate(pins.items())}


def _middle(points: list[tuple[float, float]]) -> list[int]:
    if not points:
        return []
    return [round(sum(point[axis] for point in points) / len(points) * E4) for axis in (0, 1)]


def _encode_location(location: dict[str, Any], towns: dict[str, tuple[int, list[int]]]) -> list[Any]:
    """[lat offset, lon offset (E4 units from the town's middle; null without a pin), town,
    [days, opens, closes, …]] with days a bit mask and times in minutes after midnight."""
    hours = weekly_hours(location["hours"])
    position, centre = towns[location["town"]]
    located = location["lat"] is not None and location["lon"] is not None
    return _trim([
        round(location["lat"] * E4) - centre[0] if located else None,
        round(location["lon"] * E4) - centre[1] if located else None,
        position,
        hours,
    ], keep=2)


def weekly_hours(sessions: list[dict[str, Any]]) -> list[int]:
    """[days bit mask, opens, closes (minutes after midnight), …]: as a location's hours are sent."""
    flat: list[int] = []
    for entry in sessions:
        flat += [_mask(entry["days"], list(DAY_BITS)), _minutes(entry["opens"]), _minutes(entry["closes"])]
    return flat


def session_row(hours: dict[str, Any], *, online: bool = False) -> list[str]:
    """[text, note, dial-in number, join link and meeting ID (online sessions only)], trimmed."""
    return _trim([hours["text"], hours["note"], hours["join_phone"], *(
        (hours["join_url"], hours["join_notes"]) if online else ("", "")
    )])


def _mask(codes: list[str], vocabulary: list[str]) -> int:
    return sum(1 << vocabulary.index(code) for code in codes)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _trim(row: list[Any], keep: int = 0) -> list[Any]:
    """Drop trailing empty values (beyond the first `keep`); the reader treats missing positions
    as empty, 0 or false."""
    while len(row) > keep and (row[-1] is None or row[-1] == "" or row[-1] == [] or row[-1] == 0):
        row.pop()
    return row


def decode_index(
    index: dict[str, Any], shards: list[dict[str, Any]], texts: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The records back from the browser's files (index, details shards, text shards), shaped as
    `search_records` gives them (coordinates rounded to E4). For tests and tools; the page has its
    own reader in JavaScript."""
    fields = index["fields"]
    details = [row for shard in sorted(shards, key=lambda shard: shard["start"]) for row in shard["records"]]
    long_texts = [row for shard in sorted(texts, key=lambda shard: shard["start"]) for row in shard["records"]]
    vocabularies = index["vocabularies"]
    records = []
    for encoded, detail, text in zip(index["records"], details, long_texts, strict=True):
        description, _, _, languages, _, access, _ = _pad(text, [""] * len(TEXT_FIELDS))
        row = dict(zip(fields, _pad(encoded, [""] * 3 + [0] * (3 + len(MASKED_FIELDS)) + [[], [], [], 0]), strict=True))
        how, url, website, phones, places, verified, email, online = _pad(detail, ["", "", "", [], [], "", "", []])
        places = places + [[]] * (len(row["locations"]) - len(places))
        locations = [
            _decode_location(location, place, index["towns"])
            for location, place in zip(row["locations"], places, strict=True)
        ]
        flags, cost = row["flags"], row["cost"]
        records.append({
            "slug": name_slug(row["name"])[: row["slug"]] if isinstance(row["slug"], int) else row["slug"],
            "name": row["name"],
            "summary": row["summary"],
            "status": "temporarily_closed" if flags & TEMPORARILY_CLOSED else "active",
            "towns": list(dict.fromkeys(location["town"] for location in locations)),
            **{name: _codes(row[name], vocabularies[name]) for name in MASKED_FIELDS},
            "cost": vocabularies["cost"][cost - 1] if cost else "",
            "self_referral": bool(flags & FLAGS["self_referral"]),
            "professional_referral": bool(flags & FLAGS["professional_referral"]),
            "referral_how": how,
            "referral_url": url,
            "open_24_7": bool(flags & FLAGS["open_24_7"]),
            "national": bool(flags & FLAGS["national"]),
            "areas_served": [index["areas"][area] for area in row["areas"]],
            "nations": _codes(row["nations"], index["nations"]),
            "phones": [dict(zip(("display", "tel", "description"), _pad(phone, ["", "", ""]), strict=True))
                       for phone in phones],
            "website": website,
            "email": email,
            "locations": locations,
            "online_hours": _decode_hours(row["online"], online, online=True),
            "last_verified": verified,
            "description": description,
            "language_names": languages.split(", ") if languages else [],
            "accessibility_names": access.split(", ") if access else [],
        })
    return records


def read_built_records(output: Path) -> list[dict[str, Any]]:
    """decode_index() on a built site's files: search/index.json, details/*.json and text/*.json."""
    folder = Path(output) / "search"

    def shards(name: str) -> list[dict[str, Any]]:
        return [json.loads(path.read_text(encoding="utf-8")) for path in (folder / name).glob("*.json")]

    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return decode_index(index, shards("details"), shards("text"))


def _decode_location(encoded: list[Any], place: list[Any], towns: list[list[Any]]) -> dict[str, Any]:
    d_lat, d_lon, town, hours = _pad(encoded, [None, None, 0, []])
    town_name, lat, lon = _pad(towns[town], ["", None, None])
    name, address, postcode, texts = _pad(place, ["", "", "", []])
    located = d_lat is not None and d_lon is not None
    return {
        "name": name,
        "address": address,
        "town": town_name,
        "postcode": postcode,
        "lat": (lat + d_lat) / E4 if located else None,
        "lon": (lon + d_lon) / E4 if located else None,
        "hours": _decode_hours(hours, texts),
    }


def _decode_hours(flat: list[int], texts: list[Any], *, online: bool = False) -> list[dict[str, Any]]:
    """search_hours() records from the index's [days, opens, closes, …] and the details' rows."""
    days = list(DAY_BITS)
    decoded = []
    for i in range(0, len(flat), 3):
        text, note, join_phone, join_url, join_notes = _pad(texts[i // 3] if i // 3 < len(texts) else [], [""] * 5)
        decoded.append({
            "days": _codes(flat[i], days), "opens": _clock(flat[i + 1]), "closes": _clock(flat[i + 2]),
            "note": note, "text": text, "join_phone": join_phone, "join_url": join_url if online else "",
            "join_notes": join_notes if online else "",
        })
    return decoded


def _codes(mask: int, vocabulary: list[str]) -> list[str]:
    return [code for bit, code in enumerate(vocabulary) if mask & (1 << bit)]


def _pad(row: list[Any], defaults: list[Any]) -> list[Any]:
    """A trimmed row filled back out to full length (nulls become the default, too)."""
    return [row[i] if i < len(row) and row[i] is not None else default for i, default in enumerate(defaults)]


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
