"""Shared by every test directory: a test's `summary` property is printed after the run.

A test records `record_property("summary", line)`; the line is shown in pytest's terminal
summary, also when the test ran in an xdist worker (its properties travel with its report).
"""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "summary" and getattr(report, "when", "call") == "call":
                    terminalreporter.write_line(str(value))
