"""The click command tree, built from the generated command table as each level is asked for.

`dataarts` -> a group per service -> a group per resource -> a command per client method, plus
`wait` on resources with waiters, and `configure` for profiles. Running a command hands over to
`run.py` (`configure.py` for profiles). Global options are taken at every level, so a user may
type them before the service or after the command.

Start-up reads the table's index alone (service names and one-line helps, the settings); a
service's commands are imported when the command line names it, so `dataarts --help` and
completion of a service name load no command table, and `dataarts cdm ...` only CDM's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache, partial
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from .._cli_commands import INDEX, SETTINGS

if TYPE_CHECKING:  # a service's records load with its commands (table.py)
    from click.shell_completion import CompletionItem

    from .index import ServiceEntry, Setting
    from .table import Command, Option, Resource, Service

Children = Mapping[str, Callable[[], click.Command]]  # name -> a function building the command

OUTPUTS = ("json", "table")
EXIT_CODES = """Exit status: 0 done; 1 the request failed (the service answered with an error, or
could not be reached); 2 bad usage or configuration; 3 a waited-for resource ended in a failure
state; 4 waiting timed out; 130 interrupted (Ctrl-C)."""
GLOBALS_HERE = """Global options (--profile, --region, --base-url, --project-id, --query, --debug, ...:
see `dataarts --help`) may be given here too."""


class _TableGroup(click.Group):
    """A group whose sub-commands are made from the table on demand, so help stays fast."""

    def __init__(self, name: str, children: Callable[[], Children], **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._load = children  # called once, when a sub-command is first listed or named
        self._children: Children | None = None
        self._built: dict[str, click.Command] = {}

    def children(self) -> Children:
        if self._children is None:
            self._children = self._load()
        return self._children

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.children())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        children = self.children()
        if cmd_name not in self._built and cmd_name in children:
            self._built[cmd_name] = children[cmd_name]()
        return self._built.get(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if not (ctx.resilient_parsing or name.startswith("-") or self.get_command(ctx, name)):
            from difflib import get_close_matches

            near = get_close_matches(name, self.list_commands(ctx), n=3)
            hint = f" Did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
            raise click.UsageError(f"No such command {name!r}.{hint}", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # the shell's convention, rather than click's "Aborted!" and exit 1 (a failed request)
            from .exits import EXIT_INTERRUPTED

            click.echo("\ndataarts: interrupted", err=True)
            raise SystemExit(EXIT_INTERRUPTED) from None


def _root() -> click.Group:
    children: dict[str, Callable[[], click.Command]] = {
        e.name: partial(_service_group, e) for e in INDEX
    }
    children["configure"] = _configure_group
    group = _TableGroup(
        "dataarts",
        lambda: children,
        params=_global_options(hidden=False),
        callback=_remember_globals,
        help="Huawei Cloud DataArts Studio (CDM, DataArts Factory, LakeFormation) from a shell.\n\n"
        "Credentials come whole from CLOUD_SDK_TOKEN, or CLOUD_SDK_AK and CLOUD_SDK_SK (with "
        "CLOUD_SDK_SECURITY_TOKEN for temporary keys), as for the Python clients, or from a "
        "profile (`dataarts configure`); a token beside AK/SK, or half a pair, is refused. An "
        "option wins over its variable, which wins over the profile.\n\n"
        "The global options below may also be given after the service or the command.\n\n"
        + EXIT_CODES,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    click.version_option(__version__, "--version", prog_name="dataarts")(group)
    return group


def _global_options(hidden: bool, skip: frozenset[str] = frozenset()) -> list[click.Option]:
    """The options of every level (shown on `dataarts --help`, hidden below it but for -o), but
    any whose flag is in `skip`."""
    found = _hidden_globals() if hidden else _make_globals(hidden=False)
    return [o for o in found if not skip.intersection(o.opts)]


@cache
def _hidden_globals() -> tuple[click.Option, ...]:
    """Made once, shared by every group and command below the top (an option keeps no state of
    the command it belongs to): a help lists four services, each taking them all."""
    return tuple(_make_globals(hidden=True))


def _make_globals(hidden: bool) -> list[click.Option]:
    return [
        click.Option(
            ["--profile"],
            metavar="NAME",
            hidden=hidden,
            help="Use this profile of the config files (env DATAARTS_PROFILE; "
            "`dataarts configure` writes them).",
        ),
        click.Option(
            ["--base-url"],
            hidden=hidden,
            help="Send requests to this base URL instead of the region's endpoint (env "
            "DATAARTS_ENDPOINT_URL_<SERVICE>, else DATAARTS_ENDPOINT_URL).",
        ),
        click.Option(
            ["--project-id"],
            hidden=hidden,
            help="Project ID filled into every path (env CLOUD_SDK_PROJECT_ID).",
        ),
        *(_setting_option(s, hidden) for s in SETTINGS),
        _output_option(),
        click.Option(
            ["--query"],
            metavar="JMESPATH",
            hidden=hidden,
            help="Print only what this JMESPath expression selects from the JSON answer, "
            "as the AWS CLI's --query does: 'clusters[].name'.",
        ),
        click.Option(
            ["--debug"],
            is_flag=True,
            default=None,
            hidden=hidden,
            help="Log each request and response on standard error (method, URL, status, "
            "time, request id; secrets redacted).",
        ),
    ]


def _setting_option(setting: Setting, hidden: bool) -> click.Option:
    help_ = f"{setting.help} (env CLOUD_SDK_REGION)" if setting.name == "region" else setting.help

    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem  # only when the shell completes

        return [CompletionItem(c) for c in setting.choices if c.startswith(incomplete)]

    return click.Option(
        [setting.flag],
        hidden=hidden,
        help=help_,
        shell_complete=complete if setting.choices else None,
    )


def _remember_globals(**values: Any) -> None:
    from .options import remember  # here, not on the path of --help

    remember(click.get_current_context(), values)


def _service_group(entry: ServiceEntry) -> click.Group:
    """A service's group, from the index: its commands are loaded when one is listed or named."""

    def resources() -> Children:
        from .table import load_service

        service = load_service(entry.name)
        return {r.name: partial(_resource_group, service, r) for r in service.resources}

    return _TableGroup(
        entry.name,
        resources,
        params=_global_options(hidden=True),
        callback=_remember_globals,
        help=entry.help + ".",
    )


