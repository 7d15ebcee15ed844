# Two commands set everything up: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kiber migrate --noinput
	$(BIN)/kiber demo --if-empty
	$(BIN)/kiber runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/kiber/rules
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/kiber/rules

bench: $(STAMP)
	$(BIN)/python bench/rules.py
