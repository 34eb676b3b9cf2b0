"""Running a command: build the client, call its method, wait if asked, print, exit with a code.

Imported only when a command runs, so the clients (httpx, pydantic) load only then. Errors end
in one line on standard error and an exit status (see `EXIT_CODES`), never a traceback.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .. import ConfigurationError, DataArtsError, WaiterFailedError, WaiterTimeoutError
from .._runtime.waiters import value_at
from .output import emit, plain
from .progress import WaitReporter
from .table import Command, Resource, Service, waiter_of

EXIT_FAILED, EXIT_USAGE, EXIT_WAIT_FAILED, EXIT_WAIT_TIMEOUT = 1, 2, 3, 4


def run_command(
    ctx: click.Context,
    service: Service,
    resource: Resource,
    command: Command,
    values: dict[str, Any],
) -> None:
    settings = _settings(ctx)
    output = values.pop("output") or settings["output"]
    body = read_json(values.pop("body", None), "--body")
    kwargs = _arguments(command.options, values)
    if body is not None:
        kwargs["body"] = body
    if values.pop("dry_run"):
        with _failures():
            from .dryrun import capture

            request = capture(
                lambda **extra: client_for(service, settings, **extra),
                lambda client: _call(client, resource, command, kwargs, None),
            )
        emit(request, output)
        return
    with _failures(), client_for(service, settings) as client:
        pages = bool(values.get("all"))
        result = _call(client, resource, command, kwargs, values.get("out_file"), pages)
        if command.wait is not None and values.get("wait"):
            link = command.wait
            label = f"{service.name} {resource.name} {command.name}"
            with WaitReporter(label, waiter_of(service, link)[1].has_progress) as report:
                waited = _waiter(client, link.resource, link.method)(
                    **_wait_arguments(link.arguments, kwargs, result),
                    **_pace(values.get("wait_timeout"), values.get("poll_interval")),
                    on_poll=report,
                )
            result = waited if waited is not None else result
        emit(plain(result), output)


def run_wait(
    ctx: click.Context, service: Service, resource: Resource, values: dict[str, Any]
) -> None:
    settings = _settings(ctx)
    output = values.pop("output") or settings["output"]
    waiter = next(w for w in resource.waiters if w.name == values["until"])
    kwargs = _arguments(waiter.options, values)
    missing = [o.flag for o in waiter.options if o.required and kwargs.get(o.name) is None]
    if missing:
        raise click.UsageError(f"--until {waiter.name} needs {', '.join(missing)}")
    with _failures(), client_for(service, settings) as client:
        label = f"{service.name} {resource.name} {waiter.name}"
        with WaitReporter(label, waiter.has_progress) as report:
            result = _waiter(client, resource.attribute, waiter.method)(
                **kwargs,
                **_pace(values.get("timeout"), values.get("poll_interval")),
                on_poll=report,
            )
        emit(plain(result), output)


def read_json(text: str | None, where: str) -> Any:
    """A JSON value given inline, as @file.json, or as - (standard input)."""
    if text is None:
        return None
    try:
        if text == "-":
            raw = sys.stdin.read()
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


def _call(
    client: Any,
    resource: Resource,
    command: Command,
    kwargs: dict[str, Any],
    out_file: str | None,
    walk_pages: bool = False,
) -> Any:
    methods = getattr(client, resource.attribute)
    if command.output == "binary":
        if out_file is not None:
            getattr(methods, f"{command.method}_to_file")(out_file, **kwargs)
            return None
        sys.stdout.buffer.write(getattr(methods, command.method)(**kwargs))
        return None
    if walk_pages:
        return list(getattr(methods, f"iter_{command.method}")(**kwargs))
    return getattr(methods, command.method)(**kwargs)


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
    sources: tuple[tuple[str, str, str], ...], kwargs: dict[str, Any], result: Any
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for target, source, key in sources:
        if source == "argument":
            value = kwargs.get(key)
        else:
            value = value_at(plain(result) if source == "response" else kwargs.get("body"), key)
        if value is None:
            raise _Failure(EXIT_FAILED, f"cannot wait: the {source} has no value for {target}")
        found[target] = value
    return found


def _pace(timeout: float | None, interval: float | None) -> dict[str, Any]:
    pace: dict[str, Any] = {"timeout": timeout}
    if interval is not None:
        pace.update(delay=interval, max_delay=interval)
    return pace


def _waiter(client: Any, attribute: str, method: str) -> Callable[..., Any]:
    return getattr(getattr(client, attribute), method)  # type: ignore[no-any-return]


def _settings(ctx: click.Context) -> dict[str, Any]:
    root = ctx.find_root()
    return dict(root.obj or {})


@contextmanager
def client_for(service: Service, settings: dict[str, Any], **extra: Any) -> Iterator[Any]:
    """The service's client, configured from the global options (credentials from the env)."""
    module = importlib.import_module(f"dataarts.{service.name}")
    config = {name: settings.get(name) for name in service.settings if settings.get(name)}
    client = getattr(module, service.client)(
        base_url=settings.get("base_url"), project_id=settings.get("project_id"), **config, **extra
    )
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
        _exit(exc.code, str(exc))
    except WaiterFailedError as exc:
        _exit(EXIT_WAIT_FAILED, str(exc))
    except WaiterTimeoutError as exc:
        _exit(EXIT_WAIT_TIMEOUT, str(exc))
    except ConfigurationError as exc:
        _exit(EXIT_USAGE, str(exc))
    except DataArtsError as exc:
        _exit(EXIT_FAILED, str(exc))
    except OSError as exc:  # e.g. --out-file cannot be written
        _exit(EXIT_FAILED, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))


def _exit(code: int, message: str) -> None:
    click.echo(f"dataarts: error: {' '.join(message.split())}", err=True)
    raise SystemExit(code)
