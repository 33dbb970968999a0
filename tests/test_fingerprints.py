"""Content-addressed asset URLs (fingerprints.py, vendor.py): netlify.toml lets browsers
keep /theme/* and /vendor/* for a year, so a changed file must get a new URL, an unchanged one
the same URL, and every such URL a page links to must exist."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from recovery_directory.fingerprints import fingerprint_theme_static_dir, theme_static_hash
from recovery_directory.vendor import VENDOR_FILES, MissingAssets, folder_name, vendor_url
from site_tools import ROOT, build_site
from temp_project import make_project

FINGERPRINTED = re.compile(r"^(theme|vendor)/")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def linked_urls(page: Path) -> list[str]:
    """Every URL a page fetches or links to: src, href and the search page's data-scripts."""
    document = soup(page)
    urls = [tag.get(attribute) for attribute in ("src", "href") for tag in document.find_all(attrs={attribute: True})]
    urls += [url for tag in document.find_all(attrs={"data-scripts": True}) for url in tag["data-scripts"].split()]
    # scripts loaded later by URL (the search worker, MiniSearch inside it)
    urls += [
        value
        for tag in document.find_all(True)
        for name, value in tag.attrs.items()
        if name.startswith("data-") and name.endswith("-url") and isinstance(value, str)
    ]
    return urls


def site_path(site: Path, page: Path, url: str) -> str | None:
    """`url` as a path inside the built site, or None for another site, a fragment or a data: URL."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = site / parts.path.lstrip("/") if parts.path.startswith("/") else page.parent / parts.path
    return target.resolve().relative_to(site.resolve()).as_posix()


def stylesheet_of(site: Path, page: str) -> str:
    """The site-relative path of the site-wide stylesheet a page links to."""
    document = soup(site / page)
    href = next(link["href"] for link in document.find_all("link", rel="stylesheet") if "site.css" in link["href"])
    return site_path(site, site / page, href)


def test_every_theme_and_vendor_url_in_the_built_pages_resolves(sample_site: Path) -> None:
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    checked = set()
    for page in pages:
        for url in linked_urls(page):
            path = site_path(sample_site, page, url)
            if path and FINGERPRINTED.match(path):
                assert (sample_site / path).is_file(), f"{page.relative_to(sample_site)} links to missing {url}"
                checked.add(path)
    theme_folder = stylesheet_of(sample_site, "index.html").rsplit("/css/", 1)[0]
    assert theme_folder == f"theme/{theme_static_hash({'THEME': str(ROOT / 'theme')})}"
    assert all(path.startswith((f"{theme_folder}/", "vendor/")) for path in checked), "no unversioned asset URL"
    assert {path.split("/")[1] for path in checked if path.startswith("vendor/")} == {
        folder_name(package, json.loads((ROOT / "node_modules" / package / "package.json").read_text())["version"])
        for package in VENDOR_FILES
    }, "every vendored library is used, from a folder named with its installed version"
    assert [folder.name for folder in (sample_site / "theme").iterdir()] == [theme_folder.split("/")[1]]


def test_vendored_stylesheets_find_their_images(sample_site: Path) -> None:
    """Leaflet's CSS loads its marker and layer images relatively: they moved with it."""
    found = 0
    for stylesheet in (sample_site / "vendor").rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", stylesheet.read_text(encoding="utf-8")):
            if not url.startswith(("data:", "#")):
                assert (stylesheet.parent / url).is_file(), (stylesheet, url)
                found += 1
    assert found > 0


@pytest.fixture(scope="module")
def theme_builds(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample content built from an unchanged copy of the theme, then again after one line of
    site.css changed (sample_site, built from the real theme, is the first build)."""
    folder = tmp_path_factory.mktemp("fingerprints")
    theme = folder / "theme-copy"
    shutil.copytree(ROOT / "theme", theme)
    settings = make_project(folder / "project", settings={"THEME": str(theme)})
    builds = {"original": sample_site, "copy": folder / "copy", "edited": folder / "edited"}
    build_site(builds["copy"], settings=settings)
    with (theme / "static" / "css" / "site.css").open("a", encoding="utf-8") as css:
        css.write("\n.fingerprint-test { color: #000; }\n")
    build_site(builds["edited"], settings=settings)
    return builds


@pytest.mark.parametrize("page", ["index.html", "404.html", "organisations/index.html"])
def test_an_unchanged_theme_keeps_its_urls_and_an_edited_one_gets_new_ones(theme_builds, page: str) -> None:
    original = stylesheet_of(theme_builds["original"], page)
    assert stylesheet_of(theme_builds["copy"], page) == original, "same files, same URL (wherever the theme is)"
    edited = stylesheet_of(theme_builds["edited"], page)
    assert edited != original and edited.startswith("theme/") and edited.endswith("/css/site.css")
    assert ".fingerprint-test" in (theme_builds["edited"] / edited).read_text(encoding="utf-8")
    assert ".fingerprint-test" not in (theme_builds["original"] / original).read_text(encoding="utf-8")


def test_the_404_page_links_to_assets_from_the_site_root(sample_site: Path) -> None:
    """It is served at any missing address, so relative links would break."""
    href = soup(sample_site / "404.html").find("link", rel="stylesheet")["href"]
    assert href.startswith("/theme/") and (sample_site / href.lstrip("/")).is_file()


def test_a_theme_static_dir_set_by_the_site_is_kept() -> None:
    settings = {"THEME": str(ROOT / "theme"), "THEME_STATIC_DIR": "static-files"}
    fingerprint_theme_static_dir(settings)
    assert settings["THEME_STATIC_DIR"] == "static-files"
    fingerprint_theme_static_dir(defaults := {"THEME": str(ROOT / "theme"), "THEME_STATIC_DIR": "theme"})
    assert re.fullmatch(r"theme/[0-9a-f]{10}", defaults["THEME_STATIC_DIR"])


def test_ignored_files_do_not_change_the_hash(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme" / "static", theme / "static")
    settings = {"THEME": str(theme), "IGNORE_FILES": [".#*"]}
    before = theme_static_hash(settings)
    (theme / "static" / "css" / ".#site.css").write_text("an editor's lock file", encoding="utf-8")
    assert theme_static_hash(settings) == before
    (theme / "static" / "css" / "extra.css").write_text("p {}", encoding="utf-8")
    assert theme_static_hash(settings) != before


def test_vendor_url_names_the_installed_version_and_refuses_files_not_copied(tmp_path: Path) -> None:
    settings = {"NODE_MODULES_PATH": str(ROOT / "node_modules")}
    version = json.loads((ROOT / "node_modules" / "leaflet" / "package.json").read_text())["version"]
    assert vendor_url(settings, "leaflet", "leaflet.js") == f"vendor/leaflet-{version}/leaflet.js"
    icon = "images/marker-icon.png"
    assert vendor_url(settings, "leaflet", icon) == f"vendor/leaflet-{version}/{icon}"
    with pytest.raises(ValueError, match="doesn't copy that file"):
        vendor_url(settings, "leaflet", "leaflet-src.js")
    with pytest.raises(MissingAssets, match="npm ci"):
        vendor_url({"NODE_MODULES_PATH": str(tmp_path)}, "leaflet", "leaflet.js")


def test_a_build_without_node_modules_stops_with_a_plain_message(tmp_path: Path) -> None:
    result = build_site(tmp_path / "out", extra=["-e", f"NODE_MODULES_PATH={json.dumps(str(tmp_path))}"], check=False)
    assert result.returncode != 0
    assert "Run `npm ci`" in result.stderr and "Traceback" not in result.stderr + result.stdout
