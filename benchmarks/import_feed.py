"""Import benchmark: a synthetic Meeting Guide feed the size of the UK's AA list (4,461 meetings
in one public count, August 2026), imported into an empty project, imported again (nothing may
change), then the resulting site built and checked for lost listings.

    python -m benchmarks.import_feed              # 5,000 meetings
    python -m benchmarks.import_feed --n 1000

The target (issue #19): importing 5,000 meetings takes at most 30 s. Every meeting, group and
address is invented; the postcodes are real ones from the ONS data, as the synthetic listings' (synthetic.py).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path
from typing import Any

from .run import DEFAULT_WORKDIR, checked, pelican, timed
from .synthetic import NAME_WORDS, STREETS, VENUES, _copy_content_pages, real_postcode, write_cache, write_settings
from .uk_districts import DISTRICTS

TARGET_SECONDS = 30.0
MEETING_NAMES = (
    "Serenity",
    "New Beginnings",
    "Keep It Simple",
    "Step Study",
    "Big Book",
    "Friday Night Live",
    "Lunchtime",
    "Early Risers",
    "Women's Meeting",
    "Men's Meeting",
    "Beginners",
    "Reflections",
)
TYPES = ("O", "C", "D", "SP", "B", "ST", "BE", "W", "M", "X", "XB", "LGBTQ")


def synthetic_feed(n: int, seed: int) -> list[dict[str, Any]]:
    """`n` meetings in groups of 1 to 6; about 1 in 8 groups meets only online, 1 in 10 meetings is hybrid."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data
    feed: list[dict[str, Any]] = []
    group_number = 0
    while len(feed) < n:
        group_number += 1
        district = rng.choice(DISTRICTS)
        group = f"{rng.choice(NAME_WORDS)} {district.town} Group {group_number} (synthetic)"
        online_only = rng.random() < 0.12
        postcode = real_postcode(rng, district)
        lat = round(district.lat + rng.uniform(-0.012, 0.012), 4)
        lon = round(district.lon + rng.uniform(-0.018, 0.018), 4)
        venue = {
            "location": rng.choice(VENUES),
            "address": f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
            "city": district.town,
            "postal_code": postcode,
            "country": "UK",
            "latitude": lat,
            "longitude": lon,
        }
        for _ in range(min(rng.randint(1, 6), n - len(feed))):
            hour = rng.choice((7, 10, 12, 13, 18, 19, 20))
            meeting = {
                "name": f"{rng.choice(MEETING_NAMES)} {len(feed) + 1}",
                "slug": f"meeting-{len(feed) + 1}",
                "day": rng.randrange(7),
                "time": f"{hour:02d}:{rng.choice(('00', '30'))}",
                "end_time": f"{hour + 1:02d}:30",
                "timezone": "Europe/London",
                "group": group,
                "types": sorted(rng.sample(TYPES, rng.randint(1, 3))),
                "updated": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 12:00:00",
                "url": f"https://example.org/meetings/meeting-{len(feed) + 1}/",
            }
            if online_only:
                meeting.update(
                    {
                        "formatted_address": f"{district.town}, UK",
                        "approximate": "yes",
                        "conference_url": f"https://zoom.us/j/{1_000_000_000 + len(feed)}",
                    }
                )
            else:
                meeting.update(venue)
                if rng.random() < 0.1:
                    meeting["conference_url"] = f"https://zoom.us/j/{2_000_000_000 + len(feed)}"
            feed.append(meeting)
    return feed


def measure(n: int, workdir: Path, seed: int = 1) -> dict[str, Any]:
    root = workdir / f"import-{n}"
    shutil.rmtree(root, ignore_errors=True)
    (root / "content" / "organisations").mkdir(parents=True)
    _copy_content_pages(root / "content")
    feed = root / "meetings.json"
    feed.write_text(json.dumps(synthetic_feed(n, seed)), encoding="utf-8")
    write_cache(root / "geocoding" / "cache.json", {})  # the offline ONS data places every postcode
    settings = write_settings(root)
    logs = root / "logs"
    logs.mkdir()
    command = [
        sys.executable,
        "-m",
        "recovery_directory.cli",
        "import",
        "meeting-guide",
        str(feed),
        "--settings",
        str(settings),
    ]
    first = checked(timed(command, logs / "import-1.log"), "first import")
    second = checked(timed(command, logs / "import-2.log"), "second import")
    listings = len(list((root / "content" / "organisations").glob("*.yaml")))
    unchanged = f"0 added, 0 updated, {listings} unchanged." in (logs / "import-2.log").read_text(encoding="utf-8")
    validate = checked(
        timed(
            [sys.executable, "-m", "recovery_directory.cli", "validate", "--settings", str(settings)],
            logs / "validate.log",
        ),
        "validate",
    )
    build = checked(timed(pelican(settings, root / "output"), logs / "build.log"), "build")
    from .invariants import check_site

    lost = check_site(root / "output", root / "content" / "organisations")
    if lost:
        raise SystemExit("The built site lost listings:\n" + "\n".join(lost))
    return {
        "meetings": n,
        "listings": listings,
        "first": first,
        "second": second,
        "second_unchanged": unchanged,
        "validate": validate,
        "build": build,
    }


def report(result: dict[str, Any]) -> str:
    rows = [
        ("Meetings in the feed", f"{result['meetings']:,}"),
        ("Listings written (one per group)", f"{result['listings']:,}"),
        ("First import (CPU / wall s)", f"{result['first'].seconds:.1f} / {result['first'].wall:.1f}"),
        (
            "Second import, nothing changed (CPU / wall s)",
            f"{result['second'].seconds:.1f} / {result['second'].wall:.1f}"
            + ("" if result["second_unchanged"] else " (CHANGED FILES)"),
        ),
        ("validate, all listings (CPU / wall s)", f"{result['validate'].seconds:.1f} / {result['validate'].wall:.1f}"),
        ("Site build (CPU / wall s)", f"{result['build'].seconds:.1f} / {result['build'].wall:.1f}"),
    ]
    return "| | |\n| --- | --- |\n" + "\n".join(f"| {name} | {value} |" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args(argv)
    result = measure(args.n, args.workdir)
    print(report(result))
    ok = result["first"].wall <= TARGET_SECONDS and result["second_unchanged"]
    print(
        f"\nTarget: import {args.n:,} meetings in at most {TARGET_SECONDS:.0f} s (wall): {'met' if ok else 'NOT MET'}."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