def _resource_group(service: Service, resource: Resource) -> click.Group:
    children: dict[str, Callable[[], click.Command]] = {
        c.name: partial(_command, service, resource, c) for c in resource.commands
    }
    if resource.waiters:
        children["wait"] = partial(_wait_command, service, resource)
    return _TableGroup(
        resource.name,
        lambda: children,
        params=_global_options(hidden=True),
        callback=_remember_globals,
        help=resource.help,
    )


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
                help="Write the file here (default: standard output, when it is not a "
                "terminal).",
            )
        )
    if command.pages:
        params.append(
            click.Option(["--all"], is_flag=True, help="Walk every page; print the items.")
        )
    if command.wait is not None:
        from .table import waiter_of

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
    params.append(
        click.Option(
            ["--dry-run"],
            is_flag=True,
            help="Print the request that would be sent (secrets redacted), and send nothing.",
        )
    )
    params += _leaf_globals(params)

    def callback(**values: Any) -> None:
        from .options import remember
        from .run import run_command

        ctx = click.get_current_context()
        run_command(ctx, service, resource, command, remember(ctx, values))

    return click.Command(
        command.name,
        params=params,
        callback=callback,
        help=f"{command.summary}\n\n{command.help}" if command.help else command.summary,
        short_help=command.summary,
        deprecated=command.deprecated,
        epilog=f"{GLOBALS_HERE}\n\n{EXIT_CODES}",
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
    ]
    delayed = [w.name for w in resource.waiters if w.start_delay]
    if delayed:
        params.append(
            click.Option(
                ["--start-delay"],
                type=float,
                help=f"For --until {_either(delayed)}: seconds the work was asked to wait "
                "before it begins (a delayed restart's restartDelayTime).",
            )
        )
    timed = [w.name for w in resource.waiters if w.not_before]
    if timed:
        params.append(
            click.Option(
                ["--not-before"],
                help=f"For --until {_either(timed)}: when the call that began the work was "
                "answered, on the server's clock (its Date header, or ISO 8601 with an offset); "
                "an earlier run's end is then not taken for this one's.",
            )
        )
    params += _leaf_globals(params)

    def callback(**values: Any) -> None:
        from .options import remember
        from .run import run_wait

        ctx = click.get_current_context()
        run_wait(ctx, service, resource, remember(ctx, values))

    return click.Command(
        "wait",
        params=params,
        callback=callback,
        help=f"Poll until a long-running change is done; print the final resource.\n\n{until}",
        short_help=f"Wait until {_either([w.name for w in resource.waiters])}.",
        epilog=f"{GLOBALS_HERE}\n\n{EXIT_CODES}",
    )


