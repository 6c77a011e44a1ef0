# The README's two commands are `make run` and `make test`; everything they need is
# installed from this repository's own files (requirements*.txt, scripts/).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEPS_STAMP := $(VENV)/.deps-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve test install system-deps lint format check bench lock clean

# The Procfile's processes under honcho (scripts/serve.py): Ctrl-C, TERM and a closed
# terminal (HUP) each stop all of them. `exec` leaves make waiting on honcho directly.
# LECTERN_SERVED_AT tells every process (honcho gives each its own PORT) where the site is
# served, for the absolute links the dev settings build (config/settings/dev.py).
SERVE = PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) PORT=$(PORT) LECTERN_SERVED_AT=$(HOST):$(PORT) \
	exec $(PY) scripts/serve.py

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@$(SERVE)

# The same without installing, migrating or seeding.
serve:
	@$(SERVE)

test: install system-deps
	@# pytest exits 5 when it collected no test: that is a failure here, never a pass.
	@set +e; $(VENV)/bin/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; exit $$rc

install: $(DEPS_STAMP)

$(DEPS_STAMP): requirements.txt requirements-dev.txt package.json package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	@# hls.js (the video player) comes from the npm registry, pinned by package-lock.json,
	@# and is served from our own static files: no CDN.
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	scripts/install-system-deps.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The API's OpenAPI schema must generate with zero warnings and validate as OpenAPI 3.1.
check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

BENCH ?=
bench: install system-deps
	$(PY) -m bench $(BENCH)

lock: install
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links --output-file requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
