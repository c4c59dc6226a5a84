# The two set-up commands: `make demo` and `make test`. Each creates .venv when missing,
# installs what it needs, and does nothing more when pyproject.toml has not changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.haven-installed
HAVEN_DB ?= haven.db
PORT ?= 8000

.PHONY: demo test lint bench-import clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Loads the reference crisis, prints its overview, then serves the dashboard on 127.0.0.1:$(PORT).
demo: $(STAMP)
	$(BIN)/haven --db $(HAVEN_DB) demo --serve --port $(PORT)

# The browser tests drive Debian's Chromium; the script installs it when it is missing.
test: $(STAMP)
	scripts/install-browser.sh
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench-import: $(STAMP)
	$(BIN)/python bench/import_events.py

clean:
	rm -rf $(VENV) build src/*.egg-info
