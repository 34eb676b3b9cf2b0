"""Shared by every test directory: a test's `summary` property is printed after the run, and no
test reads the developer's profiles or endpoint variables.

A test records `record_property("summary", line)`; the line is shown in pytest's terminal
summary, also when the test ran in an xdist worker (its properties travel with its report).
"""

from __future__ import annotations

import os

import pytest

# Every client reads these (README, "Using the package"); a test that wants them sets them.
_NO_PROFILES = "/nonexistent/dataarts-tests"


def pytest_configure(config: pytest.Config) -> None:
    for name in [k for k in os.environ if k.startswith(("DATAARTS_ENDPOINT_URL", "DATAARTS_PROFILE"))]:
        del os.environ[name]
    os.environ["DATAARTS_CONFIG_FILE"] = f"{_NO_PROFILES}/config"
    os.environ["DATAARTS_CREDENTIALS_FILE"] = f"{_NO_PROFILES}/credentials"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "summary" and getattr(report, "when", "call") == "call":
                    terminalreporter.write_line(str(value))
