# The two commands: `make run` serves the demo city; `make test` runs every test.
# Both set up what they need first and are fast the second time.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format setup migrate demo api-key clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Civic311 needs Python 3.11: run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

setup: $(STAMP) var/secret_key

migrate: setup
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo_city

run: demo
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py serve

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

api-key: migrate  ## make api-key APP="My app": print a new production API key
	@$(PY) manage.py issue_api_key --app "$(or $(APP),My app)"

lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy civic311
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) manage.py check --fail-level WARNING

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var
