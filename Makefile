# Two set-up commands (see README): `make generate` and `make test`.
# Everything else here is what those two are made of, plus benchmarks.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
REDOCLY_VERSION := 2.77.0
REDOCLY := .tools/node_modules/.bin/redocly
SPECS := $(wildcard spec/*.yaml)

.PHONY: generate check test lint-spec examples typecheck lint bench-generate bench-client golden-update clean

# A virtualenv with the pinned maintainer tools, rebuilt when the pins change.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[generator,dev]'
	touch $@

$(REDOCLY):
	npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund @redocly/cli@$(REDOCLY_VERSION)

examples: $(STAMP)
	$(BIN)/python -m generator examples

generate: $(STAMP) examples
	$(BIN)/python -m generator generate

check: $(STAMP)
	$(BIN)/python -m generator check

lint-spec: $(REDOCLY)
	$(REDOCLY) lint --format=stylish $(SPECS)

test: $(STAMP) $(REDOCLY)
	$(BIN)/python -m generator check
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .tools .bench dist build
