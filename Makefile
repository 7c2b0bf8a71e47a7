# Portail des PTCE — everyday commands. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): `auto` is one per core, at most 7 (one Redis test database
# each, tests/workers.py); `make test PYTEST_WORKERS=0` runs the suite in this one process.
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install run serve setup test test-e2e lint format bench clean

help: ## List the commands
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev extra

setup: install ## Migrate, then load territories and content into an empty database
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bootstrap_portal

run: setup ## Install if needed, migrate, load data if empty, serve on 127.0.0.1:8000
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install ## Serve with gunicorn and the production settings (HOST, PORT, WEB_CONCURRENCY; README)
	DJANGO_SETTINGS_MODULE=ptce_portal.settings.production PORTAL_PROCESS=web \
	  HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c ptce_portal/gunicorn.conf.py ptce_portal.wsgi:application

test: install ## Run the test suite in parallel (not the browser tests); DATABASE_URL selects the database
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses 7 $(PYTEST_ARGS)

test-e2e: install ## Run the browser tests (Playwright + Debian Chromium)
	@[ $(VENV)/.installed-e2e -nt pyproject.toml ] || { \
	  $(BIN)/python -m pip install --quiet -e '.[e2e]' && touch $(VENV)/.installed-e2e; }
	$(BIN)/python -m pytest -p no:cacheprovider -m e2e tests/e2e $(PYTEST_ARGS)

lint: install ## Check style and common errors with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the virtualenv, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 db.sqlite3-shm db.sqlite3-wal .pytest_cache .ruff_cache staticfiles
