# Quick start: `make repro` (set up + whole pipeline) and `make test` (set up + tests).
# Both create .venv with the pinned versions of constraints.txt on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install repro test test-fast lint lab plots benchmark clean-venv

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the package with pinned dependencies

repro: install     ## run the whole DVC pipeline (set ANALYSIS_DATA_MIRROR to use a local mirror)
	dvc repro

test: install      ## the full test suite, including the end-to-end run on the real corpus
	pytest

test-fast: install ## unit tests only (no real-corpus run)
	pytest -m "not slow"

lint: install
	ruff check analysis tests benchmarks
	ruff format --check analysis tests benchmarks

lab: install       ## open the notebooks in JupyterLab
	jupyter lab notebooks/

benchmark: install ## throughput and peak memory of the clean stage on the real corpus
	python benchmarks/bench_clean.py

clean-venv:
	rm -rf $(VENV)
