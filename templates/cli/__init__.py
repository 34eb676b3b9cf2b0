"""The `dataarts` command line: `dataarts <service> <resource> <command> [options]`.

Installed with the `cli` extra (`pip install "dataarts[cli]"`: click, and jmespath for
`--query`). The command tree comes from `dataarts._cli_commands`, generated from the specs; the
modules here are the hand-written rest. `dataarts --help` imports click and that table's index
only (`app.py`): a service's commands load when it is named; httpx, pydantic, the clients and the
profile files when a command runs, jmespath only for `--query`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

CLI_EXTRA = 'the command line needs the cli extra: pip install "dataarts[cli]"'


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (the `dataarts` console script and `python -m dataarts`)."""
    try:
        from .app import cli
    except ModuleNotFoundError as exc:
        if exc.name != "click":
            raise
        sys.stderr.write(f"dataarts: {CLI_EXTRA}\n")
        raise SystemExit(2) from None
    cli.main(args=list(argv) if argv is not None else None, prog_name="dataarts")
