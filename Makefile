# The README's two commands are `make serve` and `make test`; each installs what it needs.
# Python packages come from the hash-locked files in requirements/ (docs/dependencies.md):
# build.txt for building and serving, test.txt adds the test tools, bench.txt the profiler.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PELICAN := $(VENV)/bin/pelican
PORT ?= 8000
# The lock tool, pinned so every maintainer's `make lock` writes the same files.
UV_VERSION := 0.13.9
PIP := $(PYTHON) -m pip --disable-pip-version-check
NODE_STAMP := node_modules/.installed
# Compiled Python is kept (in __pycache__ folders, which git ignores): with none kept
# (PYTHONDONTWRITEBYTECODE), every build compiled the plugin's ~100 modules again, ~0.1 s CPU. Not
# in one folder of its own (PYTHONPYCACHEPREFIX): Python would then ignore the compiled standard
# library and dependencies and compile them all again there, ~2.7 s on a machine's first build.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help deps build serve validate test quick lint lock upgrade chromium bench screenshots clean

help:
	@echo "make serve     build the sample site (offline) and serve it on http://localhost:$(PORT) (PORT=8080 make serve)"
	@echo "make test      install everything the tests need (Chromium included) and run all tests"
	@echo "make quick     the fast tests only (no browser, no big builds): about 2 minutes on 2 cores"
	@echo "make build     build the site into output/ (unchanged pages kept; make clean to start again)"
	@echo "make clean     delete output/ and the build cache"
	@echo "make validate  check every listing and explain any problems"
	@echo "make lint      ruff"
	@echo "make lock      re-lock requirements/*.txt after changing pyproject.toml (make upgrade: newest allowed)"
	@echo "make bench     benchmark against plain Pelican and Hugo (BENCH_N=1000 for a quick run)"

$(PYTHON):
	python3 -m venv $(VENV)

# One stamp per lock: `make serve` installs only build.txt; test.txt and bench.txt each include it.
# `pip check` catches a dependency added to pyproject.toml but not yet locked.
$(VENV)/.installed-%: requirements/%.txt pyproject.toml | $(PYTHON)
	@echo "Installing Python packages from requirements/$*.txt (about a minute the first time)..."
	$(PIP) install --quiet --require-hashes -r requirements/$*.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	@$(PIP) check >/dev/null || { $(PIP) check; \
	  echo "requirements/$*.txt is missing a package pyproject.toml asks for: run 'make lock' and commit requirements/."; \
	  exit 1; }
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@echo "Installing the browser libraries from package-lock.json (npm ci)..."
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(VENV)/.installed-test $(NODE_STAMP)

validate: $(VENV)/.installed-build
	$(VENV)/bin/recovery-directory validate

# Into output/ as it is, not emptied first (--delete-output-directory): unchanged pages are kept, so a
# build after an edit writes only what changed (1,000 listings: ~1.6 s, against ~7 s emptying and
# writing all ~7,000 files again), and pages no longer made are deleted (docs/architecture.md).
# `make clean` empties it. Netlify's build (publishconf.py) starts from an empty folder.
build: $(VENV)/.installed-build $(NODE_STAMP)
	@echo "Building the sample site into output/..."
	$(PELICAN) -s pelicanconf.py -o output

# Serves output/ as Netlify would: netlify.toml's headers, and the site's 404 page for unknown addresses.
# Saving a change to a listing, page, template or setting builds the site again (only what changed).
serve: build
	@echo "Serving the sample site (Ctrl+C to stop; PORT=8080 make serve for another port)"
	$(PYTHON) -m recovery_directory.preview output --port $(PORT) \
	  --rebuild pelicanconf.py --watch content theme plugins schema pelicanconf.py

# Browser tests drive Debian's Chromium; install it when it is missing (root or sudo needed).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium package for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Not a test: builds 1,000 and 10,000 synthetic listings with our site, plain Pelican and Hugo and
# prints a table (docs/benchmarks.md). BENCH_N="1000" for a quick run. Installs Hugo when missing.
bench: $(VENV)/.installed-bench $(NODE_STAMP) chromium
	@command -v hugo >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq hugo >/dev/null; }
	$(PYTHON) -m benchmarks.run --report docs/benchmarks.md

# Node's own test runner for the pure JavaScript modules, when there are any.
JS_TESTS = $(shell find tests theme -name '*.test.mjs' -o -name '*.test.js' 2>/dev/null | sort)

# Every test in three workers (pytest-xdist), a test file per worker at a time: a file's site builds
# and its browser stay in one process. Three on two cores: browser tests spend much of their time
# waiting on the page (with two workers the run kept the cores only ~60 % busy); on a fresh clone,
# 8:27 of tests against 8:42 with two. Browser tests wait for what the page does, never for set
# times, so sharing the machine slows them but cannot fail them. The longest files first
# (tests/run_order.py), not xdist's default of the files with the most tests first.
PYTEST_WORKERS := -n 3 --dist loadfile --no-loadscope-reorder
test: deps chromium
	$(VENV)/bin/ruff check .
	$(if $(JS_TESTS),node --test $(JS_TESTS))
	$(PYTHON) -m pytest $(PYTEST_WORKERS)

# The edit-test loop: everything but the browser tests and the big builds.
quick: deps
	$(VENV)/bin/ruff check .
	$(if $(JS_TESTS),node --test $(JS_TESTS))
	$(PYTHON) -m pytest -q $(PYTEST_WORKERS) -m "not browser and not slow"

# The pictures in docs/screenshots/: tools/screenshots.py's, and the two search-near-a-postcode
# ones the search tests take (they write there only when asked, so `make test` leaves them alone).
screenshots: deps chromium
	$(PYTHON) tools/screenshots.py
	UPDATE_SCREENSHOTS=1 $(PYTHON) -m pytest -q -p no:randomly tests/test_search_browser.py \
	  -k "test_phone_results_first_and_few_tabs or test_desktop_screenshot_near_a_postcode"

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

# Re-lock after changing pyproject.toml: keeps every existing pin and adds what is new. Each lock is
# constrained by the one before it, so tests run exactly the versions that build the site.
# Only PyPI is asked (--no-config, --index-url), so the hashes are PyPI's whatever pip.conf says.
LOCK := $(VENV)/bin/uv pip compile --quiet --no-config --index-url https://pypi.org/simple \
  --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
  pyproject.toml requirements/build-system.in

lock: $(VENV)/bin/uv
	$(LOCK) $(UPGRADE) -o requirements/build.txt
	$(LOCK) $(UPGRADE) --extra test -c requirements/build.txt -o requirements/test.txt
	$(LOCK) $(UPGRADE) --extra test --extra bench -c requirements/test.txt -o requirements/bench.txt

upgrade:
	$(MAKE) lock UPGRADE=--upgrade

$(VENV)/bin/uv: | $(PYTHON)
	$(PIP) install --quiet uv==$(UV_VERSION)

clean:
	rm -rf output cache .pytest_cache
