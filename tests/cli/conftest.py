"""Running the real `dataarts` command line in subprocesses (`python -m dataarts`).

The environment is cleared of credentials, settings and profiles the developer may have (the
config folder points at one that does not exist), then given a token: the command line reads
the same CLOUD_SDK_* variables as the clients.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def dataarts(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m dataarts ARGS`, its output captured (standard output is not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "dataarts", *args],
        input=stdin, capture_output=True, text=True, timeout=timeout, check=False,
        env=env if env is not None else cli_env(CLOUD_SDK_TOKEN="token"), cwd=BODIES,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a failing command prints on standard error (no traceback)."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("dataarts: error:")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]
