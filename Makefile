# Quick start: `make repro` (set up + whole pipeline) and `make test` (set up + tests).
# Both create .venv with the pinned versions of constraints.txt on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: teacher multiverse install install-embeddings install-label-studio screenshot-label-studio repro score-test dvc-yaml exp-show checks test test-recipes test-fast lint lab screenshot-lab docs manifest plots screenshot-plots benchmark benchmark-scale benchmark-classify benchmark-onnx benchmark-conflibert clean-venv

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the package with pinned dependencies

EMB_STAMP := $(VENV)/.embeddings-stamp
$(EMB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,embeddings]"
	touch $(EMB_STAMP)

install-embeddings: $(EMB_STAMP)  ## add the optional encoder (PyTorch CPU, about 1 GB): train.family encoder or distilled, the checks, the yardstick

LS_VENV := .venv-label-studio
$(LS_VENV)/.installed-stamp: requirements-label-studio.txt constraints-label-studio.txt
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet -c constraints-label-studio.txt -r requirements-label-studio.txt
	touch $@

install-label-studio: $(LS_VENV)/.installed-stamp  ## Label Studio in a venv of its own (its pins would move the study's): docs/annotate.md

screenshot-label-studio: install install-label-studio  ## docs/screenshots/label_studio.png from a real Label Studio (needs Chromium)
	$(BIN)/python tools/screenshot_label_studio.py

repro: install     ## check params.yaml, then run the whole DVC pipeline (set ANALYSIS_DATA_MIRROR for a local mirror)
	python -m analysis check-params
	dvc repro
	python -m analysis manifest

score-test:        ## score the frozen test set with the adopted (committed) model, at the end only: make score-test REASON="..." (logged in docs/decisions.md)
	@test -n "$(REASON)" || { echo 'make score-test: say why test is scored now, e.g. make score-test REASON="the model adopted in issue N"' >&2; exit 2; }
	$(MAKE) repro
	python -m analysis score-test --reason "$(REASON)"
	python -m analysis docs

dvc-yaml: install  ## write every stage's code deps in the dvc.yaml files from the imports (after moving code)
	python -m analysis dvc-deps

exp-show: install  ## the dvc experiments in 120 columns: changed params and headline dev metrics
	python -m analysis experiments

test: repro        ## the whole suite but the fresh-clone recipes: runs the pipeline first (notebooks read its outputs)
	pytest -m "not fresh_clone"

test-recipes: repro ## the README's experiment recipe on a fresh clone of HEAD (about 7 minutes; .ci/run runs it)
	pytest -m fresh_clone

test-fast: install ## unit tests only (no real-corpus run, no notebooks)
	pytest -m "not slow and not notebooks"

lint: install
	ruff check analysis tests benchmarks
	ruff format --check analysis tests benchmarks

docs: install      ## refresh the numbers, tables and figures README.md and docs/ quote from the outputs
	python -m analysis docs

plots: repro       ## DVC plots page with Vega loaded from node_modules (npm), not a CDN
	npm install --no-audit --no-fund
	dvc plots show

screenshot-plots: plots ## docs/screenshots/dvc_plots.png: the plots page in headless Chromium (tools/screenshot_plots.sh)
	tools/screenshot_plots.sh

# JUPYTER_CONFIG_PATH adds .jupyter/ to Jupyter's config dirs: its labconfig/default_setting_overrides.json
# makes jupytext's notebook the default viewer of .py files (your own settings still win over it).
lab: repro         ## JupyterLab on notebooks/: double-click a .py notebook and it opens as a notebook, kernel and all
	JUPYTER_CONFIG_PATH="$(CURDIR)/.jupyter$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" jupyter lab notebooks/

screenshot-lab: install ## docs/screenshots/jupyterlab_notebook.png: a notebook as `make lab` opens it, checked unchanged (tools/screenshot_lab.sh)
	tools/screenshot_lab.sh

manifest: install  ## write data/reporting/manifest.json (git revision, dvc.lock hashes, params, versions)
	python -m analysis manifest

benchmark: install ## throughput and peak memory of the clean stage on the real corpus
	dvc repro acquire
	python benchmarks/bench_clean.py

benchmark-scale: install ## clean + predict at 100k and 1M documents with both engines (about an hour on 2 cores)
	dvc repro
	python benchmarks/bench_scale.py --sizes 100000 1000000
	python -m analysis docs

benchmark-classify: install ## classify throughput on headline-length texts, per model family (needs dvc repro first)
	python benchmarks/bench_classify.py

benchmark-onnx: install-embeddings ## encoder inference: PyTorch against ONNX Runtime fp32 and int8 (needs dvc repro first)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,embeddings,onnx]"
	$(BIN)/python benchmarks/bench_onnx.py

benchmark-conflibert: install-embeddings ## the external yardstick: ConfliBERT's six tasks (benchmarks/dvc.yaml)
	cd benchmarks && dvc repro

teacher: install-embeddings ## the encoder's teacher labels (teacher/, a DVC project of its own; about 50 minutes on 2 cores): commit teacher/ after
	python -m analysis check-params
	dvc repro features
	cd teacher && dvc repro

checks: install-embeddings ## the dev-only experiment records (checks/, a DVC project of its own; about 5 minutes)
	cd checks && dvc repro

multiverse: repro  ## the robustness multiverse: each analysis choice varied, as queued dvc experiments (about 30 minutes)
	python -m analysis multiverse queue
	dvc queue start -j 1
	python -m analysis multiverse wait
	python -m analysis multiverse collect
	cd checks && dvc repro multiverse

clean-venv:
	rm -rf $(VENV)
