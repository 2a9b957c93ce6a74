# council-claims: `make extract` and `make test` set up .venv from pinned requirements first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INPUT ?= seeds
OUTPUT ?= outputs
BENCH_CORPUS ?=
PYTEST_ARGS ?=

.PHONY: setup extract report review test fuzz bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/claims extract $(INPUT) --output $(OUTPUT)

report: $(STAMP)
	$(BIN)/claims report --output $(OUTPUT)

review: $(STAMP)
	$(BIN)/claims review --output $(OUTPUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Property-based fuzzing (tests/fuzz) with a long budget; `make test` runs the same properties with 200 examples each.
FUZZ_EXAMPLES ?= 5000
fuzz: $(STAMP)
	HYPOTHESIS_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/fuzz $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/claims bench $(if $(BENCH_CORPUS),--corpus $(BENCH_CORPUS),)

clean:
	rm -rf $(VENV) $(OUTPUT)
