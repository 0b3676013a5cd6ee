# Common Ground: `make run` serves the demo site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium
# Where `make run` serves, and the address its links and e-mails use (override both to serve
# elsewhere, e.g. make run ADDRESS=0.0.0.0:8000 SITE_URL=http://myhost:8000).
ADDRESS ?= 127.0.0.1:8000

.PHONY: install run test lint browser migrate demo clean bench bench-network bench-coproduction bench-openreferral bench-insights bench-harvest relevance mutation personas-large

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.x).")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py rebuild_directory_index
	$(BIN)/python manage.py refresh_insights

# migrate (through demo) points the Wagtail Site at SITE_URL; the server's links use it too.
run: export SITE_URL ?= http://$(ADDRESS)
run: demo
	@echo "Serving on $(SITE_URL) (admin: $(SITE_URL)/admin/). Ctrl+C to stop."
	$(BIN)/python manage.py runserver $(ADDRESS)

# Browser tests drive Debian's chromium through Playwright; never a downloaded browser.
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Debian's chromium for the browser tests..."; \
			(apt-get install -y -qq chromium >/dev/null 2>&1 || \
			 (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
		elif command -v sudo >/dev/null; then \
			sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "chromium is not installed and cannot be installed here: browser tests will be skipped."; \
		fi; \
	fi

# axe-core, for the browser tests' accessibility checks (from the npm registry; nothing served).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --silent --no-audit --no-fund && touch $@; \
	else \
		echo "npm is missing: the accessibility checks will be skipped."; \
	fi

# On every core (pytest-xdist), the tests handed out one by one in the order pytest-django
# sorts them, so that those that empty the database run after the rest on each worker.
test: install browser node_modules/.installed
	$(BIN)/python -m pytest -n auto --dist load

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Search benchmark on its own 100,000-activity database in var/bench/ (BENCH_ARGS="--repeat 50").
bench: install
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

# Commissioners' insights on the search bench's database in var/bench/ (targets: a borough's
# analysis 2 s at 100,000 activities, pages p95 300 ms once computed).
bench-insights: install
	$(BIN)/python bench/insights_bench.py $(BENCH_ARGS)

# Coproduction's network measures on a random system of 2,000 nodes and 10,000 edges (target 2 s).
bench-network: install
	$(BIN)/python bench/network_bench.py

# The Open Referral feed on the search bench's database in var/bench/ (targets: lists 50 ms, an
# item 20 ms, p95 at 100,000 activities).
bench-openreferral: install
	$(BIN)/python bench/openreferral_bench.py $(BENCH_ARGS)

# Harvesting a neighbour's feed from a local file: services a second and memory (target at
# least 1,000 a second; 100,000 services, BENCH_ARGS="--services N" for fewer).
bench-harvest: install
	$(BIN)/python bench/harvest_bench.py $(BENCH_ARGS)

# Coproduction's pages on the demo data, as their users open them (target p95 300 ms a page).
bench-coproduction: install
	$(BIN)/python bench/coproduction_bench.py $(BENCH_ARGS)

# Search relevance (the judged query set's nDCG@10 and zero-result rate) on the demo borough,
# built in a temporary directory.
relevance: install
	$(BIN)/python bench/relevance_bench.py

# The rules every persona's suggestions keep (tests/matching/test_personas.py, marked
# persona_rule), in a borough of 100,000 activities instead of the demo's 400 (several minutes).
personas-large: install
	PERSONA_ACTIVITIES=100000 $(BIN)/python -m pytest tests/matching/test_personas.py -m persona_rule -p no:randomly

# mutmut over the pure modules, each against its own tests (minutes; not in CI): prints each score
# and exits 1 when one is under 90% of non-string mutants killed (MUTATION_ARGS="params").
mutation: install
	$(BIN)/python tools/mutation.py $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) var test-artifacts node_modules
