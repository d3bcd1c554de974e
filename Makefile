# rcjobs: `make demo` and `make test` are the two commands a fresh machine needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: install demo test test-fast browser axe bench lint format lock clean model

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# The browser tests drive the system's Chromium (Playwright cannot download its own here).
browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	   (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1)) || true; \
	fi; \
	if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "************************************************************************"; \
	  echo "* Chromium not found at $(CHROMIUM): the browser tests will be SKIPPED. *"; \
	  echo "* Install it with: sudo apt-get install chromium                       *"; \
	  echo "************************************************************************"; \
	fi

demo: install
	$(BIN)/rcjobs demo --port $(PORT)

# axe-core (the accessibility tests) comes from the npm registry, kept under ~/.cache/rcjobs.
AXE_DIR ?= $(HOME)/.cache/rcjobs
AXE_VERSION ?= 4.14.1
axe:
	@if [ -f "$(AXE_DIR)/node_modules/axe-core/axe.min.js" ]; then exit 0; fi; \
	if command -v npm >/dev/null; then \
	  echo "installing axe-core $(AXE_VERSION) from the npm registry into $(AXE_DIR)"; \
	  npm install --silent --no-audit --no-fund --prefix "$(AXE_DIR)" axe-core@$(AXE_VERSION) >/dev/null 2>&1 || true; \
	fi; \
	if [ ! -f "$(AXE_DIR)/node_modules/axe-core/axe.min.js" ]; then \
	  echo "axe-core not installed (no npm?): the accessibility tests will be SKIPPED"; \
	fi

test: install browser axe
	$(BIN)/mypy
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not browser and not slow"

# The tantivy reference of bench_http.py needs the bench extra; without it that reference is skipped.
bench: install
	@$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]' >/dev/null 2>&1 || \
	  echo "tantivy could not be installed: bench_http.py skips its reference"
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit $$?; done

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check board spiders search_index tests benchmarks demo
	$(BIN)/mypy

format: install
	$(BIN)/ruff format board spiders search_index tests benchmarks demo

# Refresh the constraints file from the current environment (after changing dependencies).
lock:
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -v '^-e \|^pip==' > constraints.txt

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

# Retrain the relevance model from ../shared/fixtures and the labels (needs the train extra).
model: install
	$(BIN)/rcjobs train
