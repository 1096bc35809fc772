# Kizuna — the two commands of the README, and a few helpers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make run` is the demo network: admins may skip TOTP. Production runs `kizuna run` with its own env.
# Only `run` gets it: `make test` checks the product as production configures it.
KIZUNA_DEMO ?= 1
# The suite runs on every core up to four (pytest-xdist); PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n auto --maxprocesses 4

.PHONY: run test lint messages bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "python3-venv is missing: sudo apt-get install -y python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(BIN)/kizuna: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.dev: pyproject.toml $(BIN)/kizuna
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

run: $(BIN)/kizuna
	KIZUNA_DEMO=$(KIZUNA_DEMO) PORT=$(PORT) $(BIN)/kizuna run

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

messages: $(BIN)/kizuna
	cd kizuna && ../$(BIN)/kizuna makemessages -l ja -l en --no-obsolete --no-location && ../$(BIN)/kizuna compilemessages

bench: $(VENV)/.dev
	$(BIN)/python bench/import_leavers.py

clean:
	rm -rf $(VENV) data
