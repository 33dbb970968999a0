"""Pelican settings for the live site and deploy previews: pelicanconf.py plus absolute URLs.

Netlify sets URL (the site's main address) and DEPLOY_PRIME_URL (this deploy's own address,
e.g. https://deploy-preview-42--recovery-directory.netlify.app). netlify.toml's deploy contexts
choose which one through SITEURL_FROM (default URL); a SITEURL variable wins over both. With
none of them set (a local `pelican -s publishconf.py`), links are root-relative.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: E402, F403

SITEURL = (os.environ.get("SITEURL") or os.environ.get(os.environ.get("SITEURL_FROM") or "URL") or "").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
