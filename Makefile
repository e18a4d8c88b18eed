# Entre Pairs — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install install-test quality vendor bench demo-data test-sqlite test-postgres browser-deps clean

# Debian ships venv's pip bootstrap apart (python3-venv): installed here when missing and root.
$(PY):
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "Installez le paquet Debian python3-venv, puis relancez." >&2; exit 1; fi; }
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

install: $(PY)
	$(UV) sync --frozen --inexact --quiet

demo-data: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_territory
	$(PY) manage.py import_sae
	$(PY) manage.py demo --scale small --seed 1
	# The observatory reads only published figures: publish the ended periods of the demo.
	$(PY) manage.py publish_figures

run: demo-data
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:8000

# Chromium comes from Debian's package; axe-core and the test OpenID Connect provider
# (oidc-provider, run by node) from npm (node_modules, not committed).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium absent et installation impossible sans droits root : tests navigateur ignorés"; fi; \
	fi
	@if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	  apt-get update -qq && apt-get install -y -qq npm >/dev/null; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -d node_modules/oidc-provider ]; then \
	  if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	  else echo "npm absent : axe-core indisponible, tests navigateur ignorés"; fi; \
	fi

install-test: install browser-deps

test-sqlite: install-test
	$(PY) -m pytest -n 2 --dist loadfile -q

# The browser journeys test pages, not the database: they run once, on SQLite (the demo's
# database); every other test runs on both.
test-postgres: install-test
	$(PY) scripts/with_postgres.py $(PY) -m pytest -n 2 --dist loadfile -q -m "not browser"

test: test-sqlite test-postgres

quality: install
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates entrepairs --lint --quiet
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=entrepairs.example.org \
	DATABASE_URL=postgres://u:p@localhost/db DJANGO_SETTINGS_MODULE=config.settings.prod \
	PREVENTION_PLAN_KEYS=$$($(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
	$(PY) manage.py check --deploy --fail-level WARNING

# Refresh the committed Bootstrap files from the npm package (never a CDN).
vendor:
	npm ci --no-audit --no-fund --silent
	mkdir -p static/vendor/bootstrap
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/LICENSE static/vendor/bootstrap/

# make bench: scale medium; make bench BENCH_SCALE=national: the national volume loaded with
# COPY, observer dashboards, refresh of the published tables, floors and ratios (scripts/bench.py).
bench: install
	$(PY) scripts/with_postgres.py $(PY) scripts/bench.py

clean:
	rm -rf var $(VENV) node_modules
