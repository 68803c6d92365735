# Vitrine — `make help` lists every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE := vitrine.settings

.DEFAULT_GOAL := help
.PHONY: help run install install-dev secret-key messages migrate demo serve test test-e2e lint format bench audit worker clean

help: # list the targets and what they do
	@grep -E '^[a-zA-Z_-]+:.*# ' $(MAKEFILE_LIST) | sed -E 's/^([a-zA-Z_-]+):.*# (.*)/  \1\t\2/' | expand -t 14

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@bash scripts/system-deps.sh runtime
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@bash scripts/system-deps.sh runtime
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed # install Vitrine into .venv

install-dev: $(VENV)/.installed-dev # install Vitrine with the test and tool dependencies

# Without DEBUG Vitrine does not start without a SECRET_KEY; this writes one into .env once.
secret-key: # write a generated SECRET_KEY into .env (mode 0600) unless one is set already
	@PYTHON=$(PYTHON) sh scripts/ensure-secret-key.sh

messages: $(VENV)/.installed secret-key # compile the German and English message catalogs
	$(BIN)/python manage.py compile_catalogs

migrate: messages # apply database migrations
	$(BIN)/python manage.py migrate --no-input

demo: migrate # load the demo company "Muster AG" (idempotent)
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_admin

# The background worker (imports, e-mail) runs beside gunicorn and stops when gunicorn stops.
serve: # serve on http://$(HOST):$(PORT) with gunicorn and the background worker
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo "Vitrine is served on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@trap 'kill $$server $$worker 2>/dev/null; wait 2>/dev/null' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(BIN)/python manage.py db_worker --backend background --queue-name '*' --no-reload & \
	worker=$$!; \
	HTTPS=$${HTTPS:-false} $(BIN)/gunicorn vitrine.wsgi --config python:vitrine.gunicorn_conf --bind $(HOST):$(PORT) --workers 2 --threads 4 & \
	server=$$!; \
	wait $$server

run: demo serve # install, migrate, load the demo company and serve on http://127.0.0.1:8000 with the background worker

worker: $(VENV)/.installed secret-key # run only the background worker for imports, e-mail and long jobs
	$(BIN)/python manage.py db_worker --backend background --queue-name '*'

# axe-core for the browser tests, the Nu HTML checker (vnu-jar) and Lighthouse for the audit.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund --silent
	@touch $@

test: $(VENV)/.installed-dev secret-key # install the test dependencies and run the whole suite
	$(BIN)/python manage.py compile_catalogs
	$(BIN)/python manage.py makemigrations --check --dry-run
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_STAMP); fi
	$(BIN)/pytest -n auto --dist loadgroup $(PYTEST_ARGS)

test-e2e: $(VENV)/.installed-dev $(NODE_STAMP) # run only the browser tests
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev # ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev # format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev # run the benchmarks in tests/bench (not part of make test)
	$(BIN)/pytest tests/bench -p no:xdist -s $(PYTEST_ARGS)

audit: $(VENV)/.installed-dev $(NODE_STAMP) # Lighthouse on eight demo pages served on a temporary database; fails below 98 (not part of make test)
	$(BIN)/python scripts/audit.py

clean: # remove the virtual environment and local data
	rm -rf $(VENV) var node_modules
