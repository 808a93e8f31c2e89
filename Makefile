# The two commands of the README: `make demo` and `make test`. Everything else is their setup.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: demo test setup system-packages assets messages lint format clean

demo: setup
	$(VENV)/bin/sasaeai demo

test: setup system-packages
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed assets messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	npm run --silent build

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages_py

# Debian's chromium and the IPAex fonts for the browser test and PDFs (installs only what is missing).
system-packages:
	sh tools/system-packages.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules sasaeai/static/vendor
