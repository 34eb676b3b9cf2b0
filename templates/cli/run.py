"""Running a command: build the client, call its method, wait if asked, print, exit with a code.

Imported only when a command runs, so the clients (httpx, pydantic) load only then. Errors end
in one line on standard error and an exit status (see `EXIT_CODES`), never a traceback; Ctrl-C
while waiting exits 130 and says how to watch again.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import shlex
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .. import (
    ConfigurationError,
    DataArtsError,
    RawResponse,
    WaiterFailedError,
    WaiterTimeoutError,
    with_raw_response,
)
from .._runtime.waiters import epoch_seconds, value_at
from .exits import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    EXIT_WAIT_FAILED,
    EXIT_WAIT_TIMEOUT,
    fail,
)
from .options import given
from .output import Query, emit, plain
from .progress import WaitReporter
from .settings import SettingsError, client_arguments, has_credentials
from .shapes import Shape, shape_of
from .table import Command, Option, Resource, Service, Waiter, waiter_of


def run_command(
    ctx: click.Context,
    service: Service,
    resource: Resource,
    command: Command,
    values: dict[str, Any],
) -> None:
    options = given(ctx)
    output, query = _view(options)
    body = read_json(values.pop("body", None), "--body")
    kwargs = _arguments(command.options, values)
    if body is not None:
        kwargs["body"] = body
    if values.pop("dry_run"):
        with _failures():
            from .dryrun import capture

            arguments = client_arguments(service, options, signed=False)
            request = capture(
                lambda **extra: client_for(service, arguments, **extra),
                lambda client: _call(client, resource, command, kwargs, None)[0],
                signed=has_credentials(arguments),
            )
        emit(request, output, query=query)
        return
    out_file = values.get("out_file")
    if command.output == "binary" and out_file is None and sys.stdout.isatty():
        raise click.UsageError(
            f"`{service.name} {resource.name} {command.name}` answers with a file, which a "
            "terminal cannot show: give --out-file FILE, or redirect standard output (> FILE)"
        )
    _debug(options)
    pages = bool(values.get("all"))
    with _failures(), client_for(service, client_arguments(service, options)) as client:
        link = command.wait if values.get("wait") else None
        # the waiter may read the answer's headers too (its Date: the server's time of the call)
        with_headers = link is not None and any(s == "header" for _, s, _ in link.arguments)
        result, headers = _call(client, resource, command, kwargs, out_file, pages, with_headers)
        if link is not None:
            waits_on, waiter = waiter_of(service, link)
            arguments = _wait_arguments(link.arguments, kwargs, result, waiter, headers)
            label = f"{service.name} {resource.name} {command.name}"
            with (
                _watching(ctx, service, waits_on, waiter, arguments, values),
                WaitReporter(label, waiter.has_progress) as report,
            ):
                waited = _waiter(client, link.resource, link.method)(
                    **arguments,
                    **_pace(values.get("wait_timeout"), values.get("poll_interval")),
                    on_poll=report,
                )
            result = waited if waited is not None else result
        shape = None
        if output == "table":
            shape = _shape(service, result, getattr(client, resource.attribute), command, pages)
        emit(plain(result), output, query=query, shape=shape)


def run_wait(
    ctx: click.Context, service: Service, resource: Resource, values: dict[str, Any]
) -> None:
    options = given(ctx)
    output, query = _view(options)
    waiter = next(w for w in resource.waiters if w.name == values["until"])
    kwargs = _arguments(waiter.options, values)
    missing = [o.flag for o in waiter.options if o.required and kwargs.get(o.name) is None]
    if missing:
        raise click.UsageError(f"--until {waiter.name} needs {', '.join(missing)}")
    if values.get("start_delay") is not None:
        if not waiter.start_delay:
            raise click.UsageError(f"--until {waiter.name} takes no --start-delay")
        kwargs["start_delay"] = values["start_delay"]
    if values.get("not_before") is not None:
        if not waiter.not_before:
            raise click.UsageError(f"--until {waiter.name} takes no --not-before")
        try:
            epoch_seconds(values["not_before"], "--not-before")
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--not-before") from None
        kwargs["not_before"] = values["not_before"]
    _debug(options)
    with _failures(), client_for(service, client_arguments(service, options)) as client:
        label = f"{service.name} {resource.name} {waiter.name}"
        with (
            _watching(ctx, service, resource, waiter, kwargs, values),
            WaitReporter(label, waiter.has_progress) as report,
        ):
            result = _waiter(client, resource.attribute, waiter.method)(
                **kwargs,
                **_pace(values.get("timeout"), values.get("poll_interval")),
                on_poll=report,
            )
        shape = _shape(service, result) if output == "table" else None
        emit(plain(result), output, query=query, shape=shape)


def read_json(text: str | None, where: str) -> Any:
    """A JSON value given inline, as @file.json, or as - (standard input)."""
    if text is None:
        return None
    try:
        if text == "-":
            if sys.stdin.isatty():
                click.echo(f"dataarts: reading {where} from standard input (Ctrl-D ends)", err=True)
            raw = sys.stdin.read()
            if not raw.strip():
                raise click.BadParameter(
                    f"standard input is empty: pipe the JSON in ({where} - < file.json), or "
                    "give it inline or as @file.json",
                    param_hint=where,
                )
        elif text.startswith("@"):
            raw = Path(text[1:]).read_text(encoding="utf-8")
        else:
            raw = text
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {text[1:]}: {exc.strerror}", param_hint=where
        ) from None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint=where) from None


def _view(options: dict[str, Any]) -> tuple[str, Query | None]:
    """The output format, and the --query compiled (a bad one fails before any request)."""
    output = options.get("output") or "json"
    expression = options.get("query")
    if expression is None:
        return output, None
    import jmespath  # only for --query: it is not on the path of every command
    from jmespath.exceptions import JMESPathError

    try:
        return output, jmespath.compile(expression)
    except JMESPathError as exc:
        message = " ".join(str(exc).split()).removeprefix("Invalid jmespath expression: ")
        raise click.BadParameter(
            f"not a JMESPath expression: {message}", param_hint="--query"
        ) from None


def _debug(options: dict[str, Any]) -> None:
    """--debug: the clients' own log of each request (redacted by the runtime) on stderr."""
    if not options.get("debug"):
        return
    import logging

    from .._runtime.logs import logger

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("dataarts: debug: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def _call(
    client: Any,
    resource: Resource,
    command: Command,
    kwargs: dict[str, Any],
    out_file: str | None,
    walk_pages: bool = False,
    with_headers: bool = False,
) -> tuple[Any, Mapping[str, str] | None]:
    """The command's result, and its answer's headers when asked for on a plain call (a file
    or every page gives none)."""
    methods = getattr(client, resource.attribute)
    if command.output == "binary":
        if out_file is not None:
            getattr(methods, f"{command.method}_to_file")(out_file, **kwargs)
            return None, None
        answer = getattr(methods, command.method)(**kwargs)
        if not isinstance(answer, bytes):
            return answer, None  # a JSON answer (an export to OBS): printed as any other result
        sys.stdout.buffer.write(answer)
        return None, None
    if walk_pages:
        return list(getattr(methods, f"iter_{command.method}")(**kwargs)), None
    method = getattr(methods, command.method)
    if with_headers:
        call: Callable[..., RawResponse[Any]] = with_raw_response(method)
        raw = call(**kwargs)
        return raw.parsed, raw.headers
    return method(**kwargs), None


