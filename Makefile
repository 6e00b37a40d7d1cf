# Two commands on a fresh machine: `make run` (set up and serve) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
PYTEST_ARGS ?=
export FLASK_APP := wsgi

.DEFAULT_GOAL := help
.PHONY: help install dev run serve test lint format clean bench e2e-deps

help:  ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

install: $(VENV)/.runtime  ## create .venv and install the service

dev: $(VENV)/.dev  ## create .venv and install the service with test and lint tools

run: install  ## migrate the embedded SQLite database, seed scenarios, serve on 127.0.0.1:$PORT
	APP_ENV=$${APP_ENV:-development} $(BIN)/flask db upgrade
	APP_ENV=$${APP_ENV:-development} $(BIN)/flask scenarios seed
	APP_ENV=$${APP_ENV:-development} $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

serve: install  ## production: migrate DATABASE_URL, then gunicorn (gunicorn.conf.py) for nginx to proxy
	@test -n "$$DATABASE_URL" || { echo "make serve: set DATABASE_URL and JWT_SECRET_KEY (README, Deploy)" >&2; exit 2; }
	$(BIN)/flask db upgrade
	exec $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: dev  ## the whole suite on SQLite and PostgreSQL (TEST_DATABASE_URL, else a throwaway cluster)
	$(BIN)/python -m tests.with_postgres $(BIN)/pytest $(PYTEST_ARGS)

# what the e2e tests start (nginx, redis-server) and the docs rendering test's browser
E2E_BINARIES := nginx:nginx redis-server:redis-server chromium:chromium
e2e-deps:  ## install what the e2e tests need (nginx, redis-server, chromium) from Debian when missing
	@for pair in $(E2E_BINARIES); do \
		bin=$${pair%%:*}; pkg=$${pair##*:}; \
		command -v $$bin >/dev/null || [ -x /usr/sbin/$$bin ] || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

lint: dev  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev  ## apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: reset
reset:  ## delete the local SQLite database (stop make run first); the next run starts fresh
	rm -f instance/roleplay.db instance/roleplay.db-wal instance/roleplay.db-shm
	@echo "local database removed; make run creates, migrates and seeds a new one"

clean:  ## remove the virtualenv, caches and the local database
	rm -rf $(VENV) .pytest_cache .ruff_cache instance/roleplay.db*

.PHONY: eval
eval: dev  ## the coach's evaluation report (train and held-out parts; exits 1 below target)
	$(BIN)/python -m tests.eval.evaluate

.PHONY: bench-coach
bench-coach: dev  ## the coach's judge latency on one core and the memory its model costs
	$(BIN)/python bench/coach.py $(BENCH_ARGS)

.PHONY: train-coach
train-coach: dev  ## retrain the question router, then the coach's heads, on the train writers (data/coach/*.npz)
	$(BIN)/python -m tests.eval.router --embedder static
	$(BIN)/python -m tests.eval.train --embedder static

.PHONY: reliability
reliability: dev  ## the full reliability run: 5,000+ fuzz cases, kill -9, database outage, audit
	rm -f .reliability/last-run.json
	RELIABILITY_FULL=1 $(BIN)/pytest tests/reliability -p no:cacheprovider $(PYTEST_ARGS)
	@echo "figures of this run (.reliability/last-run.json):" && cat .reliability/last-run.json

bench: install  ## gunicorn + PostgreSQL under wrk, beside pgbench ceilings (BENCH_DATABASE_URL)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# ---- generated clients (clients/README.md) ---------------------------------------------------
NPM_CI := npm ci --no-audit --no-fund --prefix clients/ts

.PHONY: clients clients-check
clients: dev  ## regenerate clients/ from the OpenAPI document (exported without a server)
	$(BIN)/python -m roleplay_api.openapi clients/openapi.json
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/openapi-python-client generate --overwrite \
	    --path clients/openapi.json --meta none --config clients/python/config.yaml \
	    --output-path clients/python/roleplay_api_client
	$(NPM_CI) --silent
	cd clients/ts && npx --no-install openapi-typescript ../openapi.json -o src/schema.d.ts

clients-check: dev  ## TypeScript: types match the document, and they and the example pass tsc --strict
	@if ! command -v node >/dev/null; then \
	    if [ "$${CI:-}" = true ]; then echo "clients-check: node is required under CI" >&2; exit 1; fi; \
	    echo "clients-check skipped: node is not installed"; exit 0; fi; \
	set -e; $(NPM_CI) --silent; \
	$(BIN)/python -m roleplay_api.openapi > clients/ts/.openapi-now.json; \
	cd clients/ts; npx --no-install openapi-typescript .openapi-now.json -o .schema-now.d.ts --silent; \
	rm -f .openapi-now.json; \
	if ! cmp -s .schema-now.d.ts src/schema.d.ts; then \
	    diff -u src/schema.d.ts .schema-now.d.ts | head -40; rm -f .schema-now.d.ts; \
	    echo "clients/ts/src/schema.d.ts is stale: run make clients" >&2; exit 1; fi; \
	rm -f .schema-now.d.ts; \
	npx --no-install tsc --strict --noEmit -p . && echo "clients-check: TypeScript types and example compile (tsc --strict)"
