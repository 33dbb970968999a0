"""Write /postcodes/<outcode>.json: the site's own postcode lookup for "near a postcode" search,
so a visitor's postcode never leaves this site (geocoding/site_lookup.py makes the files once per
ONS data version; each build links or copies them)."""

from __future__ import annotations

from typing import Any

from ..geocoding.site_lookup import publish


def write(generator: Any, writer: Any) -> None:
    publish(generator.output_path)
