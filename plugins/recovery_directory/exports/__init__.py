"""Open data: pure functions from the Directory (each listing's public record, public.py) to plain data,
one module per format.

`outputs/open_data.py` writes what these return under /data/; the tests call them directly.
Every export shows `Directory.listed` only (closed listings leave open data) and is
deterministic: same listings and settings in, byte-identical files out.
"""
