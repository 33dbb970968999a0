"""What a text query should find, worked out in Python from the listing files themselves (not
from the built index): every searchable field's words, and the search page's matching rules —
every query word must start a word of the listing (in the long text — description, how to
refer, opening-hours notes, languages, addresses — words of up to 3 letters must be the whole
word), or (words of 5+ letters) be one edit away from one; stop words are ignored. Used by the
table-driven query tests."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from recovery_directory.exports.search_index import ALSO_KNOWN_AS
from recovery_directory.geocoding import ons_postcodes
from recovery_directory.geocoding.authorities import NATION_ORDER, NATIONS, authorities, resolve
from recovery_directory.listing.loader import load_listing
from recovery_directory.listing.schema import labels
from recovery_directory.outputs.search import NATION_WORDS, REFERRAL_WORDS, SEARCH_WORDS

STOP_WORDS = {"a", "an", "and", "at", "by", "for", "in", "me", "near", "of", "on", "or", "the", "to", "with"}
LABELLED = {"types": "types", "substances": "substances", "audiences": "audiences", "attendance": "attendance"}
# Links and web addresses in descriptions are not words a reader sees.
MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)]*\)")
WEB_ADDRESS = re.compile(r"<?(?:https?://|www\.)\S+")


def fold(text: str) -> str:
    lower = text.lower()
    return "".join(ch for ch in unicodedata.normalize("NFD", lower) if not unicodedata.category(ch).startswith("M"))


def words(text: str) -> list[str]:
    """Split where the page splits (spaces, line breaks, punctuation), folded, stop words out."""
    found, current = [], []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\n\r" or category.startswith(("Z", "P")):
            found.append("".join(current))
            current = []
        else:
            current.append(ch)
    found.append("".join(current))
    return [fold(word) for word in found if word and fold(word) not in STOP_WORDS]


def label_text(vocabulary: str, code: str) -> str:
    return f"{labels(vocabulary)[code]} {SEARCH_WORDS.get(vocabulary, {}).get(code, '')}"


def listing_texts(data: dict[str, Any]) -> tuple[str, str]:
    """What a GP's words are matched against, from one listing's YAML: (names, summaries, labels,
    towns and areas; the long text)."""
    parts = [data["name"], data["summary"]]
    for field, vocabulary in LABELLED.items():
        parts += [label_text(vocabulary, code) for code in data.get(field, [])]
    if data.get("cost"):
        parts.append(label_text("cost", data["cost"]))
    parts += [words for kind, words in REFERRAL_WORDS.items() if (data.get("referral") or {}).get(kind)]
    parts += [area for area in data.get("areas_served", []) if area.casefold() != "national"]
    parts += [location["town"] for location in data.get("locations", [])]
    parts += [NATION_WORDS[nation] for nation in nations(data)]
    description = MARKDOWN_LINK_TARGET.sub("]", data.get("description", ""))
    long = [WEB_ADDRESS.sub(" ", description), (data.get("referral") or {}).get("how", "")]
    access = labels("accessibility")
    long += [access[code] for location in data.get("locations", []) for code in location.get("accessibility", [])]
    notes = [hours.get("note", "") for location in data.get("locations", []) for hours in location.get("hours") or []]
    said = " " + " ".join(words(" ".join([*long, *notes, *(labels("languages").get(str(c), str(c))
                                                           for c in data.get("languages", []))]))) + " "
    for key, also in ALSO_KNOWN_AS.items():  # "needle exchange" for a listing that says "syringe"
        if f" {key} " in said:
            long.append(also)
    long += [labels("languages").get(str(code), str(code)) for code in data.get("languages", [])]  # as the page says it
    for location in data.get("locations", []):
        long += [location.get("name", ""), location.get("address", ""), location.get("postcode", "")]
        long += [hours.get("note", "") for hours in location.get("hours") or []]
    return " ".join(filter(None, parts)), " ".join(filter(None, long))


def nations(data: dict[str, Any]) -> set[str]:
    """The nations a listing serves: all four for a national one or one with neither areas nor
    places, else its areas' nations and its places' (each postcode's council, from the ONS data)."""
    areas = data.get("areas_served", [])
    if any(area.casefold() == "national" for area in areas) or not (areas or data.get("locations")):
        return set(NATION_ORDER)
    found = {resolve(area).nation for area in areas}
    for location in data.get("locations", []):
        placed = ons_postcodes.find(location["postcode"].upper()) if location.get("postcode") else None
        if placed and placed[0]:
            found.add(NATIONS[placed[0][0]])
    return found


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def term_matches(term: str, vocabulary: set[str], long: set[str], corpus: set[str] = frozenset()) -> bool:
    """`corpus`: every listing's whole words. A word of up to 3 letters that is one of them
    matches only whole words ("men" is not "mentoring")."""
    if len(term) <= 3 and term in corpus:
        return term in vocabulary or term in long
    if any(word.startswith(term) for word in vocabulary) or term in long:
        return True
    if len(term) > 3 and any(word.startswith(term) for word in long):
        return True
    vocabulary = vocabulary | long
    if len(term) < 5:
        return False
    allowed = 1
    return any(abs(len(word) - len(term)) <= allowed and edit_distance(term, word) <= allowed for word in vocabulary)


class Listings:
    """The listed (not closed) organisations of a content folder, by slug."""

    def __init__(self, folder: Path) -> None:
        self.data = {}
        for path in sorted(folder.glob("*.yaml")):
            data = load_listing(path).data
            if data.get("status", "active") != "closed":
                self.data[path.stem] = data
        self.words = {}
        for slug, data in self.data.items():
            short, long = listing_texts(data)
            self.words[slug] = (set(words(short)), set(words(long)))
        self.corpus = set().union(*(short | long for short, long in self.words.values()))

    def matching(self, query: str) -> set[str]:
        terms = words(query)
        return {
            slug for slug, (short, long) in self.words.items()
            if all(term_matches(t, short, long, self.corpus) for t in terms)
        }

    def national(self, slug: str) -> bool:
        data = self.data[slug]
        areas = [area.casefold() for area in data.get("areas_served", [])]
        return "national" in areas or not (areas or data.get("locations"))

    def serves(self, slug: str, postcode: str) -> bool:
        """Whether the listing's areas served hold the council the postcode is in (ONS data)."""
        found = ons_postcodes.find(postcode)
        council = authorities()[found[0]] if found and found[0] else None
        return council is not None and any(resolve(area) == council for area in self.data[slug].get("areas_served", []))

    def commonest_town(self) -> str:
        towns: dict[str, int] = {}
        for data in self.data.values():
            for town in {location["town"] for location in data.get("locations", [])}:
                towns[town] = towns.get(town, 0) + 1
        return max(sorted(towns), key=towns.get)
