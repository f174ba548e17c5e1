# tickerwire — every target builds its own virtual environment from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= var/demo.db

.PHONY: demo test lint bench eval screenshots refdata clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p var
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/tickerwire --db $(DEMO_DB) ingest examples/
	$(BIN)/tickerwire --db $(DEMO_DB) stats
	$(BIN)/tickerwire --db $(DEMO_DB) brief
	$(BIN)/tickerwire --db $(DEMO_DB) serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/throughput.py

eval: $(STAMP)
	$(BIN)/tickerwire eval --docs ../shared/eval/dev/docs.jsonl --gold ../shared/eval/dev/gold.jsonl

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

refdata: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[build]'
	$(BIN)/python scripts/build_refdata.py --shared ../shared/data

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
