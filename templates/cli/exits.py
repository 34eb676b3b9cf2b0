"""How a command ends when it cannot do its work: one line on standard error, an exit status."""

from __future__ import annotations

from typing import NoReturn

import click

EXIT_FAILED = 1  # the request failed: the service answered with an error, or was not reached
EXIT_USAGE = 2  # bad usage or configuration
EXIT_WAIT_FAILED = 3  # a waited-for resource ended in a failure state
EXIT_WAIT_TIMEOUT = 4  # waiting timed out
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, the shell's convention


def fail(code: int, message: str) -> NoReturn:
    """`dataarts: error: <message on one line>` on standard error, then exit with `code`."""
    click.echo(f"dataarts: error: {' '.join(message.split())}", err=True)
    raise SystemExit(code)
