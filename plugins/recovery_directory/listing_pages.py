"""Each listing's page (organisations/<slug>/index.html, template `organisation`), the data the
listing editor starts from (organisations/<slug>/listing.json) and what My list prints for it
(organisations/<slug>/handout.json, outputs/shortlist.py).

Pages are the bytes Pelican's writer made when each listing was a Pelican page: the template gets
the context Pelican's PagesGenerator would give it (`page.organisation`, relative URLs as its
writer makes them), without a Pelican content object, signals and URL rewriting per listing. The
parts of base.html outside the page's own blocks (head links, header, navigation, footer) are the
same for every listing page, so `PageRenderer` renders them once per process and runs only the
`organisation` template's blocks for each listing; it checks that they are the same for two
different pages, and its first page against Pelican's own writer, and renders every page through
the writer if either differs (tests/test_listing_pages.py compares every sample listing's page).
A page is written again only when one of its inputs changed or its files are not as the last
build left them (output_records.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.utils import get_relative_path, path_to_url

from .build_cache import code_fingerprint
from .clock import today
from .directory import Directory
from .listing.model import Organisation, area_slug
from .listing_page_html import MIRRORED_DIGEST, PageBlocks, templates_digest
from .output_records import Entry, unchanged
from .outputs.editor import listing_json_path
from .outputs.shortlist import handout_json, handout_path
from .vendor import MissingAssets, vendor_folders

TEMPLATE = "organisation"
# How a build runs, not what it makes: no page depends on these (Pelican sets the first two from
# the command line, so a rebuild without --delete-output-directory would otherwise rewrite all).
NOT_INPUTS = frozenset({
    "DELETE_OUTPUT_DIRECTORY", "WRITE_SELECTED", "LOAD_CONTENT_CACHE", "CACHE_CONTENT", "CACHE_PATH", "AUTORELOAD",
    "RECOVERY_DIRECTORY_DELETE_OUTPUT_AFTER_CHECKS", "BUILD_PROCESSES", "BUILD_CACHE_PATH",
})


@dataclass
class ListingPage:
    """What the `organisation` template is given as `page` (a Pelican Page's part it uses)."""

    organisation: Organisation


@dataclass
class Listing:
    organisation: Organisation
    key: str  # the build cache's key for its file's bytes
    listing_json: bytes  # the listing as checked, which the listing editor starts from (outputs/editor.py)


def fingerprint(settings: dict[str, Any]) -> str:
    """What every listing page depends on besides its own listing: the plugin's code, the
    templates, every setting (THEME_STATIC_DIR carries the theme's hash), the vendored libraries'
    versions (their URLs) and today's date."""
    digest = hashlib.sha256(f"{code_fingerprint()}\0{today().isoformat()}\0".encode())
    try:
        digest.update(json.dumps(vendor_folders(settings), sort_keys=True).encode())
    except MissingAssets:  # node_modules missing: the build stops when a template first asks for one
        digest.update(b"no vendored libraries\0")
    templates = Path(settings["THEME"]) / "templates"
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    visible = {key: value for key, value in settings.items() if key.isupper() and key not in NOT_INPUTS}
    try:
        described = json.dumps(visible, sort_keys=True, default=_describe)
    except (TypeError, ValueError):  # keys of mixed types can't be sorted: compare their text instead
        described = repr(sorted((key, repr(value)) for key, value in visible.items()))
    digest.update(described.encode())
    return digest.hexdigest()


def _describe(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(map(repr, value))
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return f"{type(value).__module__}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def area_lookup(directory: Directory) -> dict[str, tuple[int, str, str]]:
    """Each area by its name (as listings give it): its position, name and address."""
    by_slug = {area.slug: (position, area.name, area.url) for position, area in enumerate(directory.areas)}
    names = {name for org in directory.organisations for name in org.area_names}
    return {name: found for name in names if (found := by_slug.get(area_slug(name)))}


def inputs(listing: Listing, areas_by_name: dict[str, tuple[int, str, str]], common: str) -> str:
    """A hash of everything this listing's files are made from."""
    org = listing.organisation
    placed = [
        (loc.lat, loc.lon, loc.local_authority, loc.local_authority_code, loc.geocoded_by) for loc in org.locations
    ]
    # A closed listing's page links the first of the directory's areas that it is in.
    areas = sorted(found for name in org.area_names if (found := areas_by_name.get(name)))
    return hashlib.sha256(f"{common}\0{listing.key}\0{placed!r}\0{areas!r}".encode()).hexdigest()


def digests(listings: list[Listing], directory: Directory, common: str) -> dict[str, str]:
    """Each listing's `inputs` by slug (none for a listing read without the cache's key). Areas
    are looked up by name, each name slugified once (not once per listing: ~0.1 s at 10,000)."""
    areas = area_lookup(directory)
    return {listing.organisation.slug: inputs(listing, areas, common) for listing in listings if listing.key}


_writer_log = logging.getLogger("pelican.writers")  # the "Writing …" lines Pelican's writer logs


class PageRenderer:
    """A listing's page as `writer.write_file(save_as, template, context, page=ListingPage(org),
    relative_urls=…, url=org.url)` renders it, from the frame (base.html outside the template's
    blocks, rendered once) and the template's blocks run for the listing."""

    _MARK = "\x00"

    def __init__(self, template: Any, context: dict[str, Any], relative: bool) -> None:
        self.template = template
        self.context = context
        self.relative = relative
        self.blocks = list(template.blocks)  # the template's own: title, description, head, content, scripts
        self.pieces: list[str] | None = None  # the frame around the blocks; None: render whole pages
        self.checked = False  # the frame made (or found not to apply)
        self.compared = False  # the first page compared with the template rendered whole
        self.siteurl = ""
        self.depth = -1  # folders in the pages' names (the frame's relative SITEURL follows it)
        self.python: PageBlocks | None = None  # the blocks in Python (listing_page_html.py)

    def localcontext(self, name: str, page: ListingPage) -> dict[str, Any]:
        """Pelican's writer's `_get_localcontext(context, name, {"page": page}, relative_urls)`."""
        local = self.context.copy()
        local["localsiteurl"] = local.get("localsiteurl", None)
        if self.relative:
            relative_url = path_to_url(get_relative_path(name))
            local["SITEURL"] = relative_url
            local["localsiteurl"] = relative_url
        local["output_file"] = name
        local["page"] = page
        return local

    def _frame(self, local: dict[str, Any]) -> list[str]:
        context = self.template.new_context(local)
        for name in self.blocks:
            context.blocks[name] = [lambda _context, name=name: iter((f"{self._MARK}{name}{self._MARK}",))]
        text = self.template.environment.concat(self.template.root_render_func(context))
        pieces = text.split(self._MARK)
        if pieces[1::2] != self.blocks:  # each block once, in this order: else no frame
            raise ValueError("blocks")
        return pieces[0::2]

    def _prepare(self, name: str, org: Organisation) -> None:
        """The frame, if it is the same for two pages that share nothing (else whole pages)."""
        self.checked = True
        local = self.localcontext(name, ListingPage(org))
        other = self.localcontext("organisations/-/index.html", ListingPage(_NOTHING))  # type: ignore[arg-type]
        try:
            first, second = self._frame(local), self._frame(other)
        except Exception:  # noqa: BLE001 - the frame read something of the page: render whole pages
            return
        if first == second and local.get("SITEURL") == other.get("SITEURL"):
            self.pieces, self.siteurl, self.depth = first, local.get("SITEURL", ""), name.count("/")
            if (self.template.name == f"{TEMPLATE}.html" and tuple(self.blocks) == PageBlocks.NAMES
                    and templates_digest(self.template.environment) == MIRRORED_DIGEST):
                try:
                    self.python = PageBlocks(local, self.template.environment)
                except KeyError:  # a setting or helper it reads is missing: the template's blocks
                    self.python = None

    def render(self, name: str, org: Organisation) -> str:
        if not self.checked:
            self._prepare(name, org)
        if self.python is not None and self.compared and name.count("/") == self.depth:
            # What the writer's local context would be is the frame's: no Jinja context at all.
            if self.relative:  # the writer sets it on the context it was given, for every page
                self.context["localsiteurl"] = self.siteurl
            return self.python.page(self.pieces, org)  # type: ignore[arg-type] - set with `python`
        page = ListingPage(org)
        local = self.localcontext(name, page)
        if local["localsiteurl"]:  # as the writer does, on the context it was given
            self.context["localsiteurl"] = local["localsiteurl"]
        if self.pieces is None or local.get("SITEURL", "") != self.siteurl:
            return self.template.render(local)
        if self.python is not None:
            text = self.python.page(self.pieces, org)
        else:
            context = self.template.new_context(local)
            context.vars["org"] = org  # the template's `{% set org = page.organisation %}`
            context.exported_vars.add("org")
            blocks, concat = self.template.blocks, self.template.environment.concat
            parts = [self.pieces[0]]
            for name_, piece in zip(self.blocks, self.pieces[1:], strict=True):
                parts.append(concat(blocks[name_](context)))
                parts.append(piece)
            text = "".join(parts)
        if not self.compared:  # the first page: also through the template as a whole, once
            self.compared = True
            whole = self.template.render(local)
            if text != whole:
                self.pieces, self.python = None, None
                return whole
        return text

    def write(self, output: str, name: str, org: Organisation) -> os.stat_result:
        """Render and write the page as the writer's `_write_file` does (UTF-8), its folder made
        if missing; the file's stat once written."""
        text = self.render(name, org)
        path = os.path.join(output, name)
        try:
            written = write_file(path, text.encode("utf-8"))
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            written = write_file(path, text.encode("utf-8"))
        _writer_log.info('Writing "%s"', path)
        if signals.content_written.receivers:
            signals.content_written.send(path, context=self.localcontext(name, ListingPage(org)))
        return written


def write_file(path: str, content: bytes) -> os.stat_result:
    """Replace the file with `content`, with plain system calls (no file object); its stat after
    the write (what output_records.Entry keeps: the size and modification time)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view):]
        return os.fstat(descriptor)
    finally:
        os.close(descriptor)


class _Nothing:
    """A listing with nothing: any attribute of it is empty (the frame must not read any)."""

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)


_NOTHING = _Nothing()


def write(generator: Any, writer: Any, listings: list[Listing], last: dict[str, Entry]) -> dict[str, Entry]:
    """Write these listings' files unless unchanged since `last`; what each now is, by page.
    `generator.listing_digests` holds each listing's `inputs`."""
    output = Path(generator.output_path)
    base = os.fspath(output)
    settings = generator.settings
    renderer = PageRenderer(generator.get_template(TEMPLATE), generator.context, settings["RELATIVE_URLS"])
    written: dict[str, Entry] = {}
    for listing in listings:
        org = listing.organisation
        save_as = f"{org.url}index.html"
        files = (save_as, listing_json_path(org.slug), handout_path(org))
        digest = generator.listing_digests.get(org.slug, "")
        entry = last.get(save_as)
        if digest and entry is not None and unchanged(entry, digest, base):
            written[save_as] = entry
            continue
        stats = (
            renderer.write(base, save_as, org),
            write_file(os.path.join(base, files[1]), listing.listing_json),
            write_file(os.path.join(base, files[2]), handout_json(org, settings)),  # a pure function of these inputs
        )
        kept = tuple((name, stat.st_size, stat.st_mtime_ns) for name, stat in zip(files, stats, strict=True))
        written[save_as] = Entry(digest, kept)
    return written
