"""The global options a user typed, at whichever level of the command: kept for the run."""

from __future__ import annotations

from typing import Any

import click
from click.core import ParameterSource

from .._cli_commands import SETTINGS

# what the global options set, by parameter name, in the order `dataarts --help` shows them
GLOBAL_NAMES = (
    "profile",
    "base_url",
    "project_id",
    *(s.name for s in SETTINGS),
    "output",
    "query",
    "debug",
)
_KEY = "dataarts.globals"


def remember(ctx: click.Context, values: dict[str, Any]) -> dict[str, Any]:
    """Keep the global options typed at this level (a later level's value wins); return the
    command's own values."""
    given = ctx.find_root().meta.setdefault(_KEY, {})
    for name in GLOBAL_NAMES:
        if name in values and ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            given[name] = values[name]
    return {k: v for k, v in values.items() if k not in GLOBAL_NAMES}


def given(ctx: click.Context) -> dict[str, Any]:
    """The global options typed anywhere on the command line, by parameter name."""
    return dict(ctx.find_root().meta.get(_KEY, {}))
