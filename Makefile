# `make run` and `make test` are the two commands; everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
DEMO_DEFECTS ?= 400
# Without PostgreSQL and Redis (the SQLite laptop default) the tests that need them are deselected
# and the run says so; .ci/run provides both and runs everything.
PYTEST_MARKS := $(if $(and $(findstring postgres,$(DATABASE_URL)),$(REDIS_URL)),,-m "not postgres and not services")
# One test process per core (pytest-xdist), each with its own test database, media folder, Celery
# queue and cache keys (bott_tracker/settings_test.py). Work stealing: a few tests take a minute.
PYTEST_PARALLEL ?= -n auto --dist worksteal

.PHONY: run test install system-deps lint typecheck pytest messages messages-update bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@scripts/system-deps.sh $(if $(filter test,$(MAKECMDGOALS)),test,run)

install: system-deps $(VENV)/.installed node_modules/.installed messages

messages: $(VENV)/.installed
	@$(BIN)/pybabel compile -d locale -D django >/dev/null

# Re-extract the strings after changing the UI; then translate the new entries in locale/en.
messages-update: $(VENV)/.installed
	$(MANAGE) makemessages -l nb -l en --no-location --ignore='.venv/*' --ignore='node_modules/*' \
		--ignore='tests/*' --ignore='bench/*' --ignore='staticfiles/*'

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --defects $(DEMO_DEFECTS) --if-empty
	@echo "BOTT Tracker on http://$(HOST)/  (logins in README.md, password: bott-demo)"
	$(MANAGE) runserver $(HOST)

lint: $(VENV)/.installed
	$(BIN)/djlint templates --lint
	git ls-files -z '*.py' ':!:*/migrations/*' | xargs -0 $(BIN)/django-upgrade --target-version 5.2 --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_sizes.py

typecheck: $(VENV)/.installed
	$(BIN)/mypy .

test: install lint typecheck
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python scripts/check_linear_migrations.py
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null
	@if [ -n '$(PYTEST_MARKS)' ]; then echo "NOTE: no PostgreSQL+Redis configured: PostgreSQL/Redis tests deselected (.ci/run runs them)."; fi
	$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_MARKS) $(PYTEST_ARGS)

bench: install
	@for m in bench/bench_*.py; do $(BIN)/python -m bench.$$(basename $$m .py) $(BENCH_ARGS) || exit 1; done

clean:
	rm -rf $(VENV) node_modules staticfiles .mypy_cache .ruff_cache .pytest_cache