def _shape(
    service: Service,
    result: Any,
    methods: Any = None,
    command: Command | None = None,
    walk_pages: bool = False,
) -> Shape | None:
    """The schema of what a command printed: its model's, by name (the models are named after
    the spec's schemas); for a walk of no pages at all, the items its iterator documents."""
    if isinstance(result, list):
        if result:
            return shape_of(service.name, type(result[0]).__name__, many=True)
        if walk_pages and methods is not None and command is not None:
            returns = inspect.signature(getattr(methods, f"iter_{command.method}"))
            item = re.search(r"\[(\w+)\]", str(returns.return_annotation))
            return shape_of(service.name, item[1], many=True) if item else None
        return None
    if hasattr(result, "model_dump"):
        return shape_of(service.name, type(result).__name__)
    return None


@contextmanager
def _watching(
    ctx: click.Context,
    service: Service,
    resource: Resource,
    waiter: Waiter,
    arguments: dict[str, Any],
    values: dict[str, Any],
) -> Iterator[None]:
    """Ctrl-C while waiting: exit 130, saying that the work goes on and how to watch it again."""
    try:
        yield
    except KeyboardInterrupt:
        words = ["dataarts"]
        for name, value in given(ctx).items():
            if value is not None and not isinstance(value, bool):
                words += ["--" + name.replace("_", "-"), str(value)]
        words += [service.name, resource.name, "wait"]
        words += [w for o in waiter.options for w in _flag_and_value(o, arguments)]
        if waiter.name != resource.waiters[0].name:
            words += ["--until", waiter.name]
        if arguments.get("start_delay"):
            words += ["--start-delay", f"{arguments['start_delay']:g}"]
        if arguments.get("not_before"):
            words += ["--not-before", str(arguments["not_before"])]
        if values.get("poll_interval") is not None:
            words += ["--poll-interval", str(values["poll_interval"])]
        click.echo(
            "\ndataarts: interrupted: stopped waiting; the work goes on in the service. "
            f"To watch it again:\n  {shlex.join(words)}",
            err=True,
        )
        raise SystemExit(EXIT_INTERRUPTED) from None


