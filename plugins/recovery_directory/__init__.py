"""Recovery Directory: a Pelican plugin that builds a directory site from YAML listings.

Pipeline (DESIGN.md, docs/architecture.md): listing/ loads, validates and models each file
(build.py's generator reads them all: listing_reading.py) -> build.py stops on any invalid listing, then places
locations from the geocode cache -> public.py gives each listing its public record -> every
module in outputs/ (discovered, not listed) writes pages, maps, feeds, search and exports/.
Signal receivers are module-level functions: blinker holds them by weak reference.
"""

from __future__ import annotations

import sys
from typing import Any

# jsonschema imports rfc3987_syntax when it is installed (its format-nongpl extra), and that
# compiles a Lark grammar on import: ~2 s in every build and `validate` run, longer than checking
# 1,000 listings. We check only the `date` format, which needs none of it, so keep it unloaded.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def on_initialized(pelican: Any) -> None:
    from .fingerprints import fingerprint_theme_static_dir
    from .output_folder import defer_deletion, stop_unless_writable
    from .settings import apply_defaults
    from .templating import template_helpers

    stop_unless_writable(pelican)
    defer_deletion(pelican)
    apply_defaults(pelican.settings)
    fingerprint_theme_static_dir(pelican.settings)
    filters, globals_ = template_helpers(pelican.settings)
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(filters)
    pelican.settings.setdefault("JINJA_GLOBALS", {}).update(globals_)


def on_generator_init(generator: Any) -> None:
    """Keep compiled templates in the build cache (Jinja's bytecode cache: keyed by each template's
    source, so an edited template is compiled again): every build otherwise compiles ~50 templates
    from source, a fixed cost a rebuild after one edit would pay in full."""
    import hashlib

    from jinja2 import FileSystemBytecodeCache

    from .build_cache import folder

    root = folder(generator.settings)
    if root is None or getattr(generator, "env", None) is None:
        return
    # Compiled code also follows the environment's options (autoescape, extensions …): one folder
    # per set of them.
    options = repr(sorted(generator.settings["JINJA_ENVIRONMENT"].items(), key=lambda item: item[0]))
    path = root / "templates" / hashlib.sha256(options.encode()).hexdigest()[:16]
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache that can't be written only makes builds slower
        return
    generator.env.bytecode_cache = FileSystemBytecodeCache(str(path))


def on_readers_init(readers: Any) -> None:
    from .kept_pages import use_kept_markdown

    use_kept_markdown(readers)  # content pages kept in the build cache


def directory_generator(pelican: Any) -> type:
    from .build import DirectoryGenerator
    from .output_manifest import started

    started()  # sent as every build starts (`initialized` only once under --autoreload)
    return DirectoryGenerator


def on_generators_finalized(generators: list[Any]) -> None:
    from .fatal_warnings import stop_if_any
    from .output_folder import DELETE_AFTER_CHECKS, delete_if_asked
    from .output_manifest import clear_unrecorded
    from .vendor import MissingAssets, esbuild_path, vendor_copies

    # Every listing passed (DirectoryGenerator stops the build otherwise) and is placed on the map.
    stop_if_any()  # a warning under --fatal warnings: stop with our summary, keeping the old site
    settings, output = generators[0].settings, generators[0].output_path
    delete_if_asked(settings, output)  # only now: a failed build keeps it
    if not settings.get(DELETE_AFTER_CHECKS):
        clear_unrecorded(settings, output)  # what no finished build left here: output_manifest.py
    try:  # before any page links to a vendored library
        vendor_copies(generators[0].settings)
        esbuild_path(generators[0].settings)
    except MissingAssets as error:
        print(f"Build stopped: {error}", file=sys.stderr)
        raise SystemExit(1) from None  # not an Exception: Pelican would print a traceback


def on_finalized(pelican: Any) -> None:
    from .fatal_warnings import stop_if_any
    from .output_folder import remove_earlier_theme_folders
    from .output_manifest import remember

    stop_if_any()  # a warning while writing pages: the deploy still stops, with the plain summary
    # The build finished: only now do the theme's earlier files go (a failed build's pages may
    # still link to them), and the folder's files are listed for the next build.
    remove_earlier_theme_folders(pelican.settings, pelican.output_path)
    remember(pelican.settings, pelican.output_path)


def on_content_generator_finalized(generator: Any) -> None:
    """Pelican's pages and articles (drafts and translations too), each written at its save_as."""
    from .output_manifest import pelican_writes

    for kind in ("articles", "pages", "translations", "hidden_pages", "hidden_translations", "hidden_articles",
                 "drafts", "drafts_translations", "draft_pages", "draft_translations"):
        pelican_writes([item.save_as for item in getattr(generator, kind, ())])


def on_static_generator_finalized(generator: Any) -> None:
    from .output_manifest import pelican_writes

    pelican_writes([static.save_as for static in getattr(generator, "staticfiles", ())])


def register() -> None:
    from pelican import signals

    from .fatal_warnings import take_over

    take_over()  # under --fatal warnings: collect warnings for one plain summary, no traceback
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(directory_generator)
    signals.generator_init.connect(on_generator_init)
    signals.readers_init.connect(on_readers_init)
    signals.all_generators_finalized.connect(on_generators_finalized)
    signals.finalized.connect(on_finalized)
    signals.article_generator_finalized.connect(on_content_generator_finalized)
    signals.page_generator_finalized.connect(on_content_generator_finalized)
    signals.static_generator_finalized.connect(on_static_generator_finalized)
