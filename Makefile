# Two commands on a fresh machine: `make run` and `make test`. Everything Python is installed from
# requirements.lock (every package pinned by hash, after a hash-pinned pip) into .venv; the Debian
# packages the suite needs are installed by `make test` when they are missing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-bootstrap.txt requirements.lock pyproject.toml setup.py | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast fresh-check venv system-packages ingest serve lint bench lock clean

$(STAMP): requirements-bootstrap.txt requirements.lock pyproject.toml setup.py
	PYTHON=$(PYTHON) bash scripts/install-venv.sh $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

## .venv: the pinned installer, the lock, msme-kg itself (editable)
venv: $(STAMP)

## graphviz, chromium, chromium-driver, fonts, virtuoso-opensource when missing (needs root or sudo; a no-op when present)
system-packages:
	@bash scripts/install-system-packages.sh

## build the graph from seeds/ (unchanged files are skipped) and serve it on $(HOST):$(PORT)
run: venv
	$(BIN)/msme-kg ingest seeds
	$(BIN)/msme-kg serve --host $(HOST) --port $(PORT)

ingest: venv
	$(BIN)/msme-kg ingest seeds

serve: venv
	$(BIN)/msme-kg serve --host $(HOST) --port $(PORT)

## what CI runs: the system packages, lint, then the whole suite; a skipped test fails the run
## (tests/strict.py), and so does a run that collected nothing (pytest's exit 5)
test: venv system-packages lint
	$(BIN)/python -m pytest -q --no-skips $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: nothing was checked" >&2; exit 1; fi; \
	  exit $$status

## the unit tests only, for the edit-test loop: no spaCy model, no servers, no browser (tests/strict.py --fast)
test-fast: venv system-packages
	$(BIN)/python -m pytest -q --fast --no-skips $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: nothing was checked" >&2; exit 1; fi; \
	  exit $$status

## the newcomer's path alone: a fresh clone's `make run` (no pip cache) to /health, the wheel installed elsewhere
fresh-check: venv
	$(BIN)/python -m pytest -q --no-skips tests/install/test_fresh_clone.py

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
