# One-command set-up and build of the study. Everything runs from .venv/bin, so nothing needs activating.
#   make          set up, then run the full study (config/config.yaml)
#   make test     set up, unit tests, quick build (config/quick.yaml), build tests
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORES ?= 8
QUICK_CORES ?= 2
# Extra snakemake arguments, e.g. `make all SNAKEMAKE_ARGS=-n` or `make report SNAKEMAKE_ARGS='--configfile config/quick.yaml'`.
SNAKEMAKE_ARGS ?=
SNAKEMAKE := $(BIN)/snakemake --profile workflow/profiles/default
# A build killed earlier left a lock: cleared when no snakemake runs here, so `make` resumes.
RESUME := $(BIN)/python workflow/tools/clear_stale_lock.py
# A wrong CORES, QUICK_CORES or config file is named on one line before any job starts.
CHECK_ARGS := $(BIN)/python workflow/tools/check_make_args.py
# One WARNING line per package whose version here differs from the build's (results/report/provenance.json).
# It only warns; the leading `-` of its recipe lines keeps even a crash of the check from stopping the build.
CHECK_ENVIRONMENT := $(BIN)/python workflow/tools/check_environment.py

FASHION_MNIST := /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
# These releases lie on the machine's disk; PyPI's torchvision does not import beside other torch builds.
TORCH_PINS := torch==2.14.1 torchvision==0.29.1
# Without Debian's package, FashionMNIST comes through torchvision (evaluated after `data` ran).
TORCHVISION_DATA = $(if $(wildcard $(FASHION_MNIST)),,config/torchvision.yaml)
# The report extra without quarto-cli, whose pip build downloads Quarto from the web.
REPORT_DEPS = $(shell $(PY) -c 'import tomllib; extra = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["report"]; print(" ".join(repr(r) for r in extra if not r.startswith("quarto-cli")))')

.DEFAULT_GOAL := all
.PHONY: all env data quick test lint report render clean benchmark scaling cluster-test

all: env
	@$(CHECK_ARGS) --cores $(CORES)
	$(RESUME)
	$(SNAKEMAKE) --cores $(CORES) $(if $(TORCHVISION_DATA),--configfile $(TORCHVISION_DATA)) $(SNAKEMAKE_ARGS)

env: data $(VENV)/.installed

data:
	@if [ -f $(FASHION_MNIST) ]; then \
		:; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y dataset-fashion-mnist; \
	else \
		echo "note: $(FASHION_MNIST) is missing and apt-get is unavailable or we are not root;"; \
		echo "      FashionMNIST will be downloaded through torchvision instead (needs internet)."; \
	fi

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install $(TORCH_PINS) -e '.[test,cluster]' $(REPORT_DEPS)
	touch $@

quick: env
	@$(CHECK_ARGS) --cores $(QUICK_CORES) --name QUICK_CORES --configfile config/quick.yaml
	$(RESUME)
	$(SNAKEMAKE) --cores $(QUICK_CORES) --configfile config/quick.yaml $(TORCHVISION_DATA) $(SNAKEMAKE_ARGS)

# The lint gate first (ruff's checks and its formatting, configured in pyproject.toml), then the unit tests, the quick build
# and the tests of its results.
test: env lint
	$(BIN)/pytest -m "not build"
	$(MAKE) quick
	$(BIN)/pytest -m build

lint: env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

report: env
	@$(CHECK_ARGS) --cores $(CORES)
	-$(CHECK_ENVIRONMENT)
	$(RESUME)
	$(SNAKEMAKE) --cores $(CORES) $(if $(TORCHVISION_DATA),--configfile $(TORCHVISION_DATA)) $(SNAKEMAKE_ARGS)
	$(SNAKEMAKE) --report results/report/snakemake-report.zip $(SNAKEMAKE_ARGS)

# The rendered report (results/report/report.html, .pdf) with the `quarto` on PATH, after whatever of
# the build it needs (the quick one unless RENDER_CONFIG says otherwise), then the checks of the
# rendered files, which CI (no Quarto) leaves out: `make render RENDER_CONFIG=config/config.yaml`.
RENDER_CONFIG ?= config/quick.yaml
# The targets come before --configfile, which takes several values and would read them as config files.
render: env
	@$(CHECK_ARGS) --cores $(QUICK_CORES) --name QUICK_CORES --configfile $(RENDER_CONFIG)
	-$(CHECK_ENVIRONMENT)
	$(RESUME)
	$(SNAKEMAKE) results/report/report.html results/report/report.pdf --cores $(QUICK_CORES) \
		--configfile $(RENDER_CONFIG) $(TORCHVISION_DATA) $(SNAKEMAKE_ARGS)
	$(BIN)/pytest -m render

# The quick build again through the slurm profile on a single-node SLURM cluster brought up here (as root;
# Debian's packages are installed where missing), its tables compared with the local quick build's.
cluster-test: quick
	workflow/tools/cluster_test.sh $(SNAKEMAKE_ARGS)

# Each benchmark prints its medians, spreads, profile and targets, and appends them to BENCHMARK_CSV.
BENCHMARK_CSV ?= results/benchmarks/epochs.csv
benchmark: env
	$(BIN)/python benchmarks/fashion_epoch.py --csv $(BENCHMARK_CSV)
	$(BIN)/python benchmarks/cnn_epoch.py --csv $(BENCHMARK_CSV)

# Not part of the study's DAG: it measures the machine. SCALING_ARGS='--figure PATH' to draw elsewhere.
SCALING_ARGS ?=
scaling: env
	$(BIN)/python benchmarks/scaling.py $(SCALING_ARGS)

clean:
	find results -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf .snakemake
