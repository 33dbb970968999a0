"""The theme's templates compiled once, in the process that forks the build's workers, and when the
build cache has none yet, compiled beforehand in a forked process while the build reads listings.

Compiling the theme's templates from source takes ~0.3 s CPU. A build with an empty build cache
(every deploy preview, the benchmark's full build) did it in the parent just before forking the
output workers, with the other core idle; and while the build starts (Pelican's pages, hashing the
listing files) a core is idle too. So `start_compiling` forks a helper (background.py) that
compiles them into Jinja's bytecode cache (build_cache.py's `templates/`; writes there are
atomic), and the build waits for it (`background.finish`) before any page is written: the parent
then loads them, ~1 ms each. A rebuild (every template already in the cache) forks nothing. The
helper only fills the cache: if it fails (a template that doesn't compile), the build compiles
that template itself and reports the mistake as it always did.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache

from . import background, forked


def template_names(settings: dict[str, Any]) -> list[str]:
    """Every file under the theme's templates/, as Jinja names it."""
    folder = Path(settings["THEME"]) / "templates"
    return [path.relative_to(folder).as_posix() for path in sorted(folder.rglob("*")) if path.is_file()]


def compile_theme_templates(generator: Any) -> None:
    """Compile (or load from the bytecode cache) every template of the theme before forking, so the
    workers inherit them. Templates compile on first use, and the listing page's, the base and the
    partials are used in every process: at N = 1,000 the worker compiled them again (0.10–0.16 s)."""
    for name in template_names(generator.settings):
        generator.env.get_template(name)


def start_compiling(generator: Any) -> int | None:
    """Fork a process compiling the theme's templates into the bytecode cache, if the build will
    fork workers and any template is missing from the cache; its process id, else None."""
    env = generator.env
    if forked.processes(generator.settings) < 2 or not isinstance(env.bytecode_cache, FileSystemBytecodeCache):
        return None
    names = template_names(generator.settings)
    if all(_cached(env, name) for name in names):
        return None
    return background.start(lambda: all([_compiled(env, name) for name in names]))  # each one tried


def _compiled(env: Environment, name: str) -> bool:
    """Compile one template into the cache; False if it doesn't compile (the build compiles it
    again where it is used, and reports the mistake there, as it always did)."""
    try:
        env.get_template(name)
    except Exception:  # noqa: BLE001 - any template error is the build's to report
        return False
    return True


def _cached(env: Environment, name: str) -> bool:
    """Whether the bytecode cache holds a file for this template (compiled from this very source
    or not: an edited template is compiled where it is used, as Jinja always does)."""
    cache = env.bytecode_cache
    assert isinstance(cache, FileSystemBytecodeCache)
    try:
        _, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - gone, or not text: nothing for the child to do (the build reports a use)
        return True
    return os.path.exists(os.path.join(cache.directory, cache.pattern % cache.get_cache_key(name, filename)))
