# Two commands set everything up: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench lock

# The environment is installed from the lock file (exact versions and hashes), then Kiber itself.
$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kiber migrate --noinput
	$(BIN)/kiber demo --if-empty
	$(BIN)/kiber runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/kiber/rules
	$(BIN)/pytest -n 2 --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/kiber/rules

bench: $(STAMP)
	$(BIN)/python bench/rules.py

# After changing a dependency in pyproject.toml: pin the whole tree again.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes -q -o requirements.lock
