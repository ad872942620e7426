# The README's two commands: `make demo` and `make test`. Everything installs into .venv from the
# pinned lock; nothing is installed by hand.
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared
DB     ?= sqlite:///storyline.db

.PHONY: install demo test lint eval eval-gate bench train clean

$(STAMP): pyproject.toml requirements/lock.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements/lock.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/storyline ingest data/sample --db $(DB)
	$(BIN)/storyline demo --db $(DB)

test: install
	$(BIN)/pytest -q

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

clean:
	rm -rf $(VENV) storyline.db .pytest_cache .mypy_cache .ruff_cache
