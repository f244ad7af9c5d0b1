# Two commands for a newcomer: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench bench-setup clean browser

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/plaudit demo

# Browser tests use Debian's chromium (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed: browser tests will be skipped (apt-get install chromium)"; fi; }

# axe-core for the staff app's accessibility tests, from the npm registry into tests/js (never loaded from a CDN).
AXE := tests/js/node_modules/axe-core/axe.min.js
$(AXE): tests/js/package.json tests/js/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; }
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/js --no-audit --no-fund --silent && touch $(AXE); \
	else echo "npm is not installed: the accessibility (axe) tests will be skipped (apt-get install npm)"; fi

test: $(STAMP) browser $(AXE)
	$(BIN)/python -m pytest

# The public load benchmark compares with Datasette (the [bench] extra) using Debian's wrk.
bench-setup: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is not installed: bench/public_load.py needs it (apt-get install wrk)"; fi; }

bench: $(STAMP) bench-setup
	$(BIN)/python bench/backfill.py
	$(BIN)/python bench/dask_backfill.py
	$(BIN)/python bench/dedupe_recall.py
	$(BIN)/python bench/dedupe_templated.py --n 30000
	$(BIN)/python bench/nightly_scale.py --cache $${TMPDIR:-/tmp}/plaudit-nightly
	$(BIN)/python bench/sentiment_agreement.py
	$(BIN)/python bench/general_text.py
	$(BIN)/python bench/wishes.py
	$(BIN)/python bench/patient_details.py
	$(BIN)/python bench/risk_flags.py
	$(BIN)/python bench/planted_details.py
	$(BIN)/python bench/spam_set.py
	$(BIN)/python bench/staff_queue.py
	$(BIN)/python bench/public_load.py
	$(BIN)/python bench/import_memory.py --n 200000

clean:
	rm -rf demo-data .pytest_cache
