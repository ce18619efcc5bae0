# Ladder: `make run` starts the demo, `make test` runs everything. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-trusted-host --no-emit-find-links
export DJANGO_SETTINGS_MODULE ?= lms.settings.dev
# The embedded Redis runs beside the web process unless REDIS_URL points at a real one.
PROCESSES := $(if $(REDIS_URL),web worker webhooks beat,redis web worker webhooks beat)
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: help install install-dev requirements messages translations gettext run migrate static demo test lrs test-fast lint format system-test-deps pdf-deps bench bench-quick bench-node bench-readme clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

install: $(STAMP) translations pdf-deps ## Create .venv, install what the product needs to run (requirements.txt), compile the catalogs

install-dev: $(DEV_STAMP) translations ## Add the test, browser, benchmark and lint tools (requirements-dev.txt)

# Interface catalogs: locale/<language>/LC_MESSAGES/django.po, compiled here (the .mo files are not kept in git).
LANGUAGES := fr mg bn hi sw
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

gettext: ## Install GNU gettext (msgfmt, xgettext) when it is missing (Debian)
	@command -v msgfmt >/dev/null || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq gettext; }

translations: $(MO_FILES) ## Compile the interface catalogs (msgfmt --check: a broken placeholder fails)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | gettext
	msgfmt --check --output-file $@ $<

messages: install-dev gettext ## Extract the interface strings into every catalog (then translate the new entries)
	$(BIN)/python manage.py makemessages --no-obsolete --no-wrap --add-location file \
		$(foreach language,$(LANGUAGES),--locale $(language)) \
		--ignore ".venv/*" --ignore "bench/*" --ignore "tests/*" --ignore "var/*" --ignore "staticfiles/*"

requirements: install-dev ## Pin pyproject.toml's dependencies again, with hashes: requirements.txt and requirements-dev.txt
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.txt --output-file requirements-dev.txt pyproject.toml

pdf-deps: ## Install Pango, which the impact report's PDF needs, when it is missing (Debian)
	@ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

migrate: install ## Apply database migrations; write the badge signing key on first run (var/, never committed)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py credential_key_create --if-missing

static: install ## Collect static files for the web process
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

demo: migrate ## Load the demo (idempotent)
	$(BIN)/python manage.py seed_demo

run: migrate static ## Start web, Celery worker and beat (and embedded Redis) with the demo at http://127.0.0.1:8000
	@$(BIN)/python manage.py shell -c "from lms.models import WorkerProfile; import sys; sys.exit(0 if WorkerProfile.objects.exists() else 1)" \
		|| $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Ladder is starting at http://127.0.0.1:8000  (admin at /admin/)"
	@echo "  Demo logins, password 'ladder-demo': worker, manager, assistant, expert, admin"
	@echo ""
	$(BIN)/honcho start $(PROCESSES)

system-test-deps: ## Install Chromium, PostgreSQL and Pango (the PDF report) for the tests when missing (Debian)
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		$(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq $$missing; \
	fi

lint: install-dev ## ruff (lint and format check), djhtml and the import contracts (import-linter)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: install-dev ## Fix formatting (ruff format, djhtml)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml templates

lrs: ## A learning record store for the xAPI test: Ralph in its own virtualenv, var/lrs-venv (pinned list)
	DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/python -c "from tests.servers import lrs_venv; lrs_venv()"

test: install-dev system-test-deps lint lrs ## Install what the tests need and run the whole suite, on SQLite then PostgreSQL
	DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/python -m pytest
# The database-bound tests again on PostgreSQL; browser and integration tests ran once above.
	DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/python -m pytest -p tests.postgres_plugin \
		-m "not browser and not integration"

test-fast: install-dev ## The edit loop: SQLite only, no browser, integration or slow tests, the test database kept
	LADDER_TEST_DB_KEEP=1 DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/python -m pytest --reuse-db \
		-m "not browser and not integration and not slow and not postgres" -x -q

bench-node: ## Lighthouse for the benchmark: Node (Debian's, when missing) and bench/package-lock.json
	@command -v npm >/dev/null || (apt-get update && apt-get install -y --no-install-recommends nodejs npm)
	@[ -f bench/node_modules/lighthouse/cli/index.js ] || npm ci --prefix bench --no-audit --no-fund --ignore-scripts

bench: install-dev system-test-deps bench-node ## Measure every budget of DESIGN.md §8 on a million events (about 15 minutes)
	$(BIN)/python -m bench.run

bench-quick: install-dev system-test-deps bench-node ## The same measurements on a data set ten times smaller (about 2 minutes)
	$(BIN)/python -m bench.run --quick

bench-readme: ## Write README's Performance table from bench/results/latest.json (after make bench)
	$(BIN)/python -m bench.readme

clean: ## Remove the virtualenv, the local database and media
	rm -rf $(VENV) var staticfiles
