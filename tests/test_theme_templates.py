"""The theme's templates are compiled in a forked process while a build with an empty build cache
reads listings (theme_templates.py): the cache is filled, the site is the one a serial build
makes, and a template that doesn't compile is still reported by the build (a helper that hangs:
test_background.py)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, TemplateSyntaxError
from recovery_directory import background, theme_templates
from site_tools import ROOT, build_site
from temp_project import make_project
from test_rebuild import assert_same_site

TODAY = {"RECOVERY_DIRECTORY_TODAY": "2026-12-01"}


def generator(theme: Path, cache: Path | None, processes: int = 2) -> SimpleNamespace:
    env = Environment(loader=FileSystemLoader(str(theme / "templates")))
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    return SimpleNamespace(env=env, settings={"THEME": str(theme), "BUILD_PROCESSES": processes})


def theme(folder: Path, templates: dict[str, str]) -> Path:
    for name, text in templates.items():
        (folder / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "templates" / name).write_text(text, encoding="utf-8")
    return folder


def reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_fills_the_bytecode_cache_and_is_reaped(tmp_path: Path):
    card = "{% extends 'base.html' %}{% block body %}{{ x }}{% endblock %}"
    base = "<p>{% block body %}{% endblock %}</p>"
    folder = theme(tmp_path / "theme", {"base.html": base, "partials/card.html": card})
    made = generator(folder, tmp_path / "cache")
    pid = theme_templates.start_compiling(made)
    assert pid is not None
    background.finish(pid)
    assert reaped(pid)
    assert len(list((tmp_path / "cache").glob("__jinja2_*.cache"))) == 2
    # Everything is cached now: nothing to fork for.
    assert theme_templates.start_compiling(generator(folder, tmp_path / "cache")) is None
    # And the parent's templates come from the cache: the same output, no compiling here.
    loaded = generator(folder, tmp_path / "cache")
    loaded.env.compile = None  # would fail if called
    assert loaded.env.get_template("partials/card.html").render(x="<b>") == "<p><b></p>"


def test_nothing_is_forked_without_workers_or_a_cache(tmp_path: Path):
    folder = theme(tmp_path / "theme", {"base.html": "x"})
    (folder / "templates" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")  # not text: skipped, no error
    pid = theme_templates.start_compiling(generator(folder, tmp_path / "cached", processes=2))
    assert pid is not None
    background.finish(pid)
    assert theme_templates.start_compiling(generator(folder, tmp_path / "cache", processes=1)) is None
    assert theme_templates.start_compiling(generator(folder, None)) is None
    background.finish(None)


def test_a_template_that_does_not_compile_is_left_to_the_build_to_report(tmp_path: Path):
    folder = theme(tmp_path / "theme", {"a-broken.html": "{% if %}", "fine.html": "ok"})
    made = generator(folder, tmp_path / "cache")
    pid = theme_templates.start_compiling(made)
    background.finish(pid)
    assert reaped(pid)
    assert len(list((tmp_path / "cache").glob("__jinja2_*.cache"))) == 1  # the one after it still compiled
    with pytest.raises(TemplateSyntaxError):
        made.env.get_template("a-broken.html")


def test_a_parallel_build_from_an_empty_cache_equals_a_serial_one_and_fills_the_cache(tmp_path: Path):
    cache = tmp_path / "build-cache"
    settings = make_project(tmp_path / "project", settings={"BUILD_CACHE_PATH": str(cache)})
    parallel, serial = tmp_path / "parallel", tmp_path / "serial"
    build_site(parallel, settings=settings, env=TODAY, extra=["-e", "BUILD_PROCESSES=2"])
    build_site(serial, settings=settings, env=TODAY, extra=["-e", "BUILD_PROCESSES=1", 'BUILD_CACHE_PATH=""'])
    assert_same_site(parallel, serial)
    theme_files = [path for path in (ROOT / "theme" / "templates").rglob("*") if path.is_file()]
    (compiled,) = (cache / "templates").iterdir()  # one set of Jinja options
    assert len(list(compiled.glob("__jinja2_*.cache"))) >= len(theme_files)
