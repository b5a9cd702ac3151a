# One entry point for every developer task. `make` creates .venv itself; nothing is installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= .narratives-data
SHARED ?= ../shared

.PHONY: help run test lint fmt neo4j neo4j-stop bench eval soak demo clean system-deps

help:
	@echo "make run    - set up, load the demo graph into the embedded store, serve on http://127.0.0.1:8000"
	@echo "make test   - the test suite (both stores; starts a local Neo4j when Java and Maven are present)"
	@echo "make lint   - ruff and mypy --strict"
	@echo "make neo4j  - start the local Neo4j 5.26 (Bolt on 127.0.0.1:7687) in the background"
	@echo "make bench  - the benchmark table"
	@echo "make eval   - similarity and match quality against a baseline"
	@echo "make soak   - the long reliability suite"

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/narratives --data-dir $(DATA_DIR) load --replace demo/

run: demo
	$(BIN)/narratives --data-dir $(DATA_DIR) serve

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check graph loaders api visualisations cli tests benchmarks
	$(BIN)/ruff format --check graph loaders api visualisations cli tests benchmarks
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff check --fix graph loaders api visualisations cli tests benchmarks
	$(BIN)/ruff format graph loaders api visualisations cli tests benchmarks

neo4j:
	mkdir -p .neo4j
	nohup tools/neo4j/run --port 7687 --data .neo4j/data > .neo4j/server.log 2>&1 < /dev/null & echo $$! > .neo4j/pid
	@echo "Neo4j starting; log in .neo4j/server.log (bolt://127.0.0.1:7687, auth off); make neo4j-stop stops it"

neo4j-stop:
	test -f .neo4j/pid && kill $$(cat .neo4j/pid) && rm -f .neo4j/pid

bench: $(STAMP)
	$(BIN)/python -m benchmarks --shared $(SHARED)

eval: $(STAMP)
	$(BIN)/narratives eval --shared $(SHARED)

soak: $(STAMP)
	SOAK=1 $(BIN)/pytest -q -m "slow or not slow" tests/reliability

# What a clean Debian machine lacks for the browser tests (run as root; CI calls it).
system-deps:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
