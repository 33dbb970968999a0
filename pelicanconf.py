"""Pelican settings for the Recovery Directory (development). publishconf.py builds on these."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent

AUTHOR = "Recovery Directory contributors"
SITENAME = "Recovery Directory"
SITE_DESCRIPTION = (
    "Find lived-experience recovery organisations, mutual aid, recovery housing and other "
    "recovery support across the UK, and how to refer to them."
)
SITEURL = ""
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["recovery_directory"]

# Pages are content/pages/*.md. Listings (content/organisations/*.yaml) are read and their pages
# written by the plugin's own generator (build.py), not as Pelican pages; there are no articles.
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["articles"]
STATIC_PATHS = ["extra"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DISPLAY_PAGES_ON_MENU = False  # with 1,000 listings this made builds 9x slower (DESIGN.md)
DISPLAY_CATEGORIES_ON_MENU = False
DIRECT_TEMPLATES = ["index"]
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
SLUGIFY_SOURCE = "basename"
RELATIVE_URLS = True

# Contributor text is untrusted: escape everything our templates print unless marked safe.
# auto_reload off: each build makes a new environment anyway, and the check cost a stat() per include per page.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False}
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {}},
    "output_format": "html5",
}

# Geocoding: postcodes are placed offline from the ONS data; other addresses come from the
# committed cache, filled only when GEOCODE_ONLINE is set (docs/geocoding.md).
GEOCODE_CACHE_PATH = "geocoding/cache.json"
GEOCODE_ONLINE = False
GEOCODER_USER_AGENT = (
    "recovery-directory/0.1 (+https://github.com/recovery-directory/recovery-directory)"
)
POSTCODES_IO_URL = "https://api.postcodes.io"
NOMINATIM_URL = "https://nominatim.openstreetmap.org"

# The only outside host a visitor's browser may contact: map tiles. Postcodes are looked up in
# the site's own /postcodes/ files, so a visitor's postcode never leaves this site.
MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
MAP_TILE_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
MAP_MAX_ZOOM = 19

# "Edit this listing" links point at the source file in this repository.
REPOSITORY_URL = "https://github.com/recovery-directory/recovery-directory"
REPOSITORY_BRANCH = "main"