def _flag_and_value(option: Option, arguments: dict[str, Any]) -> list[str]:
    value = arguments.get(option.name)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [w for v in values for w in (option.flag, v if isinstance(v, str) else json.dumps(v))]


def _arguments(options: tuple[Any, ...], values: dict[str, Any]) -> dict[str, Any]:
    """The method's keyword arguments from the options given (JSON-valued ones parsed)."""
    kwargs: dict[str, Any] = {}
    for option in options:
        value = values.get(option.name)
        if value is None or value == ():
            continue
        if option.kind == "json":
            value = read_json(value, option.flag)
        kwargs[option.name] = list(value) if option.multiple else value
    return kwargs


def _wait_arguments(
    sources: tuple[tuple[str, str, str], ...],
    kwargs: dict[str, Any],
    result: Any,
    waiter: Waiter,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The waiter's arguments from the command's (and its answer's `headers`, where the link
    reads one); a missing one fails if the waiter needs it."""
    needed = {o.name for o in waiter.options if o.required}
    found: dict[str, Any] = {}
    for target, source, key in sources:
        if source == "argument":
            value = kwargs.get(key)
        elif source == "value":
            value = json.loads(key)
        elif source == "header":
            value = headers.get(key) if headers is not None else None
            if value is not None and not _is_time(value):
                value = None  # a header that is no time leaves the waiter to its other rules
        else:
            value = value_at(plain(result) if source == "response" else kwargs.get("body"), key)
        if value is None:
            if target in needed:
                raise _Failure(EXIT_FAILED, f"cannot wait: the {source} has no value for {target}")
            continue
        found[target] = value
    return found


def _is_time(text: str) -> bool:
    try:
        epoch_seconds(text)
    except ValueError:
        return False
    return True


def _pace(timeout: float | None, interval: float | None) -> dict[str, Any]:
    pace: dict[str, Any] = {"timeout": timeout}
    if interval is not None:
        pace.update(delay=interval, max_delay=interval)
    return pace


def _waiter(client: Any, attribute: str, method: str) -> Callable[..., Any]:
    return getattr(getattr(client, attribute), method)  # type: ignore[no-any-return]


@contextmanager
def client_for(service: Service, arguments: dict[str, Any], **extra: Any) -> Iterator[Any]:
    """The service's client, built with `arguments` (from `settings.client_arguments`)."""
    module = importlib.import_module(f"dataarts.{service.name}")
    client = getattr(module, service.client)(**arguments, **extra)
    with client:
        yield client


class _Failure(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def _failures() -> Iterator[None]:
    """Every failure as one line on standard error and an exit status."""
    try:
        yield
    except _Failure as exc:
        fail(exc.code, str(exc))
    except WaiterFailedError as exc:
        fail(EXIT_WAIT_FAILED, str(exc))
    except WaiterTimeoutError as exc:
        fail(EXIT_WAIT_TIMEOUT, str(exc))
    except (SettingsError, ConfigurationError) as exc:
        fail(EXIT_USAGE, str(exc))
    except DataArtsError as exc:
        fail(EXIT_FAILED, str(exc))
    except OSError as exc:  # e.g. --out-file cannot be written
        fail(EXIT_FAILED, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
