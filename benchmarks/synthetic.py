"""Seeded synthetic listings for benchmarks: N schema-valid YAML files with real postcodes (placed
offline from the ONS data, so a build never touches the network), an empty geocode cache and a
Pelican settings file to build them.

    python -m benchmarks.synthetic 10000 /tmp/synthetic    # prints the settings file's path
    .venv/bin/pelican -s /tmp/synthetic/pelicanconf_synthetic.py -o /tmp/synthetic-out

Every listing is fictional and says so: names end "(synthetic)", web and email addresses are on
example.org and phone numbers come from Ofcom's drama ranges. Postcode districts are real
(uk_districts.py) and each postcode is a real one from the ONS data in that district, so the
build places it offline like any listing's (a few listings carry their own `coordinates:`).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import random
import shutil
import sys
from functools import cache
from pathlib import Path
from typing import Any

from recovery_directory.clock import today
from recovery_directory.geocoding import ons_postcodes
from recovery_directory.listing.listing_yaml import listing_yaml
from recovery_directory.listing.schema import labels
from recovery_directory.listing.text import slugify
from recovery_directory.settings import derived_settings_source

from .uk_districts import DISTRICTS, DRAMA_PHONE_PREFIXES, District

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SETTINGS_NAME = "pelicanconf_synthetic.py"
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in a postcode's inward half

# Invented first words, so no name is a real organisation's (all also carry "(synthetic)").
NAME_WORDS = (
    "Juniper", "Kestrel", "Willow", "Heron", "Larch", "Bramble", "Thistle", "Rowan", "Linnet",
    "Alder", "Hazel", "Marigold", "Foxglove", "Sorrel", "Wren", "Lapwing", "Meadow", "Aspen",
    "Curlew", "Damson", "Elder", "Fern", "Gorse", "Holly", "Ivy", "Kingfisher", "Lark", "Mallow",
    "Nettle", "Oriel", "Plover", "Quarry Hill", "Redwing", "Saltire", "Teasel", "Umber", "Vetch",
)
TYPE_NAMES = {
    "lero": ["Recovery Community", "Recovery Collective", "Lived Experience Network"],
    "mutual_aid": ["Mutual Aid Meetings", "Peer Support Circle", "Recovery Fellowship Group"],
    "recovery_housing": ["Recovery Homes", "Recovery Housing Project"],
    "collegiate_recovery": ["Student Recovery Community", "Campus Recovery Programme"],
    "recovery_community_centre": ["Recovery Café", "Recovery Hub", "Community Recovery Centre"],
    "community_support_24_7": ["Recovery Line", "Round-the-Clock Support"],
    "recovery_coaching": ["Recovery Coaching", "Peer Mentoring Project"],
    "family_support": ["Families Together", "Family and Carer Support"],
    "harm_reduction": ["Harm Reduction Drop-in", "Needle and Syringe Service"],
    "treatment": ["Day Treatment Programme", "Community Treatment Service"],
    "education_employment": ["Recovery Skills Project", "Recovery Works"],
}
TYPE_WEIGHTS = {
    "lero": 14, "mutual_aid": 22, "recovery_housing": 6, "collegiate_recovery": 2,
    "recovery_community_centre": 12, "community_support_24_7": 2, "recovery_coaching": 10,
    "family_support": 9, "harm_reduction": 7, "treatment": 10, "education_employment": 6,
}
STREETS = (
    "High Street", "Station Road", "Church Street", "Market Place", "Victoria Road", "Mill Lane",
    "Park Road", "King Street", "Queen Street", "New Road", "Albert Road", "Chapel Street",
    "Bridge Street", "North Road", "Green Lane", "West Street", "Union Street", "Castle Street",
)
VENUES = ("Community Centre", "Methodist Church Hall", "Library meeting room", "Recovery House",
          "Health Centre", "Quaker Meeting House", "Youth and Community Hub", "Resource Centre")
OPENINGS = (
    "We are a peer-led service run by people who know recovery from the inside.",
    "Everyone is welcome, whether you are thinking about cutting down, newly in recovery or years along the road.",
    "The service started when a small group of people in recovery wanted somewhere to go that was not a pub.",
    "We work alongside local treatment services, GPs and housing teams so nobody falls between the gaps.",
)
MIDDLES = (
    "Sessions are relaxed and informal. You can talk, listen or just have a cup of tea; nobody has to share.",
    "Volunteers with lived experience meet new members, show them round and stay in touch in the first weeks.",
    "Family members and carers can come to their own group, which meets at the same time in a separate room.",
    "We also run walking groups, cooking on a budget, art sessions and a monthly recovery breakfast.",
    "If you are waiting for treatment, we can help you get ready and keep going while you wait.",
    "Our coaches help with the practical things too: benefits, debt, housing forms and getting back to work.",
    "Meetings follow a simple format and start on time, and there is always a quiet space if you need a break.",
)
LIST_ITEMS = (
    "drop in, no appointment needed", "free tea, coffee and toast", "one-to-one time with a peer mentor",
    "help to register with a GP or dentist", "volunteering and training opportunities",
    "sober social events at weekends", "a safe, judgement-free space", "signposting to specialist services",
    "online meetings for people who cannot travel", "support for people leaving prison",
)
REFERRAL_HOWS = (
    "Phone or walk in during opening hours. GPs and other professionals can email a referral.",
    "Fill in the short form on our website or ask your key worker to refer you with your consent.",
    "Come along to any session; there is no waiting list. Professionals can phone the team first.",
    "Self-referral by phone. Probation, housing and health workers can use the referral form.",
)


def generate(n: int, root: Path, seed: int = 1) -> Path:
    """Write `n` listings to root/content/organisations/, an empty root/geocoding/cache.json (the
    offline data places every postcode) and a settings file; return the settings file's path."""
    root = Path(root).resolve()
    listings = root / "content" / "organisations"
    if listings.exists():
        shutil.rmtree(listings)
    listings.mkdir(parents=True)
    _copy_content_pages(root / "content")
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    taken: set[str] = set()
    for index in range(n):
        slug, listing = _listing(rng, index, taken)
        (listings / f"{slug}.yaml").write_text(_to_yaml(listing), encoding="utf-8")
    write_cache(root / "geocoding" / "cache.json", {})
    return write_settings(root)


