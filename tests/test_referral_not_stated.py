"""A listing that leaves out `referral:` (or its `self` or `professional`) doesn't say whether a
referral is needed, so no page, feed or file may say it for the organisation: "not stated", never
"no". One site is built for real with a listing of each kind; each case's expected words come
from the listing's own YAML."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from site_tools import ROOT, build_site

LISTINGS = {
    "no-referral-stated": """\
name: Govan Recovery Garden (sample listing)
types: [lero]
summary: A peer-led gardening group for people in recovery.
phones:
  - number: "0141 496 0123"
areas_served: [Glasgow City]
last_verified: 2026-09-01
""",
    "referral-how-only": """\
name: Cardiff Family Circle (sample listing)
types: [family_support]
summary: Support for families of people who use alcohol or drugs.
referral:
  how: Phone us to talk it through.
areas_served: [Cardiff]
last_verified: 2026-09-01
""",
    "referral-needed": """\
name: Leeds Structured Day Programme (sample listing)
types: [treatment]
summary: A structured day programme for adults.
referral:
  self: false
  professional: true
  how: GPs email referrals@example.org.
areas_served: [Leeds]
last_verified: 2026-09-01
""",
}
AREA = {"no-referral-stated": "glasgow-city", "referral-how-only": "cardiff", "referral-needed": "leeds"}
# What the listing says about self-referral: None when it leaves it out.
SELF = {"no-referral-stated": None, "referral-how-only": None, "referral-needed": False}
PROFESSIONAL = {"no-referral-stated": None, "referral-how-only": None, "referral-needed": True}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("referral")
    folder = base / "content" / "organisations"
    folder.mkdir(parents=True)
    for slug, text in LISTINGS.items():
        (folder / f"{slug}.yaml").write_text(text, encoding="utf-8")
    output = base / "output"
    modules = json.dumps(str(ROOT / "node_modules"))
    build_site(output, content=base / "content", extra=["-e", f"NODE_MODULES_PATH={modules}"])
    return output


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("slug", list(LISTINGS))
def test_the_listing_page_says_not_stated_only_where_the_listing_is_silent(site: Path, slug: str) -> None:
    panel = soup(site / "organisations" / slug / "index.html").find("section", attrs={"aria-labelledby": "refer"})
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in panel.find_all("dt")}
    words = {None: "Not stated: contact the service to ask", True: "Yes", False: "No"}
    assert facts["Self-referral"].startswith(words[SELF[slug]]), facts
    assert facts["Professional referral"].startswith(words[PROFESSIONAL[slug]]), facts


@pytest.mark.parametrize("slug", list(LISTINGS))
def test_area_pages_embeds_and_feeds_claim_no_referral_the_listing_does_not(site: Path, slug: str) -> None:
    area = soup(site / "areas" / AREA[slug] / "index.html").get_text(" ")
    embed = soup(site / "embed" / "areas" / AREA[slug] / "index.html").get_text(" ")
    feed = BeautifulSoup((site / "feeds" / "all.atom.xml").read_text(encoding="utf-8"), "xml")
    entry = next(e for e in feed.find_all("entry") if slug in e.find("link")["href"])
    content = BeautifulSoup(entry.find("content").get_text(), "html.parser").get_text(" ")
    if SELF[slug] is None:
        assert "referral is needed" not in area.casefold() and "Ask the service how to refer" in area
        assert "Needs a referral" not in embed and "Ask the service how to refer." in embed
        assert "can't refer" not in content and "doesn't say whether people can refer themselves" in content
    else:
        assert "A referral is needed" in area or "Professionals can refer" in area
        assert "Needs a referral" in embed
        assert "People can't refer themselves." in content


def test_open_data_leaves_unstated_referral_fields_empty(site: Path) -> None:
    document = json.loads((site / "data" / "organisations.json").read_text(encoding="utf-8"))
    records = {record["slug"]: record for record in document["organisations"]}
    table = (site / "data" / "organisations.csv").read_text(encoding="utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(table))}
    cell = {None: "", True: "yes", False: "no"}
    for slug in LISTINGS:
        assert records[slug]["referral"]["self"] is SELF[slug]
        assert records[slug]["referral"]["professional"] is PROFESSIONAL[slug]
        assert rows[slug]["self_referral"] == cell[SELF[slug]]
        assert rows[slug]["professional_referral"] == cell[PROFESSIONAL[slug]]
