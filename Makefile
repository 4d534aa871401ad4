# Two commands on a fresh machine: `make run` and `make test`. Everything is installed from
# requirements.lock (every package pinned by hash) into .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-bootstrap.txt requirements.lock pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv ingest serve lint bench lock clean

$(STAMP): requirements-bootstrap.txt requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-bootstrap.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

## build the graph from seeds/ (unchanged files are skipped) and serve it on $(HOST):$(PORT)
run: venv
	$(BIN)/msme-kg ingest seeds
	$(BIN)/msme-kg serve --host $(HOST) --port $(PORT)

ingest: venv
	$(BIN)/msme-kg ingest seeds

serve: venv
	$(BIN)/msme-kg serve --host $(HOST) --port $(PORT)

## the whole suite
test: venv
	$(BIN)/python -m pytest -q $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: nothing was checked" >&2; exit 1; fi; \
	  exit $$status

lint: venv
	$(BIN)/ruff check graph api tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: venv
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

## regenerate requirements.lock from requirements.in (needs pip-tools)
lock:
	pip-compile --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
	  -o requirements.lock requirements.in

clean:
	rm -rf $(VENV) data build *.egg-info
