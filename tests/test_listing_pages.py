"""listing_pages.PageRenderer renders a listing's page from base.html's frame (rendered once) and the
`organisation` template's blocks: the same text, byte for byte, as the template rendered whole
with the context Pelican's writer gives a page, for every sample listing and every kind of page;
and whole pages when the frame would read something of the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from pelican.generators import Generator
from pelican.settings import read_settings
from recovery_directory.directory import load_directory
from recovery_directory.fingerprints import fingerprint_theme_static_dir
from recovery_directory.listing_pages import TEMPLATE, ListingPage, PageRenderer
from recovery_directory.settings import apply_defaults
from recovery_directory.templating import template_helpers
from site_tools import ROOT
from test_cards import sample_organisations


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", "2026-11-01")


def theme_generator(tmp_path: Path, relative: bool) -> Generator:
    """A generator with the site's settings, template filters and globals, as a build has them."""
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"RELATIVE_URLS": relative})
    apply_defaults(settings)
    fingerprint_theme_static_dir(settings)
    filters, globals_ = template_helpers(settings)
    settings.setdefault("JINJA_FILTERS", {}).update(filters)
    settings.setdefault("JINJA_GLOBALS", {}).update(globals_)
    context = settings.copy()
    listings = sorted((ROOT / "content" / "organisations").glob("*.yaml"))
    context["directory"] = load_directory(listings, ROOT).directory
    return Generator(context, settings, settings["PATH"], settings["THEME"], str(tmp_path))


def every_kind_of_listing() -> list:
    """The samples with test_cards' variants (closed, stale, hostile text …) and the valid fixtures
    (every field, online sessions with join links and dial-in numbers, identifiers …)."""
    fixtures = sorted((ROOT / "tests" / "listings" / "valid").glob("*.yaml"))
    return sample_organisations() + load_directory(fixtures, ROOT).directory.organisations


@pytest.mark.parametrize("relative", [True, False])
def test_each_listing_page_is_the_whole_templates_text(tmp_path: Path, relative: bool) -> None:
    generator = theme_generator(tmp_path, relative)
    template = generator.get_template(TEMPLATE)
    renderer = PageRenderer(template, generator.context, relative)
    for org in every_kind_of_listing():
        name = f"{org.url}index.html"
        page = renderer.render(name, org)
        assert renderer.pieces is not None, "the frame was not used"
        assert renderer.python is not None, "the blocks were not drawn in Python"
        assert page == template.render(renderer.localcontext(name, ListingPage(org))), org.slug


def test_a_frame_that_reads_the_page_is_not_used(tmp_path: Path) -> None:
    env = Environment(
        loader=DictLoader({
            "base.html": "<title>{% block title %}{% endblock %}</title>{{ output_file }}|"
            "{% block content %}{% endblock %}",
            "organisation.html": '{% extends "base.html" %}{% set org = page.organisation %}'
            "{% block title %}{{ org.name }}{% endblock %}{% block content %}{{ org.summary }}{% endblock %}",
        }),
        autoescape=True,
    )
    template = env.get_template("organisation.html")
    orgs = sample_organisations()[:3]
    renderer = PageRenderer(template, {"SITEURL": ""}, True)
    for org in orgs:
        name = f"{org.url}index.html"
        assert renderer.render(name, org) == template.render(renderer.localcontext(name, ListingPage(org)))
    assert renderer.pieces is None
