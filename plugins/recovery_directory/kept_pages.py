"""Pelican's own content pages (content/pages/*.md: About, Privacy …) read through Markdown once,
then kept in the build cache (`pages/<key>`): converting them was ~0.1 s of every rebuild, with
Markdown's extensions imported for it. The key hashes the file's path and bytes, the Markdown
version and listing_pages.fingerprint (the plugin's code, templates, every setting, vendored
versions, today's date), so a kept page is only ever what reading it again would give.
Pelican's own content cache is not used: it writes its file in place (a build reading it while
another writes it would fail) and keys entries by file alone, not by settings.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

from pelican.readers import MarkdownReader

from .build_cache import folder, load, write_atomically


class KeptMarkdownReader(MarkdownReader):
    """MarkdownReader whose `read` returns a kept (content, metadata) for the same inputs."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        root = folder(self.settings)
        if root is None:
            return super().read(source_path)
        try:
            with open(source_path, "rb") as file:
                content = file.read()
        except OSError:
            return super().read(source_path)  # it says what is wrong, as it would have
        path = root / "pages" / hashlib.sha256(
            f"{_common(self.settings)}\0{source_path}\0".encode() + content
        ).hexdigest()
        try:
            found = load(path.read_bytes())
        except OSError:
            found = None
        if isinstance(found, tuple) and len(found) == 2:
            return found
        read = super().read(source_path)
        try:
            pickled = pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - metadata that can't be kept: read it every build
            return read
        write_atomically(path, pickled)
        return read


_commons: dict[int, tuple[Any, str]] = {}


def _common(settings: dict[str, Any]) -> str:
    """What every page depends on besides its file (once per settings object)."""
    found = _commons.get(id(settings))
    if found is None or found[0] is not settings:
        from .listing_pages import fingerprint
        from .output_parts import library_version

        found = _commons[id(settings)] = (settings, f"{fingerprint(settings)}\0{library_version('markdown')}")
    return found[1]


def use_kept_markdown(readers: Any) -> None:
    """readers_init: our reader for the extensions Pelican's MarkdownReader reads."""
    for extension, reader in list(readers.reader_classes.items()):
        if reader is MarkdownReader:
            readers.reader_classes[extension] = KeptMarkdownReader
