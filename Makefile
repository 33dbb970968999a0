# The README's two commands are `make serve` and `make test`; each installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PELICAN := $(VENV)/bin/pelican
PORT ?= 8000
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help deps build serve validate test lint chromium bench screenshots clean

help:
	@echo "make serve     build the sample site (offline) and serve it on http://localhost:$(PORT)"
	@echo "make test      install everything the tests need (Chromium included) and run all tests"
	@echo "make build     build the site into output/"
	@echo "make validate  check every listing and explain any problems"
	@echo "make lint      ruff"
	@echo "make bench     benchmark against plain Pelican and Hugo (BENCH_N=1000 for a quick run)"

$(PY_STAMP): pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(PY_STAMP) $(NODE_STAMP)

validate: $(PY_STAMP)
	$(VENV)/bin/recovery-directory validate

build: deps
	$(PELICAN) -s pelicanconf.py -o output --delete-output-directory

serve: build
	@echo "Serving the sample site on http://localhost:$(PORT) (Ctrl+C to stop)"
	$(PELICAN) -s pelicanconf.py -o output --listen --bind 127.0.0.1 --port $(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing (root or sudo needed).
chromium:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Not a test: builds 1,000 and 10,000 synthetic listings with our site, plain Pelican and Hugo and
# prints a table (docs/benchmarks.md). BENCH_N="1000" for a quick run. Installs Hugo when missing.
bench: deps chromium
	@command -v hugo >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq hugo >/dev/null; }
	$(PYTHON) -m benchmarks.run --report docs/benchmarks.md

test: deps chromium
	$(VENV)/bin/ruff check .
	$(PYTHON) -m pytest

screenshots: deps chromium
	$(PYTHON) tools/screenshots.py

lint: $(PY_STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf output cache .pytest_cache
