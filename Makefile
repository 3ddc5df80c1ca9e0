# The README's commands. Everything runs from a virtual environment in .venv,
# made with the first Python 3.12+ this machine has (Django 6 needs 3.12).
SHELL := /bin/bash
PORT ?= 8000
FIXTURE := som-2020 dialogue-history

PYTHON_BOOTSTRAP ?= $(shell for p in python3.14 python3.13 python3.12 $$(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format migrate loaddata clean node-deps serve backup restore loadtest scale-out bench

$(VENV)/bin/python:
	@test -n "$(PYTHON_BOOTSTRAP)" || { echo "Python 3.12 or newer is needed (Django 6)."; exit 1; }
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

migrate: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput

loaddata: migrate
	$(PY) manage.py loaddata $(FIXTURE)

## Serve the site with the 2020 meeting loaded at http://127.0.0.1:$(PORT)
run: loaddata
	$(PY) manage.py ensure_local_admin
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## Serve with gunicorn and production settings from the environment (see docs/deployment.md):
## DJANGO_DEBUG=false DJANGO_SECRET_KEY=… DJANGO_ALLOWED_HOSTS=… DATABASE_URL=… REDIS_URL=… make serve
serve: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	PORT=$(PORT) $(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py budapest.wsgi

## Write backups/budapest-YYYYMMDD-HHMMSS.tar.gz (records and uploaded files)
backup: $(VENV)/.runtime
	$(PY) manage.py backup

## Load a backup into an empty, migrated database: make restore FILE=backups/budapest-….tar.gz [FORCE=1]
restore: $(VENV)/.runtime
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/budapest-YYYYMMDD-HHMMSS.tar.gz [FORCE=1]"; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force)

# Locust for the load tests, apart from the app's own environment.
.venv-bench/bin/locust: requirements-bench.txt | $(VENV)/bin/python
	$(PYTHON_BOOTSTRAP) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet -r requirements-bench.txt
	@touch $@

## Load and fault tests against gunicorn on PostgreSQL and Redis (run by hand; see docs/reliability.md)
loadtest: $(VENV)/.runtime .venv-bench/bin/locust
	bench/loadtest.sh

## Archive-scale benchmark: 10,000 meetings on PostgreSQL and Redis, wrk against gunicorn; writes docs/performance.md
bench: $(VENV)/.runtime
	bench/perf/run.sh

## Two app servers behind nginx sharing PostgreSQL and Redis (see docs/deployment.md)
scale-out: $(VENV)/.runtime
	bench/scale_out.sh

# axe-core for the accessibility checks of the browser tests (package-lock.json pins it).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

node-deps: node_modules/.package-lock.json

## Run the whole test suite (DATABASE_URL selects PostgreSQL; SQLite otherwise)
# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE): each test worker
# would otherwise compile every module and rewrite every test's assertions again (about 14 s of CPU each).
test: $(VENV)/.dev node_modules/.package-lock.json
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .venv-bench staticfiles db.sqlite3 node_modules test-artifacts
