"""IR facts of the `dataarts` command line, read off the clients' IR: one command per method.

`dataarts <service> <resource> <method-with-dashes>`, an option per keyword argument, `--body`
where the operation takes one, and `wait` on resources with waiters. Nothing here is per
operation: a new operation in a spec becomes a command by regeneration.
"""

from __future__ import annotations

from .ir import (
    Argument,
    CliCommand,
    CliOption,
    CliResource,
    CliService,
    CliSetting,
    CliWaiter,
    Resource,
    Service,
)
from .text import one_line


def cli_services(services: tuple[Service, ...]) -> tuple[CliService, ...]:
    return tuple(
        CliService(
            name=service.name,
            client=f"{service.client_stem}Client",
            help=service.title,
            settings=(
                *(v.name for v in service.server_variables),
                *(o.name for o in service.options),
            ),
            resources=tuple(_resource(r) for r in service.resources),
            variables=tuple(v.name for v in service.server_variables),
        )
        for service in services
    )


def cli_settings(services: tuple[Service, ...]) -> tuple[CliSetting, ...]:
    """The global options that fill client settings: server variables (region) and options."""
    found: dict[str, str] = {}
    choices: dict[str, tuple[str, ...]] = {}
    for service in services:
        for variable in service.server_variables:
            help_ = variable.description
            if variable.enum:
                help_ += f" Documented values: {', '.join(variable.enum)}."
            found.setdefault(variable.name, help_)
            # every service's documented values, in order: the shell completes them
            known = choices.get(variable.name, ())
            choices[variable.name] = (*known, *(v for v in variable.enum if v not in known))
        for option in service.options:
            found.setdefault(option.name, one_line(option.doc))
    return tuple(
        CliSetting(name, _flag(name), help_, choices.get(name, ()))
        for name, help_ in sorted(found.items())
    )


def _resource(resource: Resource) -> CliResource:
    commands = tuple(
        CliCommand(
            name=_dashes(op.method_name),
            method=op.method_name,
            summary=op.summary.rstrip(".") + ".",
            help=op.description,
            deprecated=op.deprecated,
            options=tuple(_option(a) for a in op.arguments if a.location != "body"),
            body=op.body_arg.doc if op.body_arg else None,
            body_required=op.body_arg is not None and op.body_arg.default is None,
            output=op.response_kind,
            pages=op.pagination is not None,
            wait=op.wait_link,
        )
        for op in resource.operations
    )
    waiters = tuple(
        CliWaiter(
            name=w.name,
            method=w.method_name,
            help=w.summary,
            options=tuple(_option(a) for a in w.arguments),
            has_progress=w.has_progress,
        )
        for w in resource.waiters
    )
    return CliResource(_dashes(resource.name), resource.name, resource.doc, commands, waiters)


# options the command line adds to commands itself (templates/cli/app.py), as Python names
RESERVED = frozenset(
    {
        "body",
        "wait",
        "wait_timeout",
        "poll_interval",
        "dry_run",
        "all",
        "out_file",
        "output",
        "until",
        "timeout",
        "query",  # global options, accepted after the command too (templates/cli/app.py)
        "debug",
        "profile",
        "help",
        "h",
        "o",
    }
)


def _option(argument: Argument) -> CliOption:
    name = argument.python_name.rstrip("_")
    if name in RESERVED:  # e.g. a query parameter `timeout` becomes --query-timeout
        name = f"{argument.location}_{name}"
    return CliOption(
        flag=_flag(name),
        name=argument.python_name,
        kind=argument.cli_kind,
        required=argument.default is None,
        multiple=argument.multiple,
        choices=argument.choices,
        help=argument.doc,
    )


def _dashes(name: str) -> str:
    """`get_status` -> `get-status`; a keyword's trailing underscore (`import_`) is dropped."""
    return name.rstrip("_").replace("_", "-")


def _flag(name: str) -> str:
    return "--" + _dashes(name)
