"""Recovery Directory: a Pelican plugin that builds a directory site from YAML listings.

Pipeline (DESIGN.md): load -> validate -> model (reader.py) -> geocode from cache (build.py)
-> pages, maps, search index and open data (the output modules listed in build.py).
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


def add_reader(readers: Any) -> None:
    from .listing.reader import OrganisationReader

    for extension in OrganisationReader.file_extensions:
        readers.reader_classes[extension] = OrganisationReader


def directory_generator(pelican: Any) -> type:
    from .build import DirectoryGenerator

    return DirectoryGenerator


def on_generators_finalized(generators: list[Any]) -> None:
    from .build import fail_on_invalid_listings
    from .vendor import MissingAssets, vendor_copies

    fail_on_invalid_listings(generators)
    try:  # before any page links to a vendored library
        vendor_copies(generators[0].settings)
    except MissingAssets as error:
        print(f"Build stopped: {error}", file=sys.stderr)
        raise SystemExit(1) from None  # not an Exception: Pelican would print a traceback


def on_finalized(pelican: Any) -> None:
    from .fatal_warnings import stop_if_any

    stop_if_any()  # a warning while writing pages: the deploy still stops, with the plain summary


def register() -> None:
    from pelican import signals

    from .fatal_warnings import take_over

    take_over()  # under --fatal warnings: collect warnings for one plain summary, no traceback
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(add_reader)
    signals.get_generators.connect(directory_generator)
    signals.all_generators_finalized.connect(on_generators_finalized)
    signals.finalized.connect(on_finalized)
