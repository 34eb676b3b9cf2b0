"""Shared by every test directory: a test's `summary` property is printed after the run, no
test reads the developer's profiles or endpoint variables, and the slow groups are marked.

The slow groups (SLOW below, keyed by path so a new test in one of those files is covered) get
their group's marker and `slow`: `make test-fast` runs the rest (`pytest -m "not slow"`).

A test records `record_property("summary", line)`; the line is shown in pytest's terminal
summary, also when the test ran in an xdist worker (its properties travel with its report).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# path under tests/ (a file, or a folder ending in "/") -> its group's marker (pyproject.toml
# registers them); each costs seconds to minutes: processes, servers, Node, Chromium, a wheel
SLOW = {
    "simulator/test_schemathesis.py": "schemathesis",
    "simulator/test_control_schemathesis.py": "schemathesis",
    "simulator/test_load.py": "load",
    "spec_product/test_bundle.py": "redocly",
    "spec_product/test_rendered_reference.py": "browser",
    "spec_product/test_typescript_client.py": "typescript",
    "golden/": "pipeline",
    "conformance/": "conformance",
    "typing/": "mypy",
    "cli/test_install.py": "subprocess",
    "test_packaging.py": "subprocess",
}

# Every client reads these (README, "Using the package"); a test that wants them sets them.
_NO_PROFILES = "/nonexistent/dataarts-tests"


def pytest_configure(config: pytest.Config) -> None:
    for name in [k for k in os.environ if k.startswith(("DATAARTS_ENDPOINT_URL", "DATAARTS_PROFILE"))]:
        del os.environ[name]
    os.environ["DATAARTS_CONFIG_FILE"] = f"{_NO_PROFILES}/config"
    os.environ["DATAARTS_CREDENTIALS_FILE"] = f"{_NO_PROFILES}/credentials"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        where = item.path.relative_to(TESTS).as_posix()
        for prefix, group in SLOW.items():
            if where == prefix or (prefix.endswith("/") and where.startswith(prefix)):
                item.add_marker(group)
                item.add_marker("slow")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "summary" and getattr(report, "when", "call") == "call":
                    terminalreporter.write_line(str(value))
