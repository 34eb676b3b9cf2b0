"""The Node tools and Chromium these tests drive, as `make` installs them.

Run alone (plain `pytest`), a test whose tool is missing is skipped with the make target that
installs it; under `make test` (DATAARTS_SPEC_TOOLS=required) it fails instead, so CI cannot
pass without the TypeScript proof and the browser check.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.publish import node

REQUIRED = os.environ.get("DATAARTS_SPEC_TOOLS") == "required"


def need(path: Path, target: str) -> Path:
    """`path`, or skip (fail under `make test`) naming the make target that installs it."""
    if not path.exists():
        message = f"{path} is missing: `make {target}` installs it"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def spec_tools() -> Path:
    """node_modules of tools/spec-product (hey-api, TypeScript, playwright-core)."""
    need(node.NODE_BIN / "node", "ts-proof")
    return need(node.SPEC_TOOLS, "ts-proof")


@pytest.fixture(scope="session")
def redocly() -> Path:
    need(node.NODE_BIN / "node", "docs")
    return need(node.REDOCLY, "docs")


@pytest.fixture(scope="session")
def chromium() -> Path:
    return need(node.CHROMIUM, "browser-check")