def _either(words: list[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _leaf_globals(params: list[click.Parameter]) -> list[click.Option]:
    """The global options for a command, but any whose flag the command has for itself."""
    taken = frozenset(flag for p in params for flag in p.opts)
    return _global_options(hidden=True, skip=taken)


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
        from click.shell_completion import CompletionItem  # only when the shell completes

        return [CompletionItem(c) for c in option.choices if c.startswith(incomplete)]

    return click.Option(
        [option.flag, option.name],
        type=_TYPES[option.kind],
        required=option.required,
        multiple=option.multiple,
        help=help_.strip(),
        shell_complete=complete if option.choices else None,
    )


def _output_option() -> click.Option:
    return click.Option(
        ["-o", "--output"],
        type=click.Choice(OUTPUTS),
        help="Output format: json (the default; the wire names and values) or table (rows, "
        "local times).",
    )


def _poll_interval_option() -> click.Option:
    return click.Option(
        ["--poll-interval"],
        type=float,
        help="Seconds between polls, instead of the waiter's own pace.",
    )


def _configure_group() -> click.Group:
    """`dataarts configure`: write, read and list profiles (the work is in configure.py)."""
    profile = click.Option(
        ["--profile"],
        metavar="NAME",
        help="The profile (default: DATAARTS_PROFILE or default).",
    )

    def interactive(**values: Any) -> None:
        from .options import given, remember

        ctx = click.get_current_context()
        remember(ctx, values)
        if ctx.invoked_subcommand is None:
            from .configure import prompt_profile

            prompt_profile(given(ctx).get("profile"))

    def leaf(name: str, run: str, params: list[click.Parameter], help_: str) -> click.Command:
        def callback(**values: Any) -> None:
            from . import configure
            from .options import given, remember

            ctx = click.get_current_context()
            own = remember(ctx, values)
            getattr(configure, run)(given(ctx).get("profile"), **own)

        return click.Command(name, params=[*params, profile], callback=callback, help=help_)

    key = click.Argument(["key"], metavar="KEY")
    group = click.Group(
        "configure",
        params=[profile],
        callback=interactive,
        invoke_without_command=True,
        help="Write a profile: asks for the region, project ID, workspace, LakeFormation "
        "endpoint and an AK and SK (typed without echo); Enter keeps the value shown.\n\n"
        "Profiles live in ~/.config/dataarts/config and credentials (mode 0600; "
        "XDG_CONFIG_HOME, DATAARTS_CONFIG_FILE and DATAARTS_CREDENTIALS_FILE move them); "
        "--profile or DATAARTS_PROFILE picks one. A profile's credential_process is a command "
        "that prints the keys as JSON, as the AWS CLI's does.",
        short_help="Write and read profiles (settings and credentials).",
    )
    for command in (
        leaf(
            "list",
            "list_profile",
            [],
            "Show a profile's values (secrets masked) and sources.",
        ),
        leaf("list-profiles", "list_profiles", [], "Name every profile of the files."),
        leaf("get", "get_value", [key], "Print one value of a profile (never a secret)."),
        leaf(
            "set",
            "set_value",
            [key, click.Argument(["value"], required=False, metavar="[VALUE]")],
            "Set one value of a profile; without VALUE a secret is asked for without echo.",
        ),
    ):
        group.add_command(command)
    return group


cli = _root()
