"""listing_pages.PageRenderer renders a listing's page from base.html's frame (rendered once) and the
`organisation` template's blocks: the same text, byte for byte, as the template rendered whole
with the context Pelican's writer gives a page, for every sample listing and every kind of page;
and whole pages when the frame would read something of the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from pelican.generators import Generator
from pelican.settings import read_settings
from recovery_directory.directory import load_directory
from recovery_directory.fingerprints import fingerprint_theme_static_dir
from recovery_directory.listing_page_html import MIRRORED_DIGEST, MIRRORED_TEMPLATES, templates_digest
from recovery_directory.listing_pages import TEMPLATE, ListingPage, PageRenderer
from recovery_directory.settings import apply_defaults
from recovery_directory.templating import template_helpers
from site_tools import ROOT
from test_cards import sample_organisations


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOVERY_DIRECTORY_TODAY", "2026-11-01")


def theme_generator(tmp_path: Path, relative: bool, theme: Path | None = None) -> Generator:
    """A generator with the site's settings, template filters and globals, as a build has them."""
    override = {"RELATIVE_URLS": relative, **({"THEME": str(theme)} if theme else {})}
    settings = read_settings(str(ROOT / "pelicanconf.py"), override=override)
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


def test_the_mirrored_templates_are_the_ones_the_python_blocks_were_written_for(tmp_path: Path) -> None:
    environment = theme_generator(tmp_path, True).env
    assert templates_digest(environment) == MIRRORED_DIGEST, (
        f"{', '.join(MIRRORED_TEMPLATES)} in theme/templates changed: make the same change in "
        "plugins/recovery_directory/listing_page_html.py, check that "
        "test_each_listing_page_is_the_whole_templates_text passes, then set MIRRORED_DIGEST there to "
        f"{templates_digest(environment)!r}. Until then every listing page is rendered by the template."
    )


def test_an_edited_template_is_used_for_every_page_even_where_the_first_page_agrees(tmp_path: Path) -> None:
    """An edit only a closed service's page shows: the first (open) listing's page would agree with
    the Python blocks, so only the templates' digest can tell the template was changed."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    source = (theme / "templates" / "organisation.html").read_text(encoding="utf-8")
    edited = source.replace("This page is kept so old links still work.", "This page is kept for old links.")
    assert edited != source
    (theme / "templates" / "organisation.html").write_text(edited, encoding="utf-8")
    generator = theme_generator(tmp_path / "out", True, theme)
    template = generator.get_template(TEMPLATE)
    renderer = PageRenderer(template, generator.context, True)
    orgs = sorted(every_kind_of_listing(), key=lambda org: org.status == "closed")  # the closed ones last
    assert orgs[0].status != "closed" and orgs[-1].status == "closed"
    for org in orgs:
        name = f"{org.url}index.html"
        page = renderer.render(name, org)
        assert renderer.python is None, "the Python blocks were used for an edited template"
        assert page == template.render(renderer.localcontext(name, ListingPage(org))), org.slug
    assert "This page is kept for old links." in page
