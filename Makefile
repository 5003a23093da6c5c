# Two commands on a fresh machine:  make run   (demo on SQLite)   make test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
ADDR ?= 127.0.0.1:8000

.PHONY: setup run test lint format messages worker beat bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP) .env.dev

# A developer checkout runs with DEBUG on, so manage.py works without a
# SECRET_KEY. Never on a server: there, .env (see .env.example) sets DEBUG off.
.env.dev:
	printf '# Written by make setup: this is a developer checkout. Never copy it to a server.\nDEBUG=1\n' > $@

# Sets up, migrates, loads the demo unit and serves it at http://127.0.0.1:8000
run: setup
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver $(ADDR)

# Lint, migrations in step with models, then the whole test suite.
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: setup
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

worker: setup
	DEBUG=1 $(BIN)/celery -A config worker -l info

beat: setup
	DEBUG=1 $(BIN)/celery -A config beat -l info
