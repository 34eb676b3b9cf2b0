"""Running the real `dataarts` command line: in process through click's CliRunner (`dataarts`),
or in a subprocess (`python -m dataarts`, `dataarts_process`) where the process is the point:
the entry point, what a fresh interpreter imports, a terminal, a signal.

The environment is cleared of credentials, settings and profiles the developer may have (the
config folder points at one that does not exist), then given a token: the command line reads
the same CLOUD_SDK_* variables as the clients. In process, the environment, the working folder
and the clients' logger are set for the one invocation and put back after it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
BODIES = Path(__file__).resolve().parent / "bodies"
PROJECT = "0123456789abcdef0123456789abcdef"
# the variables of the developer's shell the command line reads: never seen by a test
OWN_VARIABLES = ("CLOUD_SDK_", "_DATAARTS", "DATAARTS_")
NO_CONFIG = str(BODIES / "no-config-here")  # XDG_CONFIG_HOME: no profile files


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN_VARIABLES)}
    env["PYTHONPATH"] = str(ROOT / "generated")
    env["XDG_CONFIG_HOME"] = NO_CONFIG
    env.update(extra)
    return env


def dataarts_process(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m dataarts ARGS` in a subprocess, its output captured (not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "dataarts", *args],
        input=stdin, capture_output=True, text=True, timeout=timeout, check=False,
        env=env if env is not None else cli_env(CLOUD_SDK_TOKEN="token"), cwd=BODIES,
    )


def dataarts(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`dataarts ARGS` run in this process (click's CliRunner), as `dataarts_process` would run
    it: the same environment and working folder, standard output not a terminal. An exception the
    command line does not handle fails the test (a subprocess would print a traceback)."""
    from dataarts.cli.app import cli

    wanted = env if env is not None else cli_env(CLOUD_SDK_TOKEN="token")
    with _environment(wanted), _in(BODIES), _own_logger():
        result = CliRunner().invoke(
            cli, list(args), input=stdin, prog_name="dataarts", catch_exceptions=False
        )
    return subprocess.CompletedProcess(
        ["dataarts", *args], result.exit_code, result.stdout, result.stderr
    )


@contextlib.contextmanager
def _in(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _own_logger() -> Iterator[None]:
    """--debug adds a handler to the clients' logger; a process would end with it. The simulator
    serving the test logs below that logger too: in a subprocess it is not there."""
    import logging

    from dataarts._runtime.logs import logger

    simulator = logging.getLogger("dataarts.testing")
    handlers, level, propagate = list(logger.handlers), logger.level, simulator.propagate
    simulator.propagate = False
    try:
        yield
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        simulator.propagate = propagate


@contextlib.contextmanager
def _environment(wanted: dict[str, str]) -> Iterator[None]:
    """os.environ is `wanted` for the block (TZ included: the C library's local time reads it)."""
    before = dict(os.environ)
    os.environ.clear()
    os.environ.update(wanted)
    time.tzset()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(before)
        time.tzset()


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a failing command prints on standard error (no traceback)."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("dataarts: error:")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]
