"""The click command tree, built from the generated command table as each level is asked for.

`dataarts` -> a group per service -> a group per resource -> a command per client method, plus
`wait` on resources with waiters. Running a command hands over to `run.py`.
"""

from __future__ import annotations

from typing import Any

import click
from click.shell_completion import CompletionItem

from .. import __version__
from .._cli_commands import SERVICES, SETTINGS
from .table import Command, Option, Resource, Service, waiter_of

OUTPUTS = ("json", "table")
EXIT_CODES = """Exit status: 0 done; 1 the request failed (the service answered with an error, or
could not be reached); 2 bad usage or configuration; 3 a waited-for resource ended in a failure
state; 4 waiting timed out."""


class _TableGroup(click.Group):
    """A group whose sub-commands are made from the table on demand, so help stays fast."""

    def __init__(self, name: str, children: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._children = children  # name -> a function building the sub-command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self._children)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        build = self._children.get(cmd_name)
        return build() if build is not None else None


def _root() -> click.Group:
    params: list[click.Parameter] = [
        click.Option(
            ["--base-url"],
            help="Send requests to this base URL instead of the region's endpoint.",
        ),
        click.Option(
            ["--project-id"], help="Project ID filled into every path (env CLOUD_SDK_PROJECT_ID)."
        ),
        *(click.Option([s.flag], help=_env_note(s.name, s.help)) for s in SETTINGS),
        _output_option(default="json"),
    ]
    group = _TableGroup(
        "dataarts",
        {s.name: (lambda s=s: _service_group(s)) for s in SERVICES},
        params=params,
        callback=_remember_settings,
        help="Huawei Cloud DataArts Studio (CDM, DataArts Factory, LakeFormation) from a shell.\n\n"
        "Credentials come from CLOUD_SDK_TOKEN, or CLOUD_SDK_AK and CLOUD_SDK_SK (with "
        "CLOUD_SDK_SECURITY_TOKEN for temporary keys), as for the Python clients.\n\n" + EXIT_CODES,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    click.version_option(__version__, "--version", prog_name="dataarts")(group)
    return group


def _remember_settings(**settings: Any) -> None:
    click.get_current_context().obj = settings


def _service_group(service: Service) -> click.Group:
    return _TableGroup(
        service.name,
        {r.name: (lambda r=r: _resource_group(service, r)) for r in service.resources},
        help=service.help + ".",
    )


def _resource_group(service: Service, resource: Resource) -> click.Group:
    children: dict[str, Any] = {
        c.name: (lambda c=c: _command(service, resource, c)) for c in resource.commands
    }
    if resource.waiters:
        children["wait"] = lambda: _wait_command(service, resource)
    return _TableGroup(resource.name, children, help=resource.help)


def _command(service: Service, resource: Resource, command: Command) -> click.Command:
    params: list[click.Parameter] = [_option(o) for o in command.options]
    if command.body is not None:
        params.append(
            click.Option(
                ["--body"],
                required=command.body_required,
                metavar="JSON",
                help=f"{command.body} Inline JSON, @file.json, or - to read standard input.",
            )
        )
    if command.output == "binary":
        params.append(
            click.Option(
                ["--out-file"],
                type=click.Path(dir_okay=False, writable=True),
                help="Write the file here (default: standard output).",
            )
        )
    if command.pages:
        params.append(
            click.Option(["--all"], is_flag=True, help="Walk every page; print the items.")
        )
    if command.wait is not None:
        waits_on, waiter = waiter_of(service, command.wait)
        params += [
            click.Option(
                ["--wait"],
                is_flag=True,
                help=f"Then wait as `dataarts {service.name} {waits_on.name} wait --until "
                f"{waiter.name}` does, and print the final resource.",
            ),
            click.Option(["--wait-timeout"], type=float, help="Seconds to wait at most."),
            _poll_interval_option(),
        ]
    params += [
        click.Option(
            ["--dry-run"],
            is_flag=True,
            help="Print the request that would be sent (secrets redacted), and send nothing.",
        ),
        _output_option(default=None),
    ]

    def callback(**values: Any) -> None:
        from .run import run_command

        run_command(click.get_current_context(), service, resource, command, values)

    return click.Command(
        command.name,
        params=params,
        callback=callback,
        help=f"{command.summary}\n\n{command.help}" if command.help else command.summary,
        short_help=command.summary,
        deprecated=command.deprecated,
        epilog=EXIT_CODES,
    )


def _wait_command(service: Service, resource: Resource) -> click.Command:
    options: dict[str, Option] = {}
    for waiter in resource.waiters:
        for option in waiter.options:
            # required only where every waiter of the resource requires it; run.py checks the rest
            needed = all(
                any(o.name == option.name and o.required for o in w.options)
                for w in resource.waiters
            )
            options.setdefault(option.name, option._replace(required=needed))
    first = resource.waiters[0]
    until = "\n\n".join(f"{w.name}: {w.help}" for w in resource.waiters)
    params: list[click.Parameter] = [
        *(_option(o) for o in options.values()),
        click.Option(
            ["--until"],
            type=click.Choice([w.name for w in resource.waiters]),
            default=first.name,
            show_default=True,
            help="What to wait for.",
        ),
        click.Option(["--timeout"], type=float, help="Seconds to wait at most."),
        _poll_interval_option(),
        _output_option(default=None),
    ]

    def callback(**values: Any) -> None:
        from .run import run_wait

        run_wait(click.get_current_context(), service, resource, values)

    return click.Command(
        "wait",
        params=params,
        callback=callback,
        help=f"Poll until a long-running change is done; print the final resource.\n\n{until}",
        short_help=f"Wait until {' or '.join(w.name for w in resource.waiters)}.",
        epilog=EXIT_CODES,
    )


_TYPES: dict[str, click.ParamType[Any]] = {
    "str": click.STRING,
    "int": click.INT,
    "float": click.FLOAT,
    "bool": click.BOOL,
    "json": click.STRING,  # parsed by run.py, which also reads @file and -
}


def _option(option: Option) -> click.Option:
    help_ = option.help
    if option.kind == "json":
        help_ += " JSON: inline, @file.json, or - for standard input."
    if option.choices:
        help_ += f" Documented values: {', '.join(option.choices)} (others are passed on as is)."

    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [CompletionItem(c) for c in option.choices if c.startswith(incomplete)]

    return click.Option(
        [option.flag, option.name],
        type=_TYPES[option.kind],
        required=option.required,
        multiple=option.multiple,
        help=help_.strip(),
        shell_complete=complete if option.choices else None,
    )


def _output_option(default: str | None) -> click.Option:
    return click.Option(
        ["-o", "--output"],
        type=click.Choice(OUTPUTS),
        default=default,
        help="Output format (default json; JSON uses the wire names).",
    )


def _poll_interval_option() -> click.Option:
    return click.Option(
        ["--poll-interval"],
        type=float,
        help="Seconds between polls, instead of the waiter's own pace.",
    )


def _env_note(name: str, help_: str) -> str:
    return f"{help_} (env CLOUD_SDK_REGION)" if name == "region" else help_


cli = _root()
