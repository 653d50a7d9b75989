# Safer Plan. `make` on its own lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium
# pytest-xdist: one worker per core, each test file kept on one worker (its module fixtures are built
# once, and Redis's one pub/sub namespace is never shared by two broker tests at once); each worker
# has a database of its own (tests/support/database.py), and in e2e/ a server of its own.
SPREAD ?= -n auto --dist loadfile
# Both suites keep their files in collection order across the workers (xdist would otherwise send the
# files with the most tests first). Unit and integration tests: the files that run longest start first
# (LONGEST_FIRST, tests/conftest.py). Browser tests: files that agree a new version of Jordan's plan run
# last (RUNS_LAST, e2e/conftest.py).
TESTS_ORDER := $(if $(strip $(SPREAD)),--no-loadscope-reorder)
E2E_ORDER := $(TESTS_ORDER)
export PORT

.PHONY: help run worker test test-unit test-e2e lint check-strings translations browser bench bench-scale bench-cpu bench-instructions security-report clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@echo "• Creating the Python environment in $(VENV)…"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@echo "• Installing dependencies (pinned by requirements/constraints.txt)…"
	@$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed ## Create the environment and install dependencies

run: $(VENV)/.installed ## Set up and serve the app with demo data on http://localhost:$(PORT)
	@$(VENV)/bin/flask --app app setup
	@echo "• Serving on http://localhost:$(PORT) (Ctrl+C to stop)"
	@$(VENV)/bin/gunicorn --config gunicorn.conf.py --no-control-socket --bind 127.0.0.1:$(PORT) --access-logfile -

worker: $(VENV)/.installed ## Run the job worker (PostgreSQL DATABASE_URL); on SQLite jobs run inside `make run`
	@$(VENV)/bin/flask --app app worker

browser: ## Install Debian's Chromium for the browser tests if no browser is found
	@if [ -x "$(CHROMIUM)" ]; then echo "• Browser found: $(CHROMIUM)"; else \
		echo "• No browser found: installing Debian's chromium package…"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

test: $(VENV)/.installed browser ## Run every test: unit and integration, then e2e in Chromium
	@echo "• Unit and integration tests (database: $${DATABASE_URL:-SQLite}), one worker per core…"
	@$(PY) -m pytest tests -q $(SPREAD) $(TESTS_ORDER)
	@echo "• Browser tests in Chromium (screenshots in e2e/screenshots/), one server and browser per core…"
	@$(PY) -m pytest e2e -q $(SPREAD) $(E2E_ORDER)

test-unit: $(VENV)/.installed ## Run the unit and integration tests only
	@$(PY) -m pytest tests -q $(SPREAD) $(TESTS_ORDER)

test-e2e: $(VENV)/.installed browser ## Run the browser tests only
	@$(PY) -m pytest e2e -q $(SPREAD) $(E2E_ORDER)

security-report: $(VENV)/.installed ## Run the tests and print the security figures (E2E=1 adds the browser tests)
	@$(PY) bench/security_report.py $(if $(E2E),--e2e)

bench: $(VENV)/.installed browser ## Measure the plan page (bytes, Lighthouse mobile) and live updates across two processes (needs Redis)
	@test -x bench/node_modules/.bin/lighthouse || npm install --silent --no-save --no-audit --no-fund --prefix bench lighthouse@12
	@$(PY) bench/perf.py
	@$(PY) bench/propagation.py

bench-scale: $(VENV)/.installed ## Measure at council scale on PostgreSQL, each figure beside its goal (REBUILD=1 builds the database again, DROP=1 drops it)
	@$(PY) -m bench.scale $(if $(REBUILD),--rebuild) $(if $(DROP),--drop)

bench-cpu: $(VENV)/.installed ## CPU ms per request of both plan pages, the caseload and a plan page answered 304 beside a bare Flask route, in process on the demo (SQLite)
	@$(PY) -m bench.plan_cpu

bench-instructions: $(VENV)/.installed ## Instructions per request of both plan pages, the caseload and a plan page answered 304 under valgrind's callgrind: steady on a busy machine, for before and after a change
	@command -v valgrind >/dev/null || { if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq valgrind >/dev/null; }
	@$(PY) -m bench.instructions

lint: $(VENV)/.installed ## ruff (with security and gettext rules), ruff's formatting, and mypy
	@$(VENV)/bin/ruff check app tests e2e bench migrations
	@$(VENV)/bin/ruff format --check --quiet app tests e2e bench migrations
	@$(VENV)/bin/mypy

check-strings: $(VENV)/.installed ## Fail if translations/messages.pot is out of date
	@$(VENV)/bin/pybabel extract --omit-header -F babel.cfg -k _l -o /tmp/safer-plan-messages.pot . >/dev/null 2>&1
	@diff -q <(grep -v '^#:' /tmp/safer-plan-messages.pot) <(grep -v '^#:' translations/messages.pot) >/dev/null \
		|| (echo "translations/messages.pot is out of date: run 'make translations'"; exit 1)
	@echo "• translations/messages.pot is up to date"

translations: $(VENV)/.installed ## Extract user-facing strings into translations/messages.pot and update every language's catalog
	@$(VENV)/bin/pybabel extract --omit-header -F babel.cfg -k _l -o translations/messages.pot . >/dev/null 2>&1
	@echo "• Wrote translations/messages.pot"
	@# New strings arrive empty (-N: no fuzzy guesses); tests/unit/test_catalogs.py then names every
	@# family string still to translate (translations/README.md says how).
	@$(VENV)/bin/pybabel update -N --ignore-obsolete -i translations/messages.pot -d translations >/dev/null 2>&1
	@echo "• Updated translations/*/LC_MESSAGES/messages.po"

clean: ## Remove the environment, caches and local databases
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache instance e2e/screenshots
