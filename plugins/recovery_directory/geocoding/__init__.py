"""UK geography: where each listing is, which local authority it is in, and the names of every
local authority (docs/geocoding.md).

| module | job |
| --- | --- |
| `ons_postcodes.py` | read the ONS Postcode Directory package; grid references to latitude/longitude |
| `ons_index.py` | that data as a compact index in the machine cache, searched through memory maps |
| `ons_files.py` | one postcode's answer from that index without numpy, its rows read, not mapped |
| `cache_lock.py` | one process at a time makes a piece of that cache; the others wait and use it |
| `authorities.py` | every local authority: GSS code, name, nation; reading names as people write them |
| `ons_answers.py` | the build's offline answers for postcodes from that data, without geopy |
| `offline.py` | `ONSPostcodes`, the geopy geocoder over that data (used first, no network) |
| `providers.py` | the online geopy geocoders: postcodes.io and Nominatim |
| `cache.py` | the committed cache file (what the offline data can't answer) |
| `fill.py` | filling the cache: `recovery-directory geocode` |
| `placing.py` | the build's answers: listing coordinates, then offline, then the cache |
| `site_lookup.py` | the site's own postcode lookup files (/postcodes/<outcode>.json), cached per data version |
"""
