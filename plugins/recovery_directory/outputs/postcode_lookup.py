"""Write /postcodes/<outcode>.json: the site's own postcode lookup for "near a postcode" search,
so a visitor's postcode never leaves this site (geocoding/site_lookup.py makes the files once per
ONS data version into the machine's cache; each build links or copies them).

On a machine whose cache doesn't have them yet (a fresh one, as every Netlify deploy is), making
them takes a few seconds, which the build paid after reading every listing. `start` makes them in
a helper process while the listings are read instead; `write` converts the index's letters from
the other end until they meet, then waits for the files through the cache's lock (cache_lock.py),
or makes them itself if the helper failed.
"""

from __future__ import annotations

from typing import Any

from .. import background, forked
from ..geocoding.ons_postcodes import shard_letters
from ..geocoding.site_lookup import cached, ensure_cached, publish

ORDER = 90  # last of the outputs: on a fresh machine it may wait for its helper, so others go first


def start(generator: Any) -> int | None:
    """A helper making the lookup files, if none are cached and the build has a core to spare."""
    if forked.processes(generator.settings) < 2 or cached():
        return None
    return background.start(lambda: bool(ensure_cached()))


def write(generator: Any, writer: Any) -> None:
    if not cached():
        # The helper works through the postcode index's letters from A (converting each, then
        # writing its files): convert them from Z back meanwhile (each letter once, through its
        # lock), rather than wait idle for the helper alone.
        from ..geocoding.ons_index import letter_index

        for letter in reversed(shard_letters()):
            letter_index(letter)
    publish(generator.output_path)
