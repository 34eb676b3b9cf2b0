"""IR facts of the `dataarts` command line, read off the clients' IR: one command per method.

`dataarts <service> <resource> <method-with-dashes>`, an option per keyword argument, `--body`
where the operation takes one, and `wait` on resources with waiters. Nothing here is per
operation: a new operation in a spec becomes a command by regeneration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .ir import (
    Argument,
    CliCommand,
    CliEntry,
    CliOption,
    CliResource,
    CliService,
    CliSetting,
    CliWaiter,
    Operation,
    Resource,
    Service,
)
from .text import one_line


def cli_services(services: tuple[Service, ...]) -> tuple[CliService, ...]:
    commands = _commands(services)
    return tuple(
        CliService(
            name=service.name,
            client=f"{service.client_stem}Client",
            help=service.title,
            settings=(
                *(v.name for v in service.server_variables),
                *(o.name for o in service.options),
            ),
            resources=tuple(
                _resource(r, _Words(service, commands)) for r in service.resources
            ),
            variables=tuple(v.name for v in service.server_variables),
        )
        for service in services
    )


def cli_index(services: tuple[CliService, ...]) -> tuple[CliEntry, ...]:
    """What `dataarts --help` shows of each service, so that start-up reads no command table."""
    return tuple(CliEntry(s.name, s.help) for s in services)


def _commands(services: tuple[Service, ...]) -> dict[str, dict[str, str]]:
    """By service, then operationId: the command that runs the operation (`cdm jobs start`)."""
    return {
        service.name: {
            op.operation_id: f"dataarts {service.name} {_dashes(r.name)} {_dashes(op.method_name)}"
            for r in service.resources
            for op in r.operations
        }
        for service in services
    }


_TICKED = re.compile(r"(`[^`]*`)")
_CAMEL = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+\b")


class _Words:
    """The spec's descriptions in the command line's words: a parameter named as its option
    (`page_no` -> `--page-no`), an operation as the command that runs it (ShowJobStatus ->
    `dataarts cdm jobs get-status`). The spec keeps the API's names for every other reader."""

    def __init__(self, service: Service, commands: Mapping[str, Mapping[str, str]]) -> None:
        self.service = service.name
        self.commands = commands
        self.schemas: Mapping[str, Any] = (
            (service.models.document.get("components") or {}).get("schemas") or {}
        )
        self.settings = {p.wire_name: _flag(p.option) for op in service.operations
                         for p in op.client_params}

    def flags(self, op: Operation) -> dict[str, str]:
        """The operation's parameters by wire name, each with the option that sets it."""
        own = {a.wire_name: _option(a).flag for a in op.arguments if a.location != "body"}
        return {**self.settings, **own}

    def text(self, text: str, flags: Mapping[str, str] | None = None) -> str:
        parts = _TICKED.split(text)
        for i, part in enumerate(parts):
            if i % 2:  # `code`: a parameter, or a parameter=value, becomes the option
                name, eq, value = part[1:-1].partition("=")
                if flags and name in flags:
                    parts[i] = f"`{flags[name]}{' ' + value if eq else ''}`"
            else:
                parts[i] = _CAMEL.sub(self._command, part)
        return "".join(parts)

    def _command(self, match: re.Match[str]) -> str:
        name = match.group(0)
        own = self.commands.get(self.service, {})
        found = own.get(name) or next(
            (c[name] for c in self.commands.values() if name in c), None
        )
        return f"`{found}`" if found else name

    def body(self, op: Operation) -> str | None:
        """What --body takes: the request schema's description, then its top-level fields."""
        arg = op.body_arg
        if arg is None:
            return None
        schema = self.schemas.get(arg.annotation.split(" | ")[0].strip())
        if not isinstance(schema, dict):
            return "The request body, as JSON with the API's field names."
        described = self.text(str(schema.get("description") or "The request body.")).strip()
        required = set(schema.get("required") or ())
        fields = [f"`{name}`" + (" (required)" if name in required else "")
                  for name in schema.get("properties") or {}]
        if len(fields) > 8:
            fields = [*fields[:8], "..."]
        listed = f": {', '.join(fields)}" if fields else ""
        return f"{described} JSON with the API's field names{listed}."


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


def _resource(resource: Resource, words: _Words) -> CliResource:
    commands = tuple(
        CliCommand(
            name=_dashes(op.method_name),
            method=op.method_name,
            summary=words.text(op.summary.rstrip(".") + "."),
            help=words.text(op.description, words.flags(op)),
            deprecated=op.deprecated,
            options=tuple(_option(a, words, words.flags(op))
                          for a in op.arguments if a.location != "body"),
            body=words.body(op),
            body_required=op.body_arg is not None and op.body_arg.default is None,
            output=op.response_kind,
            pages=op.pagination is not None,
            wait=op.wait_link,
        )
        for op in resource.operations
    )
    polled = {op.method_name: op for op in resource.operations}
    waiters = tuple(
        CliWaiter(
            name=_dashes(w.name),  # --until newest-finished
            method=w.method_name,
            help=words.text(w.summary),
            options=tuple(_option(a, words, words.flags(polled[w.poll_method]))
                          for a in w.arguments),
            has_progress=w.has_progress,
            start_delay=w.rule.start_within is not None,
            not_before=w.rule.not_before is not None,
        )
        for w in resource.waiters
    )
    return CliResource(_dashes(resource.name), resource.name, words.text(resource.doc),
                       commands, waiters)


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


def _option(
    argument: Argument, words: _Words | None = None, flags: Mapping[str, str] | None = None
) -> CliOption:
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
        help=words.text(argument.doc, flags) if words is not None else argument.doc,
    )


def _dashes(name: str) -> str:
    """`get_status` -> `get-status`; a keyword's trailing underscore (`import_`) is dropped."""
    return name.rstrip("_").replace("_", "-")


def _flag(name: str) -> str:
    return "--" + _dashes(name)
