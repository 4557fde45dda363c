# Two entry points: `make graph` builds the seeds, `make test` runs the tests.
# Each creates .venv and installs what it needs on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: graph test install clean

$(BIN)/dialogue-graph: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/dialogue-graph

graph: install
	$(BIN)/dialogue-graph build seeds --out build

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf build .pytest_cache
