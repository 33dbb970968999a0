"""cards.py draws the index pages' listing cards in Python: it must give exactly the HTML of the
`listing_card` macro (theme/templates/partials/listing_card.html), its reference, for every kind
of card and listing, hostile text included."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from jinja2 import Environment, FileSystemLoader
from recovery_directory.cards import card_html, embed_item_html, listing_cards
from recovery_directory.directory import load_directory
from recovery_directory.listing.model import Phone, Referral
from recovery_directory.listing.text import long_date
from recovery_directory.templating import label
from site_tools import ROOT


def macro_env() -> Environment:
    """The theme's Jinja settings (pelicanconf.JINJA_ENVIRONMENT) and the filters the macro uses."""
    env = Environment(
        loader=FileSystemLoader(ROOT / "theme" / "templates"), trim_blocks=True, lstrip_blocks=True, autoescape=True,
    )
    env.filters["label"] = label
    env.filters["long_date"] = long_date
    env.globals["listing_cards"] = listing_cards
    return env


def sample_organisations() -> list:
    listings = sorted((ROOT / "content" / "organisations").glob("*.yaml"))
    organisations = load_directory(listings, ROOT).directory.organisations
    first = organisations[0]
    hostile = "<script>alert('x')</script> & \"quotes\""
    stale = dataclasses.replace(first, last_verified=first.last_verified - dt.timedelta(days=5 * 365))
    variants = [
        stale,
        dataclasses.replace(first, name=hostile, summary=hostile, status="temporarily_closed", open_24_7=True),
        dataclasses.replace(first, locations=(), areas_served=("national",), attendance=("in_person",)),
        dataclasses.replace(first, locations=(), areas_served=("Leeds",), attendance=(), phones=()),
        dataclasses.replace(
            first,
            phones=(Phone("1", "0113 496 0000", "tel:+44-113-496-0000", hostile), Phone("2", "0113 496 0001", "tel:2")),
            referral=Referral(True, True, hostile, ""),
        ),
        dataclasses.replace(first, referral=Referral(False, False, "", "")),
        dataclasses.replace(first, referral=Referral(False, True, "", "")),
        dataclasses.replace(first, status="closed"),
    ]
    return [*organisations, *variants]


@pytest.mark.parametrize("siteurl", ["..", "../..", "https://directory.example.org"])
@pytest.mark.parametrize(("heading", "referrer"), [("h3", False), ("h2", False), ("h2", True)])
def test_each_card_is_the_macros_html_byte_for_byte(siteurl, heading, referrer):
    macro = macro_env().get_template("partials/listing_card.html").make_module({"SITEURL": siteurl}).listing_card
    for org in sample_organisations():
        assert card_html(org, heading, referrer, siteurl) == str(macro(org, heading, referrer)), org.slug


def test_the_list_macro_draws_its_cards_as_the_card_macro_did():
    module = macro_env().get_template("partials/listing_card.html").make_module({"SITEURL": "../.."})
    organisations = sample_organisations()
    cards = "".join(str(module.listing_card(org, "h2", True)) for org in organisations)
    assert str(module.listing_list(organisations, "h2", referrer=True)) == f'<ul class="cards">\n{cards}</ul>\n'


def test_cards_escape_text_exactly_as_markupsafe_does():
    from markupsafe import Markup, escape
    from recovery_directory.cards import escape as card_escape

    text = "".join(map(chr, range(32, 127))) + "é – \u2028"
    assert card_escape(text) == str(escape(text))
    assert card_escape(None) == str(escape(None)) and card_escape(Markup("<b>")) == "<b>"


@pytest.mark.parametrize("siteurl", ["../../..", "https://directory.example.org"])
def test_each_embed_item_is_the_macros_html_byte_for_byte(siteurl):
    macro = macro_env().get_template("partials/embed_item.html").make_module({"SITEURL": siteurl}).embed_item
    organisations = sample_organisations()
    assert any(org.is_stale for org in organisations) and not all(org.is_stale for org in organisations)
    for org in organisations:
        assert embed_item_html(org, siteurl) == str(macro(org)), org.slug