def write_cache(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    """The same layout as geocoding/cache.json: sorted keys, one entry per line, keys sorted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(entries[key], sort_keys=True, ensure_ascii=False)}"
        for key in sorted(entries)
    ]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n" if lines else "{}\n", encoding="utf-8")


def write_settings(root: Path) -> Path:
    """Settings that import the project's pelicanconf.py and point it at the synthetic content.
    Pelican resolves relative paths against the settings file, so every path here is absolute."""
    path = root / SETTINGS_NAME
    overrides = {
        "PATH": str(root / "content"),
        "GEOCODE_CACHE_PATH": str(root / "geocoding" / "cache.json"),
        "THEME": str(PROJECT_ROOT / "theme"),
        "PLUGIN_PATHS": [str(PROJECT_ROOT / "plugins")],
        "NODE_MODULES_PATH": str(PROJECT_ROOT / "node_modules"),
        "OUTPUT_PATH": str(root / "output"),
    }
    doc = f"Build the synthetic listings in {root} with the project's real settings (benchmarks/synthetic.py)."
    path.write_text(derived_settings_source(PROJECT_ROOT / "pelicanconf.py", overrides, doc), encoding="utf-8")
    return path


def _copy_content_pages(content: Path) -> None:
    """The real About, Privacy … pages, so the synthetic site has every page type."""
    source = PROJECT_ROOT / "content" / "pages"
    if source.is_dir():
        shutil.copytree(source, content / "pages", dirs_exist_ok=True)


def _listing(rng: random.Random, index: int, taken: set[str]) -> tuple[str, dict]:
    types = _weighted_sample(rng, TYPE_WEIGHTS, rng.choices((1, 2, 3), weights=(60, 32, 8))[0])
    online_only = rng.random() < 0.12
    home = rng.choice(DISTRICTS)
    districts = [] if online_only else [home] + _nearby(rng, home, rng.choices((0, 1, 2), weights=(75, 18, 7))[0])
    place = "Online" if online_only else home.town
    base_name = f"{rng.choice(NAME_WORDS)} {rng.choice(TYPE_NAMES[types[0]])} {place}"
    slug = slugify(base_name)
    number = 1
    while (slug if number == 1 else f"{slug}-{number}") in taken:
        number += 1
    name = base_name if number == 1 else f"{base_name} {number}"
    slug = slug if number == 1 else f"{slug}-{number}"
    taken.add(slug)

    region = "NATIONAL" if online_only else home.region
    listing: dict[str, Any] = {
        "name": f"{name} (synthetic)",
        "types": types,
        "summary": _summary(rng, types, place),
        "description": _description(rng, slug),
    }
    if rng.random() < 0.07:
        listing["status"] = rng.choice(("temporarily_closed", "closed", "closed"))
    if rng.random() < 0.7:
        listing["lived_experience_led"] = rng.random() < 0.8
    if "lero" in types and rng.random() < 0.5:
        listing["memberships"] = ["clero"]
    listing["website"] = f"https://example.org/{slug}"
    if rng.random() < 0.85:
        listing["email"] = f"{rng.choice(('hello', 'info', 'referrals', 'team'))}@example.org"
    listing["phones"] = [
        {"number": _drama_number(rng, region), **({"description": _phone_note(rng)} if rng.random() < 0.6 else {})}
        for _ in range(rng.choices((0, 1, 2), weights=(10, 75, 15))[0])
    ] or None
    if rng.random() < 0.4:
        scheme = rng.choice(("GB-CHC", "GB-CHC", "GB-COH", "GB-SC" if region in ("EDI", "GLA") else "GB-CHC"))
        listing["identifiers"] = [{"scheme": scheme, "id": f"{rng.randint(1_000_000, 1_199_999)}"}]
    if rng.random() < 0.75:
        listing["audiences"] = rng.sample(list(labels("audiences")), rng.choices((1, 2, 3), weights=(50, 35, 15))[0])
    substance_count = rng.choices((1, 2, 3, 4), weights=(25, 45, 15, 15))[0]
    listing["substances"] = rng.sample(list(labels("substances")), substance_count)
    listing["cost"] = rng.choices(("free", "donation", "fee"), weights=(70, 20, 10))[0]
    attendance = ["in_person"] if districts else []
    attendance += [mode for mode in ("online", "phone") if rng.random() < (0.9 if online_only else 0.3)]
    listing["attendance"] = attendance or ["online"]
    if "community_support_24_7" in types:
        listing["open_24_7"] = True
    listing["referral"] = {
        "self": rng.random() < 0.85,
        "professional": rng.random() < 0.8,
        "how": rng.choice(REFERRAL_HOWS),
        **({"url": f"https://example.org/{slug}/refer"} if rng.random() < 0.4 else {}),
    }
    listing["areas_served"] = ["national"] if online_only else sorted({d.local_authority for d in districts})
    if districts:
        listing["locations"] = [_location(rng, district) for district in districts]
    listing["last_verified"] = (today() - dt.timedelta(days=int(rng.triangular(0, 700, 60)))).isoformat()
    if rng.random() < 0.15:
        listing["review_every_months"] = rng.choice((6, 18, 24))
    if rng.random() < 0.3:
        listing["maintainers"] = [f"example-{slug[:30].rstrip('-')}"]
    return slug, {key: value for key, value in listing.items() if value is not None}


def _weighted_sample(rng: random.Random, weights: dict[str, int], count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        pick = rng.choices(list(weights), weights=list(weights.values()))[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _nearby(rng: random.Random, home: District, count: int) -> list[District]:
    """Other districts in the same region (or the same one again), for second and third sites."""
    same_region = [d for d in DISTRICTS if d.region == home.region]
    return [rng.choice(same_region) for _ in range(count)]


def _summary(rng: random.Random, types: list[str], place: str) -> str:
    kind = labels("types")[types[0]].lower()
    where = "across the UK, online and by phone" if place == "Online" else f"in and around {place}"
    who = rng.choice(("anyone affected by alcohol or drugs", "people in or seeking recovery",
                      "adults and families affected by addiction", "people who want to make a change"))
    return f"A {kind} for {who}, {where}."[:160]


def _description(rng: random.Random, slug: str) -> str:
    parts = ["*Synthetic benchmark listing: this organisation and its details are invented.*",
             rng.choice(OPENINGS)]
    parts += rng.sample(MIDDLES, rng.randint(1, 4))
    if rng.random() < 0.7:
        items = rng.sample(LIST_ITEMS, rng.randint(2, 5))
        parts.append("What you can expect:\n\n" + "\n".join(f"- {item}" for item in items))
    if rng.random() < 0.6:
        parts.append(f"Read more [about our sessions](https://example.org/{slug}/sessions) or **just come along**.")
    return "\n\n".join(parts) + "\n"


def _phone_note(rng: random.Random) -> str:
    return rng.choice(("Mon–Fri 9am–5pm", "Answered by volunteers, evenings", "24 hours", "Referrals line",
                       "Leave a message and we will call back"))


def _drama_number(rng: random.Random, region: str) -> str:
    prefix = DRAMA_PHONE_PREFIXES[region]
    digits_left = 11 - sum(ch.isdigit() for ch in prefix)
    return prefix + f"{rng.randrange(10 ** digits_left):0{digits_left}d}"


def real_postcode(rng: random.Random, district: District) -> str:
    """A postcode in `district` that the ONS data places (also used by benchmarks/import_feed.py)."""
    return rng.choice(_real_postcodes(district.outcode))


def _location(rng: random.Random, district: District) -> dict[str, Any]:
    postcode = real_postcode(rng, district)  # placed offline from the ONS data
    lat = round(district.lat + rng.uniform(-0.012, 0.012), 4)
    lon = round(district.lon + rng.uniform(-0.018, 0.018), 4)
    location: dict[str, Any] = {}
    if rng.random() < 0.7:
        location["name"] = rng.choice(VENUES)
    location["address"] = f"{rng.randint(1, 240)} {rng.choice(STREETS)}"
    location["town"] = district.town
    location["postcode"] = postcode
    if rng.random() < 0.03:  # a contributor's own pin, which wins over the postcode
        location["coordinates"] = {"lat": lat, "lon": lon}
    if rng.random() < 0.8:
        location["accessibility"] = rng.sample(list(labels("accessibility")), rng.randint(1, 4))
    hours = [_hours(rng) for _ in range(rng.choices((0, 1, 2, 3), weights=(10, 45, 35, 10))[0])]
    location["hours"] = _without_repeats(hours) or None
    return {key: value for key, value in location.items() if value is not None}


@cache
def _real_postcodes(outcode: str) -> list[str]:
    """The outcode's postcodes that the ONS data can place, in its own order (so a seed repeats)."""
    shard = ons_postcodes.shard(outcode[0])
    prefix = f"{outcode:<4}"
    # A letter's postcodes are sorted: the outcode's are one run, found by bisection rather than
    # a scan of the letter's ~300,000 for each district.
    start = bisect.bisect_left(shard.pcd, prefix)
    end = bisect.bisect_left(shard.pcd, prefix + "\U0010ffff", lo=start)
    found = [
        ons_postcodes.from_ons_form(shard.pcd[i])
        for i in range(start, end)
        if shard.east[i] == shard.east[i] and isinstance(shard.laua[i], str)  # east == east: not NaN
    ]
    if not found:
        raise ValueError(f"uk_districts.py names {outcode}, which has no placed postcode in the ONS data")
    return found


def _without_repeats(hours: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop an entry that repeats a session already listed (same day, times and note): a real listing
    doesn't list one session twice, and a meeting feed can't tell the two apart."""
    seen: set[tuple[str, str, str, str]] = set()
    kept = []
    for entry in hours:
        sessions = {(day, entry["opens"], entry["closes"], entry.get("note", "")) for day in entry["days"]}
        if not sessions & seen:
            kept.append(entry)
            seen |= sessions
    return kept


def _hours(rng: random.Random) -> dict[str, Any]:
    days = rng.choice((["mon", "tue", "wed", "thu", "fri"], ["sat"], ["sun"], ["tue", "thu"],
                       [rng.choice(("mon", "tue", "wed", "thu", "fri"))]))
    opens = rng.choice((9, 10, 12, 13, 17, 18, 19))
    closes = min(opens + rng.choice((1, 2, 3, 8)), 24)
    hours = {"days": days, "opens": f"{opens:02d}:{rng.choice(('00', '30'))}", "closes": f"{closes:02d}:00"}
    if rng.random() < 0.4:
        hours["note"] = rng.choice(("Drop-in", "Peer support meeting", "SMART Recovery meeting",
                                    "Family group", "Women's group", "Recovery breakfast"))
    return hours


def _to_yaml(listing: dict[str, Any]) -> str:
    return listing_yaml(listing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N synthetic listings and a settings file to build them.")
    parser.add_argument("n", type=int, help="how many listings")
    parser.add_argument("directory", type=Path, help="where to write content/, geocoding/ and the settings file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(generate(args.n, args.directory, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
