# Two commands do everything (see README.md):
#   make run    builds what is missing (venv, index) and starts the assistant
#   make test   builds what is missing and runs every test
# Each step is skipped when its output is newer than its inputs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test index lint eval bench clean

run: $(STAMP)
	$(BIN)/python -m ingest
	@echo "The index is ready. Ask: $(BIN)/python -m assistant ask \"What scale has he handled?\""

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

index: $(STAMP)
	$(BIN)/python -m ingest

lint: $(STAMP)
	$(BIN)/ruff check .

eval: $(STAMP)
	$(BIN)/python -m assistant.eval

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) index .pytest_cache .ruff_cache
