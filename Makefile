# tickerwire — every target builds its own virtual environment from nothing, from the lock files.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= var/demo.db
# The pinned, hashed sets the tests ran against (`make lock` rewrites them from pyproject.toml).
LOCK     := requirements.lock
DEV_LOCK := requirements-dev.lock
UV       ?= uv==0.13.9
# Extra `uv pip compile` flags, e.g. `make lock LOCK_FLAGS=--upgrade` to move every pin forward.
LOCK_FLAGS ?=
COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--index-url https://pypi.org/simple --custom-compile-command "make lock" --quiet $(LOCK_FLAGS)

.PHONY: demo test test-all lint bench eval screenshots refdata lock clean fuzz

# `pip install -e .` also compiles the hot extraction modules (setup.py, mypyc and gcc; about a
# minute); an edit to one of them rebuilds. TICKERWIRE_PURE_PYTHON=1 builds none (docs/extract.md).
$(STAMP): $(DEV_LOCK) pyproject.toml setup.py $(wildcard src/tickerwire/extract/*.py)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p var
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/tickerwire --db $(DEMO_DB) ingest examples/
	$(BIN)/tickerwire --db $(DEMO_DB) prices import examples/prices/
	$(BIN)/tickerwire --db $(DEMO_DB) stats
	$(BIN)/tickerwire --db $(DEMO_DB) verify
	$(BIN)/tickerwire --db $(DEMO_DB) brief
	$(BIN)/tickerwire --db $(DEMO_DB) serve --host 127.0.0.1 --port 8000

# Everything but the tests marked slow (the corpus-wide brief check, a clean-venv install, the
# master cache, fuzzing, …) and the Chromium tests, on SQLite, and in the same run the PostgreSQL
# cases of tests/store (marker store_dir, set by tests/conftest.py), a representative share of the
# PostgreSQL cases (a server starts if initdb is installed, else they are skipped). On every core
# (pytest-xdist, one test file per worker at a time, so a file's fixtures are built once; each
# worker starts its own PostgreSQL server; the sample news is ingested once per run and shared).
# 3,413 tests; on the idle 2-core machine on 2026-12-05: 73.2 s of pytest (74.6 s wall, 116 s
# of CPU), and 72.1 s in a second run (was 80-88 s for 3,275 tests the same morning, before the
# search tests shared one store per module and the test HTTP servers stopped polling every half
# second). Cached bytecode, fork-server ingest workers and forked lazy-import checks keep the CPU
# down (docs/install.md). Later the same day, 3,622 tests (the engine, start-up and CLI work
# brought 209): 85.9 s of pytest, 87.2 s wall, 130 s of CPU.
# Ingest runs in one process unless a test asks for workers, and the longest files go first
# (tests/conftest.py).
# `make test PYTEST_PARALLEL=` runs them in one process (for pdb, say).
# The tests write bytecode caches (__pycache__, git-ignored) even where the environment sets
# PYTHONDONTWRITEBYTECODE: without them every run compiles, and pytest rewrites the asserts of,
# the same ~600 modules again in each worker and each command or ingest worker a test starts
# (about 6 s of CPU per worker for collection alone). A fresh checkout's first run compiles.
PYTEST_PARALLEL ?= -n auto --dist loadfile
test: export PYTHONDONTWRITEBYTECODE =
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow and not browser and (not postgresql or store_dir)"

# Every test on both backends, slow and browser ones included: what .ci/run runs. One process:
# the slow tests include load, concurrency and kill-and-rerun checks that other workers on the
# same cores would make flaky, and the browser tests share one Chromium.
test-all: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

# Every speed measurement of docs/performance*.md in one command: extraction against the spaCy
# and flashtext baselines, start-up, ingest (1 and N workers, a growing store), and reads on a
# store of BENCH_ARTICLES articles (built under BENCH_WORK, then API latency, CLI times and 16
# concurrent clients). The defaults take about an hour on two cores; the million-article table of
# docs/performance-insights.md is `make bench BENCH_ARTICLES=1000000` (about 28 GB of disk).
BENCH_ARTICLES ?= 100000
BENCH_WORK     ?= var/bench
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/verify_throughput.py
	$(BIN)/python benchmarks/alert_latency.py
	mkdir -p $(BENCH_WORK)
	$(BIN)/python benchmarks/insights_scale.py --articles $(BENCH_ARTICLES) --work $(BENCH_WORK) \
		--out $(BENCH_WORK)/insights.jsonl

# 100,000 hypothesis cases over every reader and the extractor (about half an hour on one core).
fuzz: $(STAMP)
	TICKERWIRE_FUZZ_PROFILE=deep $(BIN)/python -m pytest tests/test_fuzz.py -q

eval: $(STAMP)
	$(BIN)/tickerwire eval --docs ../shared/eval/dev/docs.jsonl --gold ../shared/eval/dev/gold.jsonl

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

refdata: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[build]'
	$(BIN)/python scripts/build_refdata.py --shared ../shared/data

# Re-resolve both lock files after a change to the dependencies in pyproject.toml.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(UV)"
	$(COMPILE) -o $(LOCK)
	$(COMPILE) --extra dev --constraint $(LOCK) -o $(DEV_LOCK)

clean:
	rm -rf $(VENV) var build .pytest_cache .mypy_cache .ruff_cache
	rm -f src/tickerwire/extract/*.so src/tickerwire/extract/_compiled.json
