# Two set-up commands (see README): `make demo` and `make test`.
# Each creates the virtual environment in .venv if it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# byte-compile src/ as a regular install would (an editable one does not; with
	# PYTHONDONTWRITEBYTECODE set, every run would compile every module again)
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/detente demo

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard src tests benchmarks)
	$(BIN)/ruff format --check $(wildcard src tests benchmarks)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# bytecode caches on, whatever the shell says: with PYTHONDONTWRITEBYTECODE set, pytest
# rewrites and compiles every test module again in each worker of each run (8 s a run).
# worksteal: an idle worker takes queued tests from the busy one, so a few long tests
# late in a module do not leave one core waiting (2026-12-03, one run each: load 140 s,
# loadscope 149 s, worksteal 134 s)
unit: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist worksteal -q

test: lint typecheck unit

# property-based tests only, random seeds and ten times the examples (tests/conftest.py)
.PHONY: fuzz
fuzz: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 -q -m hypothesis --hypothesis-profile=fuzz

# the web app on http://127.0.0.1:8000/ (files saved in ./workspace)
.PHONY: serve
serve: $(STAMP)
	$(BIN)/detente serve --workspace workspace

# Debian's headless chromium for the browser tests (tests/web/test_browser.py), when
# missing; Playwright cannot download browsers here (../shared/design/BROWSER-TESTING.md)
CHROMIUM := /usr/lib/chromium/chromium-headless-shell
.PHONY: browser
browser: $(STAMP)
	test -x $(CHROMIUM) || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends chromium chromium-headless-shell fonts-liberation; }
	$(BIN)/python -m pip install --quiet "playwright==1.65.2" "pytest-playwright==0.10.0"

# rebuild the front end's bundle (committed in src/detente/web/static; needs npm)
.PHONY: frontend
frontend:
	cd frontend && npm ci --no-audit --no-fund && npm run build

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/bench_deal.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
