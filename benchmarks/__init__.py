"""Benchmarks for `make bench`: synthetic listings (synthetic.py) and the timed runs (run.py).

Not tests: nothing here runs under `make test` except tests/test_synthetic.py's quick check
that the generator's listings are valid.
"""
