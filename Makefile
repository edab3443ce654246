# osint_kit: every target installs what it needs into a local .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
PYTEST_ARGS ?=
BENCH_SIZE ?= quick
# make bench BENCH_ONLY=layout,scan: run only those benchmarks
BENCH_ONLY ?=
FUZZ_MINUTES ?= 5
# make lab: notebooks open as working copies here (git ignores build/); extra Lab options
LAB_DIR ?= build/lab
LAB_ARGS ?=
# JupyterLab refuses to run as root without --allow-root: pass it only when root
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: help demo test lint typecheck pytest lab bench fuzz notebooks clean

help:
	@echo "make demo   - install into .venv and run the worked case end to end (outputs in build/)"
	@echo "make test   - install test dependencies into .venv and run lint, types and the whole suite"
	@echo "make lab    - open JupyterLab on working copies of notebooks/ in $(LAB_DIR)/"
	@echo "make bench  - run every benchmark (BENCH_SIZE=quick|full), table + build/bench.json;"
	@echo "              bench_layout times old layout (git 239a68b) vs new, BENCH_ONLY=layout for it alone"
	@echo "make fuzz   - fuzz the readers and parsers for FUZZ_MINUTES minutes"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install when the project's declared dependencies change.
$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[lab]'
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[dev]'
	@touch $@ $(VENV)/.lab-installed

# demo installs the dev extra too: its report screenshot uses playwright + Debian chromium.
demo: $(VENV)/.dev-installed
	$(BIN)/python examples/demo.py

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check osint_kit tests notebooks benchmarks examples tools
	$(BIN)/python -m osint_kit.workshop.sync --check notebooks

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy
	$(BIN)/mypy --explicit-package-bases notebooks/*.py

pytest: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

lab: $(VENV)/.lab-installed
	$(BIN)/python -m osint_kit.workshop.lab notebooks $(LAB_DIR)
	$(BIN)/jupyter lab --config=jupyter_lab_config.py $(ROOT_FLAG) $(LAB_ARGS) $(LAB_DIR)

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/run_all.py --size $(BENCH_SIZE) $(if $(BENCH_ONLY),--only $(BENCH_ONLY))

fuzz: $(VENV)/.dev-installed
	$(BIN)/python tests/reliability/fuzz.py --minutes $(FUZZ_MINUTES)

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
