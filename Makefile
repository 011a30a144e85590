# Two commands do everything (see README.md):
#   make run    builds what is missing (venv, index) and starts the assistant
#   make test   builds what is missing and runs every test
# Each step is skipped when its output is newer than its inputs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test browser index lint eval bench clean

PORT ?= 8000

# run and index print only what the owner needs: the ingest's summary, its progress, the
# URL and any error. Library logs go to logs/ (PORTFOLIO_VERBOSE=1 prints them too).
run: $(STAMP)
	@$(BIN)/python -m ingest
	@echo "Starting the chat; library logs go to logs/app.log (Ctrl-C stops it)"
	@$(BIN)/chainlit run assistant/web/app.py --host 127.0.0.1 --port $(PORT) --headless

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The browser test drives Debian's Chromium; Playwright never downloads one here.
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser test (needs root)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "chromium not installed: the browser test will be skipped"; }

index: $(STAMP)
	@$(BIN)/python -m ingest

lint: $(STAMP)
	$(BIN)/ruff check .

eval: $(STAMP)
	$(BIN)/python -m assistant.measure.eval

$(STAMP): pyproject.toml
	@echo "Installing the dependencies into $(VENV)/ (a few minutes the first time)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -qq --upgrade pip
	@$(BIN)/python -m pip install -qq -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) index logs .pytest_cache .ruff_cache
