"""The records of the command line's index (`dataarts._cli_commands`): all start-up reads.

Standard library only, and only these two: a service's command records (`table.py`) load with its
commands, when a command line names it.
"""

from __future__ import annotations

from typing import NamedTuple


class ServiceEntry(NamedTuple):
    """A service as `dataarts --help` lists it, before its commands are loaded."""

    name: str  # "cdm": the command, and its module `dataarts._cli_commands.cdm`
    help: str


class Setting(NamedTuple):
    """A global option filling the client setting of the same name (region, workspace, ...)."""

    name: str
    flag: str
    help: str
    choices: tuple[str, ...] = ()  # documented values, completed by the shell
