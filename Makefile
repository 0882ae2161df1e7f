# dateline: `make demo` and `make test` set up a fresh machine themselves.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO   := demo-output

.PHONY: demo test test-fast lint bench system-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[embeddings]' --group dev
	touch $(STAMP)

## demo: install, analyse the bundled demo corpus into SQLite, write JSON + HTML report
demo: $(STAMP)
	mkdir -p $(DEMO)
	$(VENV)/bin/dateline analyze examples/demo --db $(DEMO)/demo.db --json $(DEMO)/demo.json
	$(VENV)/bin/dateline report --db $(DEMO)/demo.db --out $(DEMO)/report.html --outlets examples/demo_outlets.csv
	@echo "report: $(DEMO)/report.html  database: $(DEMO)/demo.db  json: $(DEMO)/demo.json"

## test: install (Python packages, Debian chromium + postgresql when root), run the whole suite,
## then the lint gate (ruff, ruff format --check, mypy --strict)
test: $(STAMP) system-deps
	$(VENV)/bin/pytest
	$(MAKE) --no-print-directory lint

test-fast: $(STAMP)
	$(VENV)/bin/pytest -m "not slow and not browser and not postgres and not spark"

system-deps:
	bash scripts/install-system-deps.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

## bench: the quality benchmarks (throughput.py, load.py and stories.py scale are run by hand;
## train_quote_cues.py retrains the shipped quote model and is never run by make)
bench: $(STAMP)
	$(PY) benchmarks/extraction.py
	$(PY) benchmarks/timex.py --doc
	$(PY) benchmarks/timeline.py
	$(PY) benchmarks/quotes.py --split dev
	$(PY) benchmarks/quote_matching.py
	$(PY) benchmarks/events.py
	$(PY) benchmarks/stories.py quality
	$(PY) benchmarks/entities.py
	$(PY) benchmarks/demo_quality.py

clean:
	rm -rf $(DEMO) .pytest_cache
