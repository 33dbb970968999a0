"""Write /postcodes/<outcode>.json: the site's own postcode lookup for "near a postcode" search,
so a visitor's postcode never leaves this site (geocoding/site_lookup.py makes the files once per
ONS data version into the machine's cache; each build links or copies them).

On a machine whose cache doesn't have them yet (a fresh one, as every Netlify deploy is), making
them takes a few seconds, which the build paid after reading every listing. `start` makes them in
a helper process while the listings are read instead, letter by letter from A; `write` makes
letters' files from Z back until the two meet (each letter once, through its lock), then waits
for the whole folder through the cache's lock (cache_lock.py), or makes it itself if the helper
failed.
"""

from __future__ import annotations

from typing import Any

from .. import background, forked
from ..geocoding.ons_postcodes import shard_letters
from ..geocoding.site_lookup import cached, ensure_cached, lookup_letter, publish

ORDER = 90  # last of the outputs: on a fresh machine it may wait for its helper, so others go first


def start(generator: Any) -> int | None:
    """A helper making the lookup files, if none are cached and the build has a core to spare."""
    if forked.processes(generator.settings) < 2 or cached():
        return None
    return background.start(lambda: bool(ensure_cached()))


def write(generator: Any, writer: Any) -> None:
    made = False
    for letter in reversed(shard_letters()):
        if cached():  # made (by the helper, or another build): only linking is left
            break
        try:
            lookup_letter(letter)
        except OSError:  # a read-only cache: publish makes the files straight into the site
            break
        made = True
    if made:  # writing a letter's files read every page of its index maps: let them go
        from ..geocoding.ons_files import close_letters

        close_letters()
    publish(generator.output_path)
